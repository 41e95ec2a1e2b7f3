import type { CreateDatabaseEvent, CreateDatabaseInput, DatabaseInfo } from '../../api/databases'
import type { Flow } from '../bounded-stream'
import { createDatabaseCreation } from './database-creation'
import { createDatabasesContext, type DatabasesDeps } from './database-context'
import { createDatabaseLookup } from './database-lookup'
import { connectionUrl } from './engines'

/**
 * The databases service: each database lives on one server, which records it (remote-scripts/db-*.sh);
 * this computer keeps its credentials in the keychain and which server it is on in the store.
 */
export function createDatabases(deps: DatabasesDeps) {
  const ctx = createDatabasesContext(deps)
  const lookup = createDatabaseLookup(ctx)
  const creation = createDatabaseCreation(ctx, lookup)

  return {
    list: lookup.list,
    info: lookup.info,
    /** Where database NAME runs (for the services that work on it: backups). */
    locate: lookup.locate,

    create: (
      input: CreateDatabaseInput,
      onEvent: (event: CreateDatabaseEvent) => void,
      signal?: AbortSignal,
      flow?: Flow,
    ): Promise<DatabaseInfo> => creation.create(input, onEvent, signal, flow),

    /** The connection URL with its password, from the keychain. */
    async reveal(name: string): Promise<{ url: string; password: string; user: string }> {
      const { entry, server } = await lookup.locate(name)
      const credentials = await ctx.credentials.get(server.id, name)
      return {
        url: connectionUrl(entry.engine, ctx.containerName(name), credentials),
        password: credentials.password,
        user: credentials.user,
      }
    },

    /**
     * Removes the database from its server, then its keychain and cache entries. A kept volume keeps its
     * credentials (here and on the server), for a later `create` of the same name on that server.
     */
    async remove(name: string, keepVolume: boolean, signal?: AbortSignal): Promise<void> {
      const { server } = await lookup.locate(name)
      const input = {
        prefix: ctx.prefix,
        database: name,
        keepVolume: keepVolume ? (1 as const) : (0 as const),
      }
      await ctx.scripts.call(ctx.servers.targetFor(server), 'db.remove', input, { signal })
      if (!keepVolume) await ctx.credentials.forget(server.id, name)
      ctx.store.remove(name)
      ctx.changed()
    },
  }
}

export type Databases = ReturnType<typeof createDatabases>
