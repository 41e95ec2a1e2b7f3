import { setTimeout as sleep } from 'node:timers/promises'
import type { Client, ClientChannel } from 'ssh2'
import { quote } from '../shell/quote'
import { UserError } from '../errors'
import type { ExecOptions, ExecResult, Target } from '../targets/target'
import { ChannelQueue } from './channel-queue'
import { connectSocket } from './connect-socket'
import type { HostKeyPolicy } from './host-key-policy'
import { agentUnavailable, authConfig, authFailed, type SshAuth } from './ssh-auth'
import {
  connectionLost,
  type Endpoint,
  handshakeFailure,
  type Ssh2Error,
  TRANSIENT_CODES,
} from './ssh-errors'
import { ssh2 } from './ssh2-module'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface ConnectionStatus {
  state: ConnectionState
  /** Why it is not connected: the last failure, or null (never connected yet, or closed on purpose). */
  error: UserError | null
}

export interface ReconnectOptions {
  /** First wait after a drop; it doubles after each failed attempt (default 250 ms). */
  initialDelayMs?: number
  /** Longest wait between attempts (default 30 s). */
  maxDelayMs?: number
  /** After this long without success the connection goes offline and waiting jobs fail (default 2 min). */
  giveUpAfterMs?: number
}

export interface SshConnectionOptions {
  host: string
  port?: number
  user: string
  /** The credential, or a function asked for it before each connection (it may come from the keychain). */
  auth: SshAuth | (() => Promise<SshAuth>)
  hostKey: HostKeyPolicy
  /** SSH-level keepalive: a drop is noticed after interval × (countMax + 1) of silence. */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  /** For the TCP connection (default 10 s). */
  connectTimeoutMs?: number
  /** For the SSH handshake and login after it (default 30 s: an agent may ask to confirm a key). */
  readyTimeoutMs?: number
  reconnect?: ReconnectOptions
  /** Channels open at once before the server's MaxSessions is known (default 8). */
  maxChannels?: number
}

export interface ShellOptions {
  cols: number
  rows: number
  /** Run this in the terminal instead of the login shell. Must already be quoted. */
  command?: string
  /** TERM on the server (default xterm-256color). */
  term?: string
}

/** The connection went away before a channel was opened: nothing ran, so opening it again is safe. */
class NotOpened extends Error {}

/**
 * One SSH connection to one server, shared by everything that works there (commands, uploads, logs,
 * terminals, port forwards). It connects on first use, verifies the host key before anything is sent,
 * keeps the connection alive, comes back by itself after a drop, and queues channels so that the
 * server's MaxSessions never fails a job.
 *
 * A first connection that fails, a refused host key and a refused login surface as errors right away;
 * only a connection that worked and then dropped is retried (with backoff, for `giveUpAfterMs`).
 */
export class SshConnection implements Target {
  readonly kind = 'ssh'
  readonly #options: SshConnectionOptions
  readonly #endpoint: Endpoint
  readonly #queue: ChannelQueue
  readonly #listeners = new Set<(status: ConnectionStatus) => void>()
  /** Aborted by close(): ends backoff waits and connection attempts. */
  readonly #closing = new AbortController()
  #status: ConnectionStatus = { state: 'offline', error: null }
  #client: Client | null = null
  #connecting: Promise<Client> | null = null

  constructor(options: SshConnectionOptions) {
    this.#options = options
    this.#endpoint = { host: options.host, port: options.port ?? 22 }
    // sshd refuses a session it has no room for with an open failure; no other failure opening a
    // session means "wait for a free slot".
    this.#queue = new ChannelQueue({
      initialLimit: options.maxChannels,
      isRefusal: (error) => typeof (error as Ssh2Error).reason === 'number',
    })
  }

  get status(): ConnectionStatus {
    return this.#status
  }

  /** Session channels open at once, at most: sshd's MaxSessions as far as this connection learned it. */
  get sessionLimit(): number {
    return this.#queue.limit
  }

  /** Calls `listener` on every change of state (or of its error); returns the unsubscribe function. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Connects now (or waits for the connection in progress); rejects with a UserError naming the fix. */
  async connect(): Promise<void> {
    await this.#ready()
  }

  /**
   * Runs `command` in `sh -c` through an exec channel, so it means the same whatever the user's login
   * shell is (fish, csh…); every value in it must already be quoted. Aborting kills the command's process group on the server
   * (sshd delivers the signal with killpg) and rejects with the signal's reason.
   */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { stdin, onStdout, onStderr, signal } = options
    let code: number | null = null
    const channel = await this.#session(
      (client, done) =>
        client.exec(`exec sh -c ${quote(command)}`, (error, opened) => {
          // Listen for the exit status at once: when the whole exchange arrives in one read (a short
          // command through a relay), ssh2 emits it before the awaiting code below would resume.
          opened?.on('exit', (status: number | null, signalName?: string) => {
            code = status ?? exitCodeOfSignal(signalName)
          })
          done(error, opened)
        }),
      signal,
    )
    return new Promise((resolve, reject) => {
      const stdout: Buffer[] = []
      const stderr: Buffer[] = []
      channel.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : stdout.push(chunk)))
      channel.stderr.on('data', (chunk: Buffer) => (onStderr ? onStderr(chunk) : stderr.push(chunk)))
      const abort = (): void => stop(channel)
      signal?.addEventListener('abort', abort, { once: true })
      channel.on('close', () => {
        signal?.removeEventListener('abort', abort)
        if (signal?.aborted) return reject(signal.reason)
        if (this.#closing.signal.aborted) return reject(this.#closing.signal.reason)
        if (code === null) {
          return reject(
            connectionLost(
              this.#endpoint,
              'the command may or may not have finished; check, then run it again',
            ),
          )
        }
        resolve({
          code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        })
      })
      channel.end(stdin)
    })
  }

  /**
   * A terminal: a pty channel running the login shell, or `command`. It holds a session slot until
   * the caller closes it; `signal` cancels only the wait for it.
   */
  openShell(options: ShellOptions, signal?: AbortSignal): Promise<ClientChannel> {
    const pty = { cols: options.cols, rows: options.rows, term: options.term ?? 'xterm-256color' }
    const { command } = options
    return this.#session(
      (client, done) =>
        command === undefined ? client.shell(pty, done) : client.exec(command, { pty }, done),
      signal,
    )
  }

  /**
   * A TCP connection from the server to `host:port` (usually a service on the server's 127.0.0.1).
   * Forwards are not sessions, so sshd's MaxSessions does not count them: they skip the queue.
   */
  async forwardOut(host: string, port: number, signal?: AbortSignal): Promise<ClientChannel> {
    for (;;) {
      const client = await this.#ready(signal)
      let channel: ClientChannel
      try {
        channel = await open((done) => client.forwardOut('127.0.0.1', 0, host, port, done))
      } catch (error) {
        if (error instanceof NotOpened) continue
        throw forwardFailed(this.#endpoint, host, port, error as Ssh2Error)
      }
      if (signal?.aborted) {
        channel.close()
        throw signal.reason
      }
      return channel
    }
  }

  /** Ends the connection and stops reconnecting; waiting and later calls fail with SSH_CONNECTION_CLOSED. */
  close(): void {
    if (this.#closing.signal.aborted) return
    this.#closing.abort(
      new UserError(
        'SSH_CONNECTION_CLOSED',
        `The connection to ${this.#endpoint.host}:${this.#endpoint.port} was closed by Helvetia.`,
        'Run the command again.',
      ),
    )
    this.#client?.end()
    this.#client = null
    this.#setStatus('offline', null)
  }

  /** Opens a session channel through the queue, on whatever connection is current when its turn comes. */
  async #session(
    request: (client: Client, done: (error: Error | undefined, channel: ClientChannel) => void) => void,
    signal: AbortSignal | undefined,
  ): Promise<ClientChannel> {
    for (;;) {
      await this.#ready(signal)
      let used: Client | null = null
      let channel: ClientChannel
      try {
        channel = await this.#queue.run(() => {
          used = this.#client
          const client = used
          return client ? open((done) => request(client, done)) : Promise.reject(new NotOpened())
        }, signal)
      } catch (error) {
        if (error instanceof NotOpened) continue
        if (signal?.aborted) throw signal.reason
        throw this.#channelFailure(error, used !== this.#client)
      }
      // Aborted while the server was opening it: the command may have started, so end it there too.
      if (signal?.aborted) {
        stop(channel)
        throw signal.reason
      }
      return channel
    }
  }

  #channelFailure(error: unknown, connectionGone: boolean): unknown {
    if (typeof (error as Ssh2Error).reason === 'number') {
      return new UserError(
        'SSH_SESSION_REFUSED',
        `${this.#endpoint.host} refuses to open a session (${(error as Error).message}).`,
        'The server allows no session on this connection: check MaxSessions in its sshd_config (0 forbids ' +
          'all sessions) and any ForceCommand or `restrict` option on the key in authorized_keys.',
      )
    }
    if (!(error instanceof Error) || error instanceof UserError) return error
    if (connectionGone) {
      return connectionLost(
        this.#endpoint,
        'the command may or may not have started; check, then run it again',
      )
    }
    return new UserError(
      'SSH_CHANNEL_FAILED',
      `${this.#endpoint.host} refused the request: ${error.message}`,
      'Check that the account has a working login shell on the server (not /usr/sbin/nologin).',
    )
  }

  /** The connected client, connecting first when needed; waiting ends early on abort or close(). */
  #ready(signal?: AbortSignal): Promise<Client> {
    const signals = signal ? [signal, this.#closing.signal] : [this.#closing.signal]
    const stopped = signals.find((s) => s.aborted)
    if (stopped) return Promise.reject(stopped.reason)
    if (this.#client) return Promise.resolve(this.#client)
    if (!this.#connecting) {
      this.#connecting = this.#connectOnce()
      // Everyone who needs the connection awaits it; this keeps a failure nobody waits for quiet.
      this.#connecting.catch(() => {})
    }
    const connecting = this.#connecting
    return new Promise((resolve, reject) => {
      const onStop = (event: Event): void => reject((event.target as AbortSignal).reason)
      for (const s of signals) s.addEventListener('abort', onStop, { once: true })
      connecting.then(resolve, reject).finally(() => {
        for (const s of signals) s.removeEventListener('abort', onStop)
      })
    })
  }

  async #connectOnce(): Promise<Client> {
    this.#setStatus('connecting', null)
    try {
      return await this.#attempt()
    } catch (error) {
      this.#connecting = null
      if (!this.#closing.signal.aborted) this.#setStatus('offline', error as UserError)
      throw error
    }
  }

  /** After a drop: try again with exponential backoff and jitter until it works or it is time to give up. */
  async #reconnect(): Promise<Client> {
    const {
      initialDelayMs = 250,
      maxDelayMs = 30_000,
      giveUpAfterMs = 120_000,
    } = this.#options.reconnect ?? {}
    const started = Date.now()
    for (let attempt = 0; ; attempt++) {
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt)
      // Half fixed, half random: many clients dropped by one server restart do not come back in step.
      await sleep(delay / 2 + Math.random() * (delay / 2), undefined, { signal: this.#closing.signal })
      try {
        return await this.#attempt()
      } catch (error) {
        if (this.#closing.signal.aborted) throw this.#closing.signal.reason
        const giveUp =
          !TRANSIENT_CODES.has((error as UserError).code) || Date.now() - started >= giveUpAfterMs
        if (giveUp) {
          this.#connecting = null
          this.#setStatus('offline', error as UserError)
          throw error
        }
        this.#setStatus('reconnecting', error as UserError)
      }
    }
  }

  /** Makes a logged-in client the connection; called from its `ready` event so no event slips by. */
  #adopt(client: Client): Client {
    if (this.#closing.signal.aborted) {
      client.end()
      throw this.#closing.signal.reason
    }
    let dropError: UserError | null = null
    client.on('error', (error: Ssh2Error) => (dropError = connectionLost(this.#endpoint, error.message)))
    client.on('close', () => {
      if (this.#client !== client) return
      this.#client = null
      this.#setStatus('reconnecting', dropError ?? connectionLost(this.#endpoint, 'the server closed it'))
      this.#connecting = this.#reconnect()
      this.#connecting.catch(() => {})
    })
    this.#client = client
    this.#connecting = null
    this.#queue.reset()
    this.#setStatus('connected', null)
    return client
  }

  /** One connection attempt: TCP, host key check, login; resolves with the adopted client. */
  async #attempt(): Promise<Client> {
    const { user, hostKey } = this.#options
    const endpoint = this.#endpoint
    const auth = typeof this.#options.auth === 'function' ? await this.#options.auth() : this.#options.auth
    const credentials = authConfig(auth)
    const socket = await connectSocket(
      endpoint,
      this.#options.connectTimeoutMs ?? 10_000,
      this.#closing.signal,
    )
    return new Promise((resolve, reject) => {
      const client = new (ssh2().Client)()
      let hostKeyError: UserError | null = null
      let agentError: Error | null = null
      const fail = (error: unknown): void => {
        detach()
        client.on('error', () => {})
        client.destroy()
        reject(error)
      }
      const onError = (error: Ssh2Error): void => {
        // ssh2 reports an agent failure, then moves on to the next method: remember why it failed.
        if (error.level === 'agent') agentError = error
        else if (hostKeyError) fail(hostKeyError)
        // sshd hangs up with "Too many authentication failures" once MaxAuthTries keys were refused.
        else if (error.level === 'client-authentication' || /authentication failures/i.test(error.message)) {
          fail(agentError ? agentUnavailable(agentError) : authFailed(auth, user, endpoint))
        } else fail(handshakeFailure(endpoint, error))
      }
      const onClose = (): void => fail(hostKeyError ?? connectionLost(endpoint, 'it closed during login'))
      const onKeyboard = (...args: unknown[]): void => {
        // Password logins through PAM: answer each prompt with the password.
        const [, , , prompts, finish] = args as [
          string,
          string,
          string,
          unknown[],
          (answers: string[]) => void,
        ]
        finish(prompts.map(() => (auth.kind === 'password' ? auth.password : '')))
      }
      const onAbort = (): void => fail(this.#closing.signal.reason)
      const detach = (): void => {
        client.off('error', onError)
        client.off('close', onClose)
        client.off('keyboard-interactive', onKeyboard)
        this.#closing.signal.removeEventListener('abort', onAbort)
      }
      client.on('error', onError)
      client.on('close', onClose)
      client.on('keyboard-interactive', onKeyboard)
      client.once('ready', () => {
        detach()
        try {
          resolve(this.#adopt(client))
        } catch (error) {
          reject(error)
        }
      })
      this.#closing.signal.addEventListener('abort', onAbort, { once: true })
      client.connect({
        sock: socket,
        username: user,
        ...credentials,
        readyTimeout: this.#options.readyTimeoutMs ?? 30_000,
        keepaliveInterval: this.#options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: this.#options.keepaliveCountMax ?? 3,
        // Not an async function: ssh2 would take the returned promise for "accepted". Returning
        // nothing makes it wait for verify(); verify(false) aborts the key exchange, before any login.
        hostVerifier: (key: Buffer, verify: (accepted: boolean) => void): void => {
          hostKey.verify(endpoint.host, endpoint.port, key).then(
            () => verify(true),
            (error: unknown) => {
              hostKeyError = error instanceof UserError ? error : unreadableHostKey(endpoint, error)
              verify(false)
            },
          )
        },
      })
    })
  }

  #setStatus(state: ConnectionState, error: UserError | null): void {
    if (this.#status.state === state && this.#status.error === error) return
    this.#status = { state, error }
    for (const listener of this.#listeners) listener(this.#status)
  }
}

/** Opens a channel; a connection that went away before the server confirmed it is NotOpened. */
function open(
  request: (done: (error: Error | undefined, channel: ClientChannel) => void) => void,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      request((error, channel) => {
        // ssh2 fails channels it was still opening with this when the connection closes.
        if (error?.message === 'No response from server') reject(new NotOpened())
        else if (error) reject(error)
        else resolve(channel)
      })
    } catch {
      // ssh2 throws "Not connected" when the socket closed before the close event reached us.
      reject(new NotOpened())
    }
  })
}

function forwardFailed(endpoint: Endpoint, host: string, port: number, error: Ssh2Error): unknown {
  if (error instanceof UserError) return error
  const target = `${host}:${port}`
  switch (error.reason) {
    case 1:
      return new UserError(
        'SSH_FORWARD_REFUSED',
        `${endpoint.host} does not allow forwarding to ${target}.`,
        'Set `AllowTcpForwarding yes` (or `local`) in the server’s sshd_config and check PermitOpen.',
      )
    case 2:
      return new UserError(
        'SSH_FORWARD_FAILED',
        `${endpoint.host} could not connect to ${target}: ${error.message}`,
        `Check that something listens on ${target} on the server.`,
      )
    default:
      return new UserError(
        'SSH_FORWARD_FAILED',
        `Forwarding to ${target} through ${endpoint.host} failed: ${error.message}`,
        'Check that the server allows TCP forwarding and that the service is up.',
      )
  }
}

function unreadableHostKey({ host, port }: Endpoint, error: unknown): UserError {
  return new UserError(
    'SSH_HANDSHAKE_FAILED',
    `${host}:${port} presented a host key Helvetia cannot read: ${(error as Error).message}`,
    'Check the server’s host keys (`ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub` on it).',
  )
}

/** Ends what runs in a channel: kills its processes on the server, then closes the channel. */
function stop(channel: ClientChannel): void {
  killRemote(channel)
  channel.close()
}

/**
 * ssh2 sends a signal request only while the channel is writable, and exec closes stdin right away;
 * sshd accepts the request regardless and signals the command's whole process group. Pinned to ssh2
 * 1.17's internals; the abort test in test/integration/ssh-connection.test.ts guards it.
 */
function killRemote(channel: ClientChannel): void {
  const internal = channel as unknown as {
    outgoing: { id: number; state: string }
    _client: { _protocol: { signal(id: number, name: string): void } }
  }
  if (internal.outgoing.state === 'open' || internal.outgoing.state === 'eof') {
    internal._client._protocol.signal(internal.outgoing.id, 'KILL')
  }
}

/** Like sh: 128 + the signal's number. OpenSSH sends only the names below; 255 for anything else, like ssh. */
export function exitCodeOfSignal(signalName: string | undefined): number {
  const number = SIGNAL_NUMBERS[signalName?.replace(/^SIG/, '') ?? '']
  return number === undefined ? 255 : 128 + number
}

/** RFC 4254 §6.10 signal names with their Linux numbers. */
const SIGNAL_NUMBERS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  ABRT: 6,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
}
