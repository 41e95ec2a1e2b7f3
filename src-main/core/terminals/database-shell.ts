import type { ConnectionOf } from '../databases/database-connection'
import type { TerminalInputs } from '../remote/operations'
import type { ScriptRunner } from '../remote/script-runner'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'

/**
 * Where the `database.shell` terminal opens and its input, after checking on the server that the
 * database's container runs (DATABASE_NOT_RUNNING otherwise, before any terminal opens). The
 * terminal's script checks again and reads the credentials from the server's own 0600 file.
 */
export async function databaseShellInput(
  deps: {
    connectionOf: ConnectionOf
    targetFor(server: ServerRecord): Target
    scripts: ScriptRunner
    prefix: string
  },
  name: string,
  signal?: AbortSignal,
): Promise<{ server: ServerRecord; target: Target; input: TerminalInputs['database.shell'] }> {
  const database = await deps.connectionOf(name)
  const target = deps.targetFor(database.server)
  await deps.scripts.call(target, 'db.address', { prefix: deps.prefix, database: name }, { signal })
  return {
    server: database.server,
    target,
    input: { prefix: deps.prefix, database: name, engine: database.engine },
  }
}
