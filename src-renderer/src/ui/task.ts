import { ApiError } from '../../../src-main/api/wire'

/**
 * What went wrong and what to do about it, as the core said it (message and hint verbatim); `field`,
 * for an error about one value of the input, is its path there (`port`, `changes.domains.1`).
 */
export interface Failure {
  message: string
  hint?: string
  code?: string
  field?: string
}

export function toFailure(error: unknown): Failure {
  if (error instanceof ApiError) {
    return { message: error.message, hint: error.hint, code: error.code, field: error.field }
  }
  if (error instanceof Error) return { message: error.message }
  return { message: String(error) }
}

/** One asynchronous piece of work as the UI shows it; absent until it first starts. */
export type Task<T> =
  { status: 'running' } | { status: 'done'; value: T } | { status: 'failed'; failure: Failure }

/** Runs `work` and reports each state of it to `update`. */
export async function runTask<T>(
  work: () => Promise<T>,
  update: (task: Task<T>) => void,
): Promise<T | undefined> {
  update({ status: 'running' })
  try {
    const value = await work()
    update({ status: 'done', value })
    return value
  } catch (error) {
    update({ status: 'failed', failure: toFailure(error) })
    return undefined
  }
}
