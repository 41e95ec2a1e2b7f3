/**
 * An error the user can act on: a stable `code` for scripts and UIs, and a `hint` that says what to
 * do. Every face shows both (the CLI on one line, the UI beside the failed step).
 */
export class UserError extends Error {
  override name = 'UserError'
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message)
  }
}
