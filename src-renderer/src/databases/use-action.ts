import { useCallback, useEffect, useRef, useState } from 'react'
import { toFailure, type Failure } from '../ui/task'

export interface Action {
  /** Which of the component's actions runs now (one at a time), or null. */
  running: string | null
  failure: Failure | null
  /** Runs `work` as action `id`, showing its failure; true once it succeeded. */
  run(id: string, work: () => Promise<unknown>): Promise<boolean>
  clear(): void
}

/** The state of a panel's buttons that each ask the core something and wait (back up now, verify, unlink). */
export function useAction(): Action {
  const [running, setRunning] = useState<string | null>(null)
  const [failure, setFailure] = useState<Failure | null>(null)
  // The work may end after the page is gone: then there is nothing to update.
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  const run = useCallback(async (id: string, work: () => Promise<unknown>): Promise<boolean> => {
    setRunning(id)
    setFailure(null)
    try {
      await work()
      return true
    } catch (error) {
      if (mounted.current) setFailure(toFailure(error))
      return false
    } finally {
      if (mounted.current) setRunning(null)
    }
  }, [])
  return { running, failure, run, clear: useCallback(() => setFailure(null), []) }
}
