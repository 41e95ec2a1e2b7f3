import type { ScheduleInput } from '../../api/backups'
import type { ApiHandlers } from '../../api/contract'
import type { schedulesContract } from '../../api/backups'
import type { BackupSchedule } from '../../api/databases'
import type { ScriptRunner } from '../remote/script-runner'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import { parseSchedule, scheduleOptions } from './backup-schedule'

export interface SchedulesDeps {
  scripts: ScriptRunner
  servers: { targetFor(server: ServerRecord): Target }
  /** The server database `name` runs on (core/databases; DATABASE_NOT_FOUND when none). */
  locate(name: string): Promise<{ server: ServerRecord }>
  /** Puts the backup target's 0600 settings file on the server, for the agent's backups (core/backups). */
  installTarget(server: ServerRecord, target: string): Promise<void>
  /** Names what Helvetia creates on servers (default `helvetia`). */
  prefix?: string
}

/**
 * Backups the server runs by itself: the schedule is written on the database's server (its record
 * there is the only one) and the server's backup agent (remote-scripts/backup-agent.sh) runs it, with
 * no desktop connected.
 */
export function createSchedules(deps: SchedulesDeps) {
  const { scripts, servers } = deps
  const prefix = deps.prefix ?? 'helvetia'
  return {
    async schedule(input: ScheduleInput): Promise<BackupSchedule> {
      const schedule = parseSchedule(input)
      const { server } = await deps.locate(input.name)
      await deps.installTarget(server, schedule.target)
      await scripts.call(
        servers.targetFor(server),
        'db.schedule',
        scheduleOptions(prefix, input.name, schedule),
      )
      return schedule
    },

    /** The database is then backed up on demand only; its backups stay. */
    async unschedule(name: string): Promise<void> {
      const { server } = await deps.locate(name)
      await scripts.call(servers.targetFor(server), 'db.unschedule', { prefix, database: name })
    },
  }
}

export type Schedules = ReturnType<typeof createSchedules>

export function schedulesApi(schedules: Schedules): Pick<ApiHandlers, keyof typeof schedulesContract> {
  return {
    'databases:schedule': (input) => schedules.schedule(input),
    'databases:unschedule': ({ name }) => schedules.unschedule(name),
  }
}
