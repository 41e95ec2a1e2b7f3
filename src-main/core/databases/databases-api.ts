import type { ApiHandlers, CreateDatabaseEvent } from '../../api/contract'
import type { databasesContract } from '../../api/databases'
import { boundedStream, progressMarks } from '../bounded-stream'
import type { Databases } from './databases'

/** The methods of the databases themselves (links, tunnels, backups are other services'). */
export type DatabasesHandlers = Pick<ApiHandlers, keyof typeof databasesContract>

/** The databases methods of the API, over the core's databases service. */
export function databasesApi(databases: Databases): DatabasesHandlers {
  return {
    'databases:list': () => databases.list(),
    'databases:create': (input, signal) =>
      boundedStream<CreateDatabaseEvent>(
        async (sink) => {
          await databases.create(input, (event) => sink.push(event), sink.signal, sink)
        },
        signal,
        progressMarks<CreateDatabaseEvent>(),
      ),
    'databases:info': ({ name }) => databases.info(name),
    'databases:reveal': ({ name }) => databases.reveal(name),
    'databases:remove': ({ name, keepVolume }) => databases.remove(name, keepVolume),
  }
}
