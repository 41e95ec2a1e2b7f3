import type { CreateDatabaseEvent, CreateDatabaseInput, DatabaseInfo } from '../../api/databases'
import type { Flow } from '../bounded-stream'
import { UserError } from '../errors'
import type { ScriptEvent } from '../remote/script-runner'
import type { DatabasesContext } from './database-context'
import { resolveDatabaseSpec } from './database-input'
import type { DatabaseLookup } from './database-lookup'
import { credentialLines, generateCredentials } from './credentials'

/** The server's refusals of a name (db-create.sh's check step). */
const NAME_REFUSALS = new Set(['NAME_IN_USE', 'DATABASE_EXISTS', 'DATABASE_VOLUME_KEPT'])

/**
 * Creating a database: checked here (name, engine, version, image, limits, no app or database of that
 * name), its credentials generated and kept in the keychain, then created on its server by
 * db-create.sh, which waits until the engine answers. A creation that fails after it changed the
 * server is undone there, so a failed `create` leaves nothing behind (but a volume that was kept).
 */
export function createDatabaseCreation(ctx: DatabasesContext, lookup: DatabaseLookup) {
  const { prefix, scripts, servers, store, apps } = ctx

  async function create(
    input: CreateDatabaseInput,
    onEvent: (event: CreateDatabaseEvent) => void,
    signal?: AbortSignal,
    flow?: Flow,
  ): Promise<DatabaseInfo> {
    const spec = resolveDatabaseSpec(input)
    const { name } = spec
    const server = serverAt(() => servers.get(input.server))
    const app = apps.get(name)
    if (app?.serverId === server.id) {
      throw new UserError(
        'NAME_IN_USE',
        `An app named "${name}" runs on ${server.name}.`,
        'Databases and apps on one server need different names: pick another.',
        { field: 'name' },
      )
    }
    if (store.get(name)) {
      throw new UserError(
        'DATABASE_EXISTS',
        `A database named "${name}" exists already.`,
        'Pick another name.',
        {
          field: 'name',
        },
      )
    }
    // A volume kept by `remove` holds data made with the credentials kept with it: those again.
    const kept = await ctx.credentials.load(server.id, name)
    const credentials = kept ?? generateCredentials(spec.engine, name)
    if (!kept) await ctx.credentials.save(server.id, name, credentials)

    const steps = new Map<string, string>()
    const onScript = (event: ScriptEvent): void => {
      if (event.type === 'log') onEvent({ type: 'log', line: event.line })
      if (event.type !== 'step') return
      steps.set(event.step, event.status)
      onEvent({ type: 'step', step: event.step, status: event.status, message: event.message })
    }
    const target = servers.targetFor(server)
    const { memory, cpus } = spec
    try {
      await scripts.call(
        target,
        'db.create',
        {
          prefix,
          database: name,
          engine: spec.engine,
          version: spec.version,
          image: spec.image,
          memory,
          cpus,
        },
        { stdin: credentialLines(credentials), onEvent: onScript, signal, flow },
      )
    } catch (error) {
      // Past its check, the script changed the server: undo that (a volume that was there stays).
      if (steps.get('check') === 'done') {
        const keepVolume = steps.get('volume') === 'skipped' ? 1 : 0
        await scripts.call(target, 'db.remove', { prefix, database: name, keepVolume }).catch(() => {})
      }
      if (!kept && steps.get('volume') !== 'skipped') await ctx.credentials.forget(server.id, name)
      // What the server refuses about the name, a form shows at the name.
      throw error instanceof UserError && NAME_REFUSALS.has(error.code) ? error.at('name') : error
    }
    store.put({ name, serverId: server.id, engine: spec.engine, createdAt: new Date().toISOString() })
    ctx.changed()
    const database = await lookup.info(name)
    onEvent({ type: 'done', database })
    return database
  }

  return { create }
}

/** SERVER_NOT_FOUND about the input's `server`, so a form marks that field. */
function serverAt<T>(find: () => T): T {
  try {
    return find()
  } catch (error) {
    throw error instanceof UserError ? error.at('server') : error
  }
}
