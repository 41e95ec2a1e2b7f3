import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ClientChannel } from 'ssh2'
import { UserError } from '../errors'
import { serverPath } from '../rules/layout'
import { validatePrefix } from '../proxy/validation'
import { quote, sh } from '../shell/quote'
import type { Flow } from '../bounded-stream'
import type { Target } from '../targets/target'
import type { ShellOptions, SshConnection } from '../ssh/ssh-connection'
import { lineSplitter } from './line-splitter'
import {
  OPERATIONS,
  type OperationInputs,
  type OperationName,
  type OutputOf,
  scriptArgs,
  TERMINAL_OPERATIONS,
  type TerminalInputs,
} from './operations'
import { parseProgressLine, type ProgressLine } from './progress'
import { bundleWriter, loadScriptBundle, PROTOCOL_VERSION, type ScriptBundle } from './script-bundle'

export type ScriptEvent = ProgressLine | { type: 'log'; stream: 'stdout' | 'stderr'; line: string }

export interface RunScriptOptions {
  /** The script's arguments, already validated by the caller; each is quoted here. */
  args?: readonly string[]
  /** Bytes for the script's standard input. */
  stdin?: string | Buffer
  /** Every progress line as it arrives, and every other output line as a log line. */
  onEvent?: (event: ScriptEvent) => void
  /** The script's standard output as it comes, unparsed (no progress lines, no log events from it). */
  onStdout?: (chunk: Buffer) => void
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

export type CallOptions = Omit<RunScriptOptions, 'args'>

/** What an operation resolves with, by how its output is read (see operations.ts). */
export type CallResult<O> = O extends 'lines'
  ? ScriptOutcome & { lines: string[] }
  : O extends 'bytes'
    ? ScriptOutcome & { stdout: string }
    : ScriptOutcome

/** Where bundles live on a target, relative to the user's home: `<this>/<bundle hash>/<script>`. */
export function scriptsFolder(prefix: string): string {
  return serverPath(validatePrefix(prefix), 'scripts_dir')
}

/** Written to stderr by the check-and-run command when the script did not run, with the server's protocol. */
const MARKER = /^::helvetia:: scripts-(missing|newer) ([0-9]+|none)$/
const MISSING_CODE = 97
const NEWER_CODE = 96

/**
 * Runs the scripts of remote-scripts/ on a Target. The scripts travel as one content-addressed bundle,
 * read and hashed once per runner, uploaded only when the target lacks that version: a run is one
 * round trip (check and run in one command), and the first run of a version three (try, upload, run).
 * The server keeps the highest protocol installed in `~/.PREFIX/scripts/protocol`: an older one is
 * updated (and the update reported as a `scripts` step), a newer one refused, never mixed with.
 */
export class ScriptRunner {
  readonly #scriptsDir: string
  readonly #protocol: number
  readonly #folder: string
  readonly #base: string
  #bundle: Promise<ScriptBundle> | null = null
  /** Targets this runner saw run its bundle: opening a terminal there needs no check first. */
  readonly #installed = new WeakSet<Target>()

  /**
   * @param options.scriptsDir the app's remote-scripts/ folder
   * @param options.prefix names the scripts' folder on servers (`~/.<prefix>/scripts`); default `helvetia`
   * @param options.protocol the protocol the bundle speaks (default PROTOCOL_VERSION; tests pose as others)
   */
  constructor(options: { scriptsDir: string; prefix?: string; protocol?: number }) {
    this.#scriptsDir = options.scriptsDir
    this.#protocol = options.protocol ?? PROTOCOL_VERSION
    this.#folder = scriptsFolder(options.prefix ?? 'helvetia')
    this.#base = `"$HOME"/${quote(this.#folder)}`
  }

  /** Runs `name` (e.g. `facts.sh`); a failing run throws a UserError carrying the failed step's message. */
  async run(target: Target, name: string, options: RunScriptOptions = {}): Promise<ScriptOutcome> {
    const outcome = await this.#run(target, sh`exec sh "$d"/${name} ${options.args ?? []}`, name, options)
    if (outcome.code !== 0) throw outcome.failure(name)
    return { facts: outcome.facts, changed: outcome.changed }
  }

  /** Performs the named operation on `target` (see operations.ts); a failure throws its UserError. */
  async call<N extends OperationName>(
    target: Target,
    name: N,
    input: OperationInputs[N],
    options: CallOptions = {},
  ): Promise<CallResult<OutputOf<N>>> {
    const operation: { script: string; output: string; fixed?: readonly string[] } = OPERATIONS[name]
    const run = { ...options, args: scriptArgs(input, operation.fixed) }
    if (operation.output === 'bytes') {
      const chunks: Buffer[] = []
      const outcome = await this.run(target, operation.script, { ...run, onStdout: (c) => chunks.push(c) })
      return { ...outcome, stdout: Buffer.concat(chunks).toString('utf8') } as CallResult<OutputOf<N>>
    }
    if (operation.output === 'lines') {
      const lines: string[] = []
      const onEvent = (event: ScriptEvent) => {
        if (event.type === 'log' && event.stream === 'stdout') lines.push(event.line)
        options.onEvent?.(event)
      }
      return { ...(await this.run(target, operation.script, { ...run, onEvent })), lines } as CallResult<
        OutputOf<N>
      >
    }
    return (await this.run(target, operation.script, run)) as CallResult<OutputOf<N>>
  }

  /**
   * Opens a terminal operation: a pty channel on the server's connection running the login shell or
   * the operation's script. It holds a session slot until the caller closes it.
   */
  async openTerminal<N extends keyof TerminalInputs>(
    connection: SshConnection,
    name: N,
    input: TerminalInputs[N],
    size: Omit<ShellOptions, 'command'>,
    signal?: AbortSignal,
  ): Promise<ClientChannel> {
    const command = await this.terminalCommand(connection, name, input, signal)
    // Through sh, whatever the user's login shell is (fish, csh…).
    return connection.openShell({ ...size, command: command && sh`exec sh -c ${command}` }, signal)
  }

  /**
   * The `sh -c` command line of a terminal operation (undefined: the login shell), for a pty the
   * caller opens (on "this computer", a local one). The bundle is checked, and uploaded when missing,
   * first unless this runner already ran it on `target`.
   */
  async terminalCommand<N extends keyof TerminalInputs>(
    target: Target,
    name: N,
    input: TerminalInputs[N],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const operation: { script: string; fixed: readonly string[] } | null = TERMINAL_OPERATIONS[name]
    if (!operation) return undefined
    const { script } = operation
    if (!this.#installed.has(target)) {
      const outcome = await this.#run(target, 'exit 0', script, { signal })
      if (outcome.code !== 0) throw outcome.failure(script)
    }
    const { hash } = await this.#load(script)
    return `exec sh ${this.#base}/${quote(`${hash}/${script}`)} ${sh`${scriptArgs(input, operation.fixed)}`}`
  }

  /**
   * A TCP connection from `target` to `host:port` (usually a service on the server's own network):
   * an SSH channel of the server's connection; on "this computer", a plain connection.
   */
  async connect(target: Target, host: string, port: number, signal?: AbortSignal): Promise<Duplex> {
    if (target.forwardOut) return target.forwardOut(host, port, signal)
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, signal })
      socket.once('connect', () => resolve(socket))
      socket.once('error', reject)
    })
  }

  #load(name: string): Promise<ScriptBundle> {
    this.#bundle ??= loadScriptBundle(this.#scriptsDir, this.#protocol)
    // A failed read is not kept: the next run reads again.
    this.#bundle.catch(() => (this.#bundle = null))
    return this.#bundle.then((bundle) => {
      if (name.includes('/') || !bundle.files.some((file) => file.path === name)) {
        throw new Error(`No script ${name} in ${this.#scriptsDir}`)
      }
      return bundle
    })
  }

  /** Runs `run` (with `$d` the bundle's folder) once the target has this bundle at this protocol. */
  async #run(target: Target, run: string, name: string, options: RunScriptOptions) {
    const bundle = await this.#load(name)
    const version = this.#protocol
    const head = `b=${this.#base}; d="$b"/${quote(bundle.hash)}; ${serverProtocol(version)}`
    const command = `${head} if [ "$v" -eq ${version} ] && [ -f "$d/.complete" ]; then ${run}; fi; [ -d "$b" ] || v=none; echo "::helvetia:: scripts-missing $v" >&2; exit ${MISSING_CODE}`

    let outcome = await attempt(target, command, options)
    if (outcome.marker?.kind === 'missing') {
      const from = outcome.marker.protocol
      const emit = options.onEvent ?? (() => {})
      const updating = from !== 'none' && Number(from) < version
      const message = `Updating Helvetia's scripts on the server from protocol ${from} to ${version}`
      if (updating) emit({ type: 'step', step: 'scripts', status: 'running', code: null, message })
      outcome = await upload(target, bundle, head, options.signal)
      if (outcome.marker === null) {
        if (updating) emit({ type: 'step', step: 'scripts', status: 'done', code: null, message })
        outcome = await attempt(target, command, options)
      }
    }
    if (outcome.marker?.kind === 'newer') throw protocolNewer(Number(outcome.marker.protocol), version)
    if (outcome.marker) throw new Error(`The uploaded scripts did not appear in ~/${this.#folder}`)
    this.#installed.add(target)
    return outcome
  }
}

/** Sets `v` to the protocol installed on the server (0: scripts from before versions), refusing a newer one. */
function serverProtocol(version: number): string {
  return (
    `v=$(cat "$b/protocol" 2>/dev/null) || v=0; case $v in ''|*[!0-9]*) v=0 ;; esac; ` +
    `if [ "$v" -gt ${version} ]; then echo "::helvetia:: scripts-newer $v" >&2; exit ${NEWER_CODE}; fi;`
  )
}

function protocolNewer(server: number, ours: number): UserError {
  return new UserError(
    'SCRIPTS_PROTOCOL_NEWER',
    `The server runs Helvetia's scripts of protocol ${server}, installed by a newer Helvetia; this Helvetia speaks protocol ${ours}.`,
    'Update Helvetia on this computer to the version that manages this server (or newer), then try again.',
  )
}

/** Writes the bundle into its folder, then raises the server's protocol to this bundle's when lower. */
async function upload(target: Target, bundle: ScriptBundle, head: string, signal?: AbortSignal) {
  const version = bundle.protocol
  const raise = sh`printf '%s\n' ${String(version)} >"$b/protocol.$$"; mv -f "$b/protocol.$$" "$b/protocol"`
  const command = `set -eu; umask 077; ${head} mkdir -p "$d"; (cd "$d" && sh -s); if [ "$v" -lt ${version} ]; then ${raise}; fi`
  const stderr: string[] = []
  const outcome = await attempt(target, command, {
    stdin: bundleWriter(bundle),
    signal,
    onEvent: (event) => event.type === 'log' && stderr.push(event.line),
  })
  if (outcome.marker === null && outcome.code !== 0) {
    throw new UserError(
      'SCRIPT_UPLOAD_FAILED',
      `Could not copy Helvetia's scripts to the server: ${stderr.join(' ').trim() || `exit code ${outcome.code}`}`,
      "Check that the user's home folder on the server exists, is writable and has free space.",
    )
  }
  return outcome
}

/** One execution of a command; `marker` says when the script did not run (bundle missing, protocol newer). */
async function attempt(target: Target, command: string, options: RunScriptOptions) {
  const emit = options.onEvent ?? (() => {})
  const facts: Record<string, string> = {}
  let changed = false
  let failed: Extract<ProgressLine, { type: 'step' }> | null = null
  let hint: string | undefined
  let marker: { kind: 'missing' | 'newer'; protocol: string } | null = null
  let lastLog = ''

  const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
    const progress = stream === 'stdout' ? parseProgressLine(line) : null
    const found = stream === 'stderr' ? MARKER.exec(line) : null
    if (found) marker = { kind: found[1] as 'missing' | 'newer', protocol: found[2] as string }
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
  const stdout = options.onStdout ? null : lineSplitter(onLine('stdout'))
  const stderr = lineSplitter(onLine('stderr'))
  const result = await target.exec(command, {
    stdin: options.stdin,
    onStdout: options.onStdout ?? stdout?.write,
    onStderr: stderr.write,
    signal: options.signal,
    flow: options.flow,
  })
  stdout?.end()
  stderr.end()
  options.signal?.throwIfAborted()
  const found = marker as { kind: 'missing' | 'newer'; protocol: string } | null
  const expected = found?.kind === 'missing' ? MISSING_CODE : NEWER_CODE
  const ran = found === null || result.code !== expected

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
  return { code: result.code, facts, changed, failure, marker: ran ? null : found }
}
