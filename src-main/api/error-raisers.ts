/** Who raises an error code (./errors.ts): methods of the contract, by what they do. */
import type { Method } from './contract'

/** A method of the contract, any method, or a face that raises the code outside of any method. */
export type RaisedBy = Method | 'every method' | 'cli' | 'web-mode'

/** Methods that log in to a server over SSH (or run on "this computer"). */
export const ON_SERVER = [
  'servers:add',
  'servers:check',
  'servers:provision',
  'apps:remove',
  'apps:status',
  'apps:deployments',
  'apps:certificates',
  'apps:deploy',
  'apps:rollback',
  'apps:deployment-log',
  'apps:logs',
  'metrics:server',
  'metrics:app',
  'terminals:open',
  'push:install-relay',
  'databases:list',
  'databases:create',
  'databases:info',
  'databases:reveal',
  'databases:remove',
] as const satisfies readonly Method[]

/** Methods that run one of the server scripts (remote-scripts/). */
export const RUNS_SCRIPTS = [
  'servers:check',
  'servers:provision',
  'apps:remove',
  'apps:status',
  'apps:deployments',
  'apps:deploy',
  'apps:rollback',
  'apps:deployment-log',
  'push:install-relay',
  'databases:list',
  'databases:create',
  'databases:info',
  'databases:reveal',
  'databases:remove',
] as const satisfies readonly Method[]

/** Methods about one app, by its name. */
export const ABOUT_AN_APP = [
  'apps:update',
  'apps:remove',
  'apps:status',
  'apps:deployments',
  'apps:certificates',
  'apps:deploy-key',
  'apps:rotate-deploy-key',
  'apps:deploy',
  'apps:rollback',
  'apps:deployment-log',
  'apps:logs',
  'env:list',
  'env:set',
  'env:unset',
  'metrics:app',
  'push:deliveries',
  'push:watch-deliveries',
  'push:connect',
  'push:status',
] as const satisfies readonly Method[]

/** Methods that call GitHub's API with the signed-in account. */
export const ON_GITHUB = [
  'github:status',
  'github:repos',
  'github:create-app',
  'apps:rotate-deploy-key',
  'push:connect',
] as const satisfies readonly Method[]

/** Methods that talk to a relay. */
export const ON_RELAY = [
  'push:connect',
  'push:deliveries',
  'push:watch-deliveries',
  'github:create-app',
] as const satisfies readonly Method[]

/** Methods that read or write the OS keychain. */
export const KEYCHAIN = [
  'servers:add',
  'registries:add',
  'registries:remove',
  'apps:create',
  'apps:remove',
  'apps:deploy',
  'env:set',
  'env:unset',
  'github:sign-in',
  'github:create-app',
  'push:connect',
  'databases:create',
  'databases:reveal',
  'databases:remove',
] as const satisfies readonly Method[]
