/**
 * An error the user can act on: a stable `code` for scripts and UIs, and a `hint` that says what to
 * do. Every face shows both (the CLI on one line, the UI beside the failed step). An error about one
 * value of the input names it in `field`, as a path into the API method's input (`port`,
 * `changes.domains.1`), so that a form marks that field whatever the message says. Every code is in
 * the API's error catalogue (src-main/api/errors.ts).
 */
export class UserError extends Error {
  override name = 'UserError'
  readonly field: string | undefined
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    options: { field?: string } = {},
  ) {
    super(message)
    this.field = options.field
  }

  /** The same error about the value at `field` instead. */
  at(field: string): UserError {
    return new UserError(this.code, this.message, this.hint, { field })
  }
}

/**
 * Runs `check` (or awaits it), re-addressing the field of an error it throws to where the caller's
 * input holds that value: a rule written for an app's spec (`health.path`) reports the field of the
 * method that gave it (`changes.health.path` for an update, `healthPath` for a create).
 */
export function fieldsAt<T>(check: () => T, rename: (field: string) => string): T {
  const readdress = (error: unknown): never => {
    if (error instanceof UserError && error.field !== undefined) throw error.at(rename(error.field))
    throw error
  }
  try {
    const result = check()
    return result instanceof Promise ? (result.catch(readdress) as T) : result
  } catch (error) {
    return readdress(error)
  }
}

/** A setting out of its rules (INVALID_OPTION): which, as given, what it should be, and its `field`. */
export function invalidOption(what: string, value: unknown, expected: string, field: string): UserError {
  return new UserError(
    'INVALID_OPTION',
    `Invalid ${what}: ${JSON.stringify(value)}`,
    `Expected ${expected}.`,
    {
      field,
    },
  )
}

/** What one service of a compose app (or one process type) does not have yet: refused, never answered for the whole app. */
export function oneService(what: string, app: string, service: string): UserError {
  return new UserError(
    'INVALID_OPTION',
    `${what} of one service of ${app} (${service}) ${what === 'Metrics' ? 'are' : 'is'} not available yet.`,
    `Use the whole app's (leave the service out), or \`docker stats\` / \`docker exec\` in a server terminal.`,
    { field: 'service' },
  )
}
