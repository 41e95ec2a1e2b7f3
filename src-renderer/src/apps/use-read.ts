import { useCallback, useEffect, useState } from 'react'
import { runTask, type Task } from '../ui/task'

/**
 * A read of an app's parts on its server (its services, processes, jobs) as a task: on mount, when
 * `read` changes, and on `refresh`, which keeps showing what was read before until the new answer.
 */
export function useRead<T>(read: () => Promise<T>): { task: Task<T> | undefined; refresh(): void } {
  const [task, setTask] = useState<Task<T>>()
  const refresh = useCallback(() => {
    void runTask(read, (next) => setTask((shown) => (next.status === 'running' && shown ? shown : next)))
  }, [read])
  useEffect(refresh, [refresh])
  return { task, refresh }
}
