import type { ProcessType } from '../../api/processes'
import { invalidOption } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'

/**
 * An app's process types (AppInput.processes), checked with the rules the server applies again
 * (remote-scripts/lib/deploy-processes.sh): `web` is the routed one (one container, its command
 * optional: the image's own), any other name a worker (its command required, 1 to MAX_REPLICAS
 * containers). Each runs `sh -c COMMAND` from the deployment's image; the command is one argument there,
 * never part of a shell line.
 */

export const WEB_PROCESS = 'web'
export const MAX_PROCESSES = 10
export const MAX_REPLICAS = 20
const MAX_COMMAND = 2000
const PROCESS_NAME = whole(PATTERNS.processName)
const MEMORY = whole(PATTERNS.memory)
const CPUS = whole(PATTERNS.cpus)

/** A command Helvetia passes whole to `sh -c`: one line (the request holds one process a line). */
export function processCommand(value: unknown, what: string, field: string): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > MAX_COMMAND ||
    /[\r\n\0\t]/.test(value)
  ) {
    throw invalidOption(what, value, `one line of at most ${MAX_COMMAND} characters, run with sh -c`, field)
  }
  return value.trim()
}

/** The process types as the deploy runs them (defaults filled in), or undefined for none set. */
export function resolveProcesses(input: readonly ProcessType[] | undefined): ProcessType[] | undefined {
  if (input === undefined || input.length === 0) return undefined
  if (input.length > MAX_PROCESSES) {
    throw invalidOption('processes', `${input.length} process types`, `at most ${MAX_PROCESSES}`, 'processes')
  }
  const names = new Set<string>()
  return input.map((process, i) => {
    const at = `processes.${i}`
    if (typeof process.name !== 'string' || !PROCESS_NAME.test(process.name) || names.has(process.name)) {
      throw invalidOption(
        'process name',
        process.name,
        'lowercase letters, digits and dashes (at most 20), each name once',
        `${at}.name`,
      )
    }
    names.add(process.name)
    const web = process.name === WEB_PROCESS
    const resolved: ProcessType = { name: process.name, replicas: process.replicas ?? 1 }
    if (process.command !== undefined || !web) {
      resolved.command = processCommand(process.command, `command of ${process.name}`, `${at}.command`)
    }
    const max = web ? 1 : MAX_REPLICAS
    const replicas = resolved.replicas
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > max) {
      throw invalidOption(
        `replicas of ${process.name}`,
        replicas,
        web
          ? '1: web is the one container the proxy routes to; scale workers'
          : `a whole number from 1 to ${max}`,
        `${at}.replicas`,
      )
    }
    if (process.memory !== undefined) {
      if (!MEMORY.test(process.memory)) {
        throw invalidOption(
          `memory limit of ${process.name}`,
          process.memory,
          'a size such as 512m',
          `${at}.memory`,
        )
      }
      resolved.memory = process.memory
    }
    if (process.cpus !== undefined) {
      if (typeof process.cpus !== 'number' || !(process.cpus > 0) || !CPUS.test(String(process.cpus))) {
        throw invalidOption(
          `CPU limit of ${process.name}`,
          process.cpus,
          'a number of CPUs such as 0.5',
          `${at}.cpus`,
        )
      }
      resolved.cpus = process.cpus
    }
    return resolved
  })
}

/**
 * The request's `processes` file (remote-scripts/lib/deploy-processes.sh reads it): one
 * `NAME REPLICAS MEMORY CPUS COMMAND` line each, `-` for a limit not set, the command the rest of the
 * line (none: the image's own). Empty: the Procfile's, else one `web`.
 */
export function processesFile(processes: readonly ProcessType[] | undefined): string {
  return (processes ?? [])
    .map(
      (p) =>
        `${p.name} ${p.replicas ?? 1} ${p.memory ?? '-'} ${p.cpus ?? '-'} ${p.command ?? ''}`.trimEnd() +
        '\n',
    )
    .join('')
}
