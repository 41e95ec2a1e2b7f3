import { ENV_KEY } from '../../api/apps'
import type { Apps } from '../apps/apps'
import { invalidOption, UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import { defaultLinkKey, type ConnectionOf } from './database-connection'

export interface DatabaseLinksDeps {
  connectionOf: ConnectionOf
  servers: Pick<Servers, 'targetFor'>
  apps: Pick<Apps, 'record' | 'listEnv' | 'setEnv' | 'unsetEnv'>
  scripts: ScriptRunner
  /** Names the database containers and folders on servers; default `helvetia`. */
  prefix?: string
}

/**
 * Links between databases and apps: the connection URL inside Helvetia's network goes into the app's
 * env as a secret through the apps' own env service (so it is pending until the next deploy, like any
 * env change), and the server records the link (db.link: the database's links file), which `db info`
 * and the UI read. A key the app already has for something else is refused, never overwritten: the
 * user unsets it or links under another key (`--as`).
 */
export function createDatabaseLinks(deps: DatabaseLinksDeps) {
  const { connectionOf, servers, apps, scripts, prefix = 'helvetia' } = deps

  const both = async (name: string, appName: string) => {
    const database = await connectionOf(name)
    const app = apps.record(appName)
    if (app.serverId !== database.server.id) {
      throw new UserError(
        'DATABASE_OTHER_SERVER',
        `${app.name} runs on another server than the database ${name} (on ${database.server.name}); a link reaches only its own server's network.`,
        `Link a database on the app's server (\`helvetia db create … --server\` that server).`,
        { field: 'app' },
      )
    }
    return { database, app, target: servers.targetFor(database.server) }
  }

  return {
    /** Links `name` to the app under `as` (default: the engine's usual key); returns the key. */
    async link(name: string, appName: string, as?: string): Promise<{ key: string }> {
      const { database, app, target } = await both(name, appName)
      const key = as ?? defaultLinkKey(database.engine)
      if (!ENV_KEY.test(key))
        throw invalidOption('env key', key, 'letters, digits and _, not first a digit', 'as')
      const call = (action: 'add' | 'remove' | 'show') =>
        scripts.call(target, 'db.link', { prefix, database: name, app: app.name, action, key })
      // The server's record names the key this link owns: a key in the env is this link's (linked
      // again, e.g. after a password change) or another value, which is not overwritten.
      const previous = (await call('show')).facts.key ?? ''
      if (previous !== key && apps.listEnv(app.name).vars.some((v) => v.key === key)) {
        throw new UserError(
          'ENV_KEY_IN_USE',
          `${app.name} has an env variable ${key} already, not set by a link to ${name}.`,
          `Link under another key (\`--as OTHER_KEY\`), or remove it first (\`helvetia env unset ${app.name} ${key}\`).`,
          { field: 'as' },
        )
      }
      // Recorded first: a link whose env change then fails is made again by linking again.
      await call('add')
      await apps.setEnv(app.name, [{ key, value: database.url(database.host, database.port) }], true)
      // Linked again under another key: the old key's value goes.
      if (previous && previous !== key && apps.listEnv(app.name).vars.some((v) => v.key === previous)) {
        await apps.unsetEnv(app.name, [previous])
      }
      return { key }
    },

    /** Removes the link: its env key (pending until the next deploy) and the server's record. */
    async unlink(name: string, appName: string): Promise<void> {
      const { app, target } = await both(name, appName)
      const { facts } = await scripts.call(target, 'db.link', {
        prefix,
        database: name,
        app: app.name,
        action: 'remove',
      })
      const key = facts.key ?? ''
      if (!key) {
        throw new UserError(
          'DATABASE_NOT_LINKED',
          `${app.name} is not linked to ${name}.`,
          `See the linked apps in \`helvetia db info ${name}\`.`,
          { field: 'app' },
        )
      }
      if (apps.listEnv(app.name).vars.some((v) => v.key === key)) await apps.unsetEnv(app.name, [key])
    },
  }
}

export type DatabaseLinks = ReturnType<typeof createDatabaseLinks>
