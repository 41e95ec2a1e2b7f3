import { Command, CommanderError } from 'commander'
import { appCommands } from './commands/app'
import { catalogCommands } from './commands/catalog'
import { dbAccessCommands } from './commands/db-access'
import { dbCommands } from './commands/db'
import { dbRestoreCommands } from './commands/db-restore'
import { backupTargetCommands, dbBackupCommands } from './commands/backup'
import { githubCommands } from './commands/github'
import { pushCommands } from './commands/push'
import { relayCommand } from './commands/relay'
import { serverCommands } from './commands/server'
import { uiCommand } from './commands/ui'
import { jobCommands } from './commands/jobs'
import { psCommand } from './commands/ps'

const program = new Command('helvetia')
  .description('Run your own apps on your own servers.')
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })

serverCommands(program)
appCommands(program)
uiCommand(program)
pushCommands(program)
relayCommand(program)
githubCommands(program)
// `db` first: the others add their commands to it.
dbCommands(program)
dbAccessCommands(program)
backupTargetCommands(program)
dbBackupCommands(program)
dbRestoreCommands(program)
catalogCommands(program)
psCommand(program)
jobCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  process.exitCode = reportError(error)
}

/** One line on stderr, with the fix when the core knows it; the exit code says it failed. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed usage errors; help and version are not failures.
    return error.exitCode
  }
  const { message, hint } = error as { message?: string; hint?: string }
  const line = [message ?? String(error), hint].filter(Boolean).join(' — ')
  process.stderr.write(`helvetia: ${line.replace(/\s*\n\s*/g, ' ')}\n`)
  return 1
}
