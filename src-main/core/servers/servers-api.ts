import type { HandlersOf, ProvisionEvent } from '../../api/contract'
import { requireString } from '../api/input'
import type { Changes } from '../changes'
import { boundedStream, progressMarks } from '../bounded-stream'
import { readSshConfig } from '../ssh/ssh-config'
import type { Servers } from './servers'

/** The servers methods of the API, over the core's servers service. */
export function serversApi(servers: Servers, changes: Changes): HandlersOf<'servers'> {
  return {
    'servers:list': async () => servers.list(),
    'servers:remove': (input) =>
      servers.remove(requireString(input, 'name'), { force: input?.force === true }),
    'servers:watch': (_input, signal) => changes.watch('servers', servers.list, signal),
    'servers:probe-host-key': async (input) =>
      servers.probeHostKey(requireString(input, 'host'), input?.port),
    'servers:add': (input) => servers.add(input),
    'servers:check': (input) => servers.check(requireString(input, 'name')),
    'servers:provision': (input, signal) =>
      // The script's output (package installs can print much) pauses while the reader lags.
      boundedStream<ProvisionEvent>(
        (sink) =>
          servers.provision(
            { ...input, name: requireString(input, 'name') },
            (event) => sink.push(event),
            sink.signal,
            sink,
          ),
        signal,
        progressMarks<ProvisionEvent>(),
      ),
    'servers:import-ssh-config': () => readSshConfig(),
  }
}
