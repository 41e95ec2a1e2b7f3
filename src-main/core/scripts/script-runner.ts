import { UserError } from '../errors'
import { quote, sh } from '../shell/quote'
import type { Flow } from '../bounded-stream'
import type { Target } from '../targets/target'
import { lineSplitter } from './line-splitter'
import { parseProgressLine, type ProgressLine } from './progress'
import { bundleWriter, loadScriptBundle, type ScriptBundle } from './script-bundle'

export type ScriptEvent = ProgressLine | { type: 'log'; stream: 'stdout' | 'stderr'; line: string }

export interface RunScriptOptions {
  /** The script's arguments, already validated by the caller; each is quoted here. */
  args?: readonly string[]
  /** Bytes for the script's standard input. */
  stdin?: string | Buffer
  /** Every progress line as it arrives, and every other output line as a log line. */
  onEvent?: (event: ScriptEvent) => void
  signal?: AbortSignal
  /** Paces the output (see ExecOptions.flow). */
  flow?: Flow
}

export interface ScriptOutcome {
  /** The last value of each fact the script reported. */
  facts: Record<string, string>
  /** Whether the script reported that it changed something on the target. */
  changed: boolean
}

/** Where bundles live on a target, relative to the user's home: `<this>/<bundle hash>/<script>`. */
export const SCRIPTS_FOLDER = '.helvetia/scripts'
const MISSING_LINE = '::helvetia:: scripts-missing'
const MISSING_CODE = 97

/**
 * Runs the scripts of remote-scripts/ on a Target. The scripts travel as one content-addressed bundle,
 * uploaded only when the target lacks that version: a run is one round trip (check and run in one
 * command), and the first run of a version three (try, upload, run).
 */
export class ScriptRunner {
  readonly #scriptsDir: string

  /** @param options.scriptsDir the app's remote-scripts/ folder */
  constructor(options: { scriptsDir: string }) {
    this.#scriptsDir = options.scriptsDir
  }

  /** Runs `name` (e.g. `facts.sh`); a failing run throws a UserError carrying the failed step's message. */
  async run(target: Target, name: string, options: RunScriptOptions = {}): Promise<ScriptOutcome> {
    const bundle = await loadScriptBundle(this.#scriptsDir)
    if (name.includes('/') || !bundle.files.some((file) => file.path === name)) {
      throw new Error(`No script ${name} in ${this.#scriptsDir}`)
    }
    const dir = `"$HOME"/${quote(`${SCRIPTS_FOLDER}/${bundle.hash}`)}`
    const run = sh`exec sh "$d"/${name} ${options.args ?? []}`
    const command = `d=${dir}; if [ -f "$d/.complete" ]; then ${run}; fi; ${sh`echo ${MISSING_LINE}; exit ${MISSING_CODE}`}`

    let outcome = await attempt(target, command, options)
    if (outcome === 'missing') {
      await upload(target, bundle, dir, options.signal)
      outcome = await attempt(target, command, options)
    }
    if (outcome === 'missing') throw new Error(`The uploaded scripts did not appear in ~/${SCRIPTS_FOLDER}`)
    if (outcome.code !== 0) throw outcome.failure(name)
    return { facts: outcome.facts, changed: outcome.changed }
  }
}

async function upload(target: Target, bundle: ScriptBundle, dir: string, signal?: AbortSignal) {
  const result = await target.exec(`set -eu; umask 077; mkdir -p ${dir}; cd ${dir}; sh -s`, {
    stdin: bundleWriter(bundle),
    signal,
  })
  signal?.throwIfAborted()
  if (result.code !== 0) {
    throw new UserError(
      'SCRIPT_UPLOAD_FAILED',
      `Could not copy Helvetia's scripts to ~/${SCRIPTS_FOLDER} on the server: ${result.stderr.trim() || `exit code ${result.code}`}`,
      "Check that the user's home folder on the server exists, is writable and has free space.",
    )
  }
}

/** One execution of the check-and-run command: 'missing' when the target lacks the bundle. */
async function attempt(target: Target, command: string, options: RunScriptOptions) {
  const emit = options.onEvent ?? (() => {})
  const facts: Record<string, string> = {}
  let changed = false
  let failed: Extract<ProgressLine, { type: 'step' }> | null = null
  let hint: string | undefined
  let missing = false
  let lastLog = ''

  const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
    const progress = stream === 'stdout' ? parseProgressLine(line) : null
    if (stream === 'stdout' && line === MISSING_LINE) missing = true
    else if (progress) {
      if (progress.type === 'fact') facts[progress.key] = progress.value
      if (progress.type === 'changed') changed = progress.changed
      if (progress.type === 'step' && progress.status === 'failed') failed = progress
      if (progress.type === 'hint') hint = progress.text
      emit(progress)
    } else {
      if (line.trim() !== '') lastLog = line.trim()
      emit({ type: 'log', stream, line })
    }
  }
  const stdout = lineSplitter(onLine('stdout'))
  const stderr = lineSplitter(onLine('stderr'))
  const result = await target.exec(command, {
    stdin: options.stdin,
    onStdout: stdout.write,
    onStderr: stderr.write,
    signal: options.signal,
    flow: options.flow,
  })
  stdout.end()
  stderr.end()
  options.signal?.throwIfAborted()
  if (missing && result.code === MISSING_CODE) return 'missing' as const

  const failure = (name: string): UserError => {
    if (failed) {
      return new UserError(failed.code ?? 'SCRIPT_FAILED', failed.message || `${failed.step} failed`, hint)
    }
    return new UserError(
      'SCRIPT_FAILED',
      `${name} failed with exit code ${result.code}${lastLog ? `: ${lastLog}` : ''}`,
      hint ?? 'See the log above for what went wrong.',
    )
  }
  return { code: result.code, facts, changed, failure }
}
