import type { HandlersOf, ProvisionEvent } from '../../api/contract'
import type { Changes } from '../changes'
import { eventStream } from '../event-stream'
import { readSshConfig } from '../ssh/ssh-config'
import type { Servers } from './servers'

/** The servers methods of the API, over the core's servers service. */
export function serversApi(servers: Servers, changes: Changes): HandlersOf<'servers'> {
  return {
    'servers:list': async () => servers.list(),
    'servers:remove': async ({ name, force }) => {
      await servers.remove(name, { force: force === true })
    },
    'servers:watch': (_input, signal) => changes.watch('servers', servers.list, signal),
    'servers:probe-host-key': async ({ host, port }) => servers.probeHostKey(host, port),
    'servers:add': (input) => servers.add(input),
    'servers:check': ({ name }) => servers.check(name),
    'servers:provision': (input, signal) =>
      eventStream<ProvisionEvent>((emit, abort) => servers.provision(input, emit, abort), signal),
    'servers:import-ssh-config': () => readSshConfig(),
  }
}
