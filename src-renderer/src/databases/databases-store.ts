import { create } from 'zustand'
import type {
  BackupInfo,
  BackupTarget,
  CreateDatabaseEvent,
  CreateDatabaseInput,
  DatabaseInfo,
  DatabaseListing,
  DatabaseSummary,
} from '../../../src-main/api/contract'
import { api } from '../session-store'
import { runTask, toFailure, type Failure, type Task } from '../ui/task'

interface DatabasesState {
  /** Null until the first list arrives. */
  databases: DatabaseSummary[] | null
  /** Why the last list could not be read (the databases shown are the ones read before). */
  listFailure: Failure | null
  /** Servers whose databases the last list left out: they could not be reached. */
  unreachable: DatabaseListing['unreachable']
  /** Each database in full (its backup health, schedule, URL masked), by name. */
  infos: Record<string, Task<DatabaseInfo>>
  /** Each database's backups in its target's bucket, newest first, by name. */
  backups: Record<string, Task<BackupInfo[]>>
  targets: Task<BackupTarget[]> | undefined
  /** A backup started from this window (its page or the palette), by database: it runs on while the user looks elsewhere. */
  backupRuns: Record<string, Task<BackupInfo>>
  /** A database whose page should open its tunnel once it shows (the palette's "Open tunnel to X"). */
  tunnelRequest: string | null
  /** Backs up now to `to` (default: the schedule's target, as the core picks it); resolves once verified or failed. */
  backup(name: string, to?: string): Promise<void>
  /** Reads the list again, then each database's info (the list's backup health comes from it). */
  refresh(): Promise<void>
  refreshInfo(name: string): Promise<void>
  refreshBackups(name: string): Promise<void>
  refreshTargets(): Promise<void>
  /** Creates it, reporting each step and output line to `onProgress`; resolves with it once it accepts connections. */
  create(
    input: CreateDatabaseInput,
    onProgress: (event: Exclude<CreateDatabaseEvent, { type: 'done' }>) => void,
  ): Promise<DatabaseInfo>
  remove(name: string, keepVolume: boolean): Promise<void>
}

/** A refresh keeps showing what was last read rather than flashing back to "loading". */
const keep = <T>(tasks: Record<string, Task<T>>, name: string, task: Task<T>): Record<string, Task<T>> =>
  task.status === 'running' && tasks[name]?.status === 'done' ? tasks : { ...tasks, [name]: task }

/** Databases are read from their servers on request (there is no watch): after each change and on each visit. */
export const useDatabases = create<DatabasesState>((set, get) => ({
  databases: null,
  listFailure: null,
  unreachable: [],
  infos: {},
  backups: {},
  targets: undefined,
  backupRuns: {},
  tunnelRequest: null,
  async backup(name, to) {
    if (get().backupRuns[name]?.status === 'running') return
    await runTask(
      () => api().call('databases:backup', { name, ...(to ? { to } : {}) }),
      (task) => set((state) => ({ backupRuns: { ...state.backupRuns, [name]: task } })),
    )
    await Promise.all([get().refreshBackups(name), get().refreshInfo(name)])
  },
  async refresh() {
    try {
      const { databases, unreachable } = await api().call('databases:list')
      set({ databases, unreachable, listFailure: null })
      await Promise.all(databases.map((database) => get().refreshInfo(database.name)))
    } catch (error) {
      set({ listFailure: toFailure(error), databases: get().databases ?? [] })
    }
  },
  async refreshInfo(name) {
    await runTask(
      () => api().call('databases:info', { name }),
      (task) => set((state) => ({ infos: keep(state.infos, name, task) })),
    )
  },
  async refreshBackups(name) {
    await runTask(
      () => api().call('databases:backups', { name }),
      (task) => set((state) => ({ backups: keep(state.backups, name, task) })),
    )
  },
  async refreshTargets() {
    await runTask(
      () => api().call('backups:targets'),
      (task) =>
        set((state) => ({ targets: task.status === 'running' && state.targets ? state.targets : task })),
    )
  },
  async create(input, onProgress) {
    const created: { database?: DatabaseInfo } = {}
    const subscription = api().subscribe('databases:create', input, (event) => {
      if (event.type === 'done') created.database = event.database
      else onProgress(event)
    })
    await subscription.done
    const info = created.database
    if (!info) throw new Error('The creation ended before the database was ready.')
    // Listed at once (a DatabaseInfo is a summary too): its page shows it before the list is read again.
    set((state) => ({
      infos: { ...state.infos, [info.name]: { status: 'done', value: info } },
      databases: [...(state.databases ?? []).filter((d) => d.name !== info.name), info],
    }))
    void get().refresh()
    return info
  },
  async remove(name, keepVolume) {
    await api().call('databases:remove', { name, keepVolume })
    set((state) => {
      const { [name]: _info, ...infos } = state.infos
      const { [name]: _backups, ...backups } = state.backups
      return { infos, backups, databases: state.databases?.filter((d) => d.name !== name) ?? null }
    })
    void get().refresh()
  },
}))

export const selectDatabase =
  (name: string) =>
  (state: DatabasesState): DatabaseSummary | undefined =>
    state.databases?.find((database) => database.name === name)

/** The databases an app's env links to, with the key it gets the URL under. */
export const linksOf = (databases: readonly DatabaseSummary[] | null, app: string) =>
  (databases ?? []).flatMap((database) =>
    database.linkedApps.filter((link) => link.app === app).map((link) => ({ database, key: link.key })),
  )
