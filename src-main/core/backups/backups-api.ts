import type { ApiHandlers } from '../../api/contract'
import type { backupsContract } from '../../api/backups'
import type { BackupTargets } from './backup-targets'
import type { Backups } from './backups'

/** The API's backup methods (src-main/api/backups.ts's backupsContract). */
export function backupsApi(
  backups: Backups,
  targets: BackupTargets,
): Pick<ApiHandlers, keyof typeof backupsContract> {
  return {
    'databases:backup': ({ name, to }) => backups.backup(name, to),
    'databases:backups': ({ name, target }) => backups.backups(name, target),
    'databases:verify': ({ name, backup }) => backups.verify(name, backup),
    'databases:prune': ({ name, to, ...keep }) => backups.prune(name, keep, to),
    'backups:targets': async () => targets.list(),
    'backups:addTarget': (input) => targets.add(input),
    'backups:removeTarget': ({ name }) => targets.remove(name),
  }
}
