import type { HandlersOf, ProvisionEvent } from '../../api/contract'
import type { Changes } from '../changes'
import { boundedStream, progressMarks } from '../bounded-stream'
import { readSshConfig } from '../ssh/ssh-config'
import type { Servers } from './servers'

/** The servers methods of the API, over the core's servers service. */
export function serversApi(servers: Servers, changes: Changes): HandlersOf<'servers'> {
  return {
    'servers:list': async () => servers.list(),
    'servers:remove': ({ name, force }) => servers.remove(name, { force: force === true }),
    'servers:watch': (_input, signal) => changes.watch('servers', servers.list, signal),
    'servers:probe-host-key': async ({ host, port }) => servers.probeHostKey(host, port),
    'servers:add': (input) => servers.add(input),
    'servers:check': ({ name }) => servers.check(name),
    'servers:provision': (input, signal) =>
      // The script's output (package installs can print much) pauses while the reader lags.
      boundedStream<ProvisionEvent>(
        (sink) => servers.provision(input, (event) => sink.push(event), sink.signal, sink),
        signal,
        progressMarks<ProvisionEvent>(),
      ),
    'servers:import-ssh-config': () => readSshConfig(),
  }
}
