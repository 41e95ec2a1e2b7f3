import type { Command } from 'commander'
import type { ProcessStatus, ProcessType } from '../../api/contract'
import { UserError } from '../../core/errors'
import { output, table, withApi, type OutputOptions } from '../context'

/** `ps NAME`: the live deployment's process types, their replicas and what runs of them. */
export function psCommand(program: Command): void {
  program
    .command('ps')
    .argument('<name>', 'app name')
    .description('The app’s processes as they run: web (routed) and workers, with their replicas')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => {
        output(options, await api.call('processes:list', { name }), (processes: ProcessStatus[]) =>
          processes.length === 0
            ? `${name} has no live deployment yet: deploy it (helvetia deploy ${name}).`
            : table([
                ['PROCESS', 'RUNNING', 'COMMAND'],
                ...processes.map((p) => [
                  p.name,
                  `${p.running}/${p.replicas}`,
                  p.command ?? '(the image’s own)',
                ]),
              ]),
        )
      }),
    )
}

/** `app update`'s process options. */
export interface ProcessOptions {
  process: string[]
  replicas: string[]
  processMemory: string[]
  processCpus: string[]
  removeProcess: string[]
}

/**
 * The app's process types after `app update`'s process options, or undefined when none was given.
 * With none set yet, the list starts as one `web` (the image's command): adding a worker keeps the app
 * routed; `--remove-process web` makes an app of workers only.
 */
export function editedProcesses(
  processes: readonly ProcessType[] | undefined,
  options: ProcessOptions,
): ProcessType[] | undefined {
  const given = [
    options.process,
    options.replicas,
    options.processMemory,
    options.processCpus,
    options.removeProcess,
  ]
  if (given.every((list) => list.length === 0)) return undefined
  const list: ProcessType[] =
    processes && processes.length > 0 ? processes.map((p) => ({ ...p })) : [{ name: 'web' }]
  const find = (name: string, option: string): ProcessType => {
    const found = list.find((p) => p.name === name)
    if (!found) {
      throw new UserError(
        'PROCESS_NOT_FOUND',
        `The app has no process ${name} (${option}).`,
        `Add it first: --process ${name}="COMMAND". See them with \`helvetia app list --json\` (spec.processes).`,
      )
    }
    return found
  }
  for (const text of options.process) {
    const [name, command] = pair(
      text,
      '--process',
      'NAME="COMMAND" (or web, for the image’s own command)',
      true,
    )
    const existing = list.find((p) => p.name === name)
    if (existing) {
      if (command === undefined) delete existing.command
      else existing.command = command
    } else list.push(command === undefined ? { name } : { name, command })
  }
  for (const text of options.replicas) {
    const [name, count = ''] = pair(text, '--replicas', 'NAME=N, like worker=2')
    find(name, '--replicas').replicas = /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN
  }
  for (const text of options.processMemory) {
    const [name, memory = ''] = pair(text, '--process-memory', 'NAME=SIZE, like worker=256m')
    find(name, '--process-memory').memory = memory
  }
  for (const text of options.processCpus) {
    const [name, cpus = ''] = pair(text, '--process-cpus', 'NAME=N, like worker=0.5')
    find(name, '--process-cpus').cpus = Number(cpus)
  }
  for (const name of options.removeProcess) {
    find(name, '--remove-process')
    list.splice(
      list.findIndex((p) => p.name === name),
      1,
    )
  }
  return list
}

/** `NAME=VALUE` split at the first `=`; with `optional`, a bare NAME has no value. */
function pair(
  text: string,
  option: string,
  expected: string,
  optional = false,
): [string, string | undefined] {
  const eq = text.indexOf('=')
  if (eq < 0 && optional) return [text, undefined]
  if (eq <= 0) {
    throw new UserError(
      'INVALID_OPTION',
      `Invalid ${option}: ${JSON.stringify(text)}`,
      `Expected ${expected}.`,
      {
        field: 'processes',
      },
    )
  }
  return [text.slice(0, eq), text.slice(eq + 1)]
}
