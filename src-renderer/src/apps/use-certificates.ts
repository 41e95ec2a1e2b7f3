import { useEffect, useState } from 'react'
import type { CertificateStatus } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { runTask, type Task } from '../ui/task'

/** While a certificate is being issued, it is asked for again this often, this many times at most. */
const PENDING_RECHECK_MS = 5000
const PENDING_RECHECKS = 12

/**
 * The certificates the proxy serves for the app's HTTPS domains, read when the page opens and again
 * whenever another deployment goes live (a deploy, a rollback); null while nothing is live, when the
 * proxy has no route to judge.
 */
export function useCertificates(
  name: string,
  liveDeployment: string | null,
): Task<CertificateStatus[]> | null {
  const [task, setTask] = useState<{ key: string; task: Task<CertificateStatus[]> } | null>(null)
  const key = `${name} ${liveDeployment}`
  useEffect(() => {
    if (liveDeployment === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let rechecks = 0
    const check = async (): Promise<void> => {
      const value = await runTask(
        () => api().call('apps:certificates', { name }),
        (next) => {
          // A re-check keeps showing the last answer rather than flashing back to "checking".
          if (!stopped && !(next.status === 'running' && rechecks > 0)) setTask({ key, task: next })
        },
      )
      if (stopped || !value?.some((c) => c.state === 'pending') || rechecks >= PENDING_RECHECKS) return
      rechecks++
      timer = setTimeout(() => void check(), PENDING_RECHECK_MS)
    }
    void check()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [name, liveDeployment, key])
  if (liveDeployment === null) return null
  return task?.key === key ? task.task : { status: 'running' }
}
