/**
 * A server login the shared test server cannot offer: a throwaway user of this test's own (not in the
 * docker group unless asked, with a random password; or the test server's own user, `testUser`) behind
 * an sshd of this test's own on a free port of 127.0.0.1, with the login methods the test names and,
 * optionally, environment variables that sshd sets for every session (`SetEnv`, as an administrator
 * would). The shared sshds stay as they are, for
 * the tests that run beside this one. Both go after the test: the sshd and its sessions by process id,
 * the user with its home.
 *
 * It needs root on this machine (to add a user), like test/server/up.sh; without root the test skips,
 * and under CI=true it fails.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { freePorts } from '../integration/provision-support'
import { testServer, unavailable } from './test-server'

const run = promisify(execFile)
const SSHD = '/usr/sbin/sshd'

export type LoginMethod = 'publickey' | 'password' | 'keyboard-interactive'

export interface ThrowawayOptions {
  /** The methods sshd accepts, each enough alone. `publickey` takes the test server's client key. */
  methods: LoginMethod[]
  /** Put the user in the docker group (default: not). */
  docker?: boolean
  /** Variables sshd sets in every session. */
  env?: Record<string, string>
  /**
   * Log in as the test server's own user (its key, its docker group) instead of a new one: for a
   * test that needs only this sshd's `env`. No password then.
   */
  testUser?: boolean
}

export interface ThrowawaySshd {
  host: string
  port: number
  /** `helvetia-ta-<hex>`, made for this test. */
  user: string
  password: string
  /** The client key that `publickey` accepts (the test server's). */
  keyPath: string
  hostKeyFingerprint: string
  /** This sshd's log so far (its stderr), for assertions and failure messages. */
  log(): string
  /** Resolves once the log holds `count` matches of `pattern` (a global RegExp). */
  logged(pattern: RegExp, count: number): Promise<void>
  /** The user's ~/.ssh/authorized_keys ('' when there is none). */
  authorizedKeys(): string
}

export async function throwawaySshd(
  t: TestContext,
  options: ThrowawayOptions,
): Promise<ThrowawaySshd | undefined> {
  const server = testServer(t)
  if (!server) return undefined
  if (process.getuid?.() !== 0) return unavailable(t, 'a throwaway sshd', 'adding a user needs root')

  // Undone after the test, last step first: the sshd before its user, the user before the folder.
  const undo: (() => unknown)[] = []
  t.after(async () => {
    for (const step of undo.reverse()) await step()
  })
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-ta-sshd-'))
  undo.push(() => rmSync(dir, { recursive: true, force: true }))
  const user = options.testUser ? server.user : `helvetia-ta-${randomBytes(3).toString('hex')}`
  const password = options.testUser ? '' : randomBytes(12).toString('base64url')
  const home = options.testUser ? '' : await addUser(user, password, options, undo)
  if (home && options.methods.includes('publickey')) {
    await run('install', ['-d', '-m', '700', '-o', user, '-g', user, `${home}/.ssh`])
    await run('install', [
      '-m',
      '600',
      '-o',
      user,
      '-g',
      user,
      `${server.keyPath}.pub`,
      `${home}/.ssh/authorized_keys`,
    ])
  }

  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', user, '-f', join(dir, 'host')])
  const hostKeyFingerprint =
    (await run('ssh-keygen', ['-lf', join(dir, 'host.pub')])).stdout.split(' ')[1] ?? ''
  const [port = 0] = await freePorts(1)
  const allows = (method: LoginMethod) => (options.methods.includes(method) ? 'yes' : 'no')
  const config = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${join(dir, 'host')}`,
    'PidFile none',
    `AllowUsers ${user}`,
    'PermitRootLogin no',
    `AuthenticationMethods ${options.methods.join(' ')}`,
    `PubkeyAuthentication ${allows('publickey')}`,
    `PasswordAuthentication ${allows('password')}`,
    `KbdInteractiveAuthentication ${allows('keyboard-interactive')}`,
    // Keyboard-interactive on Linux is PAM's (it asks for the password); password logins alone need no PAM.
    `UsePAM ${allows('keyboard-interactive')}`,
    ...Object.entries(options.env ?? {}).map(([key, value]) => `SetEnv ${key}=${value}`),
    'LogLevel VERBOSE',
    'MaxStartups 100',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n')
  writeFileSync(join(dir, 'sshd_config'), config)

  // -D: stays in front, so this test owns its process id; -e: the log is its stderr.
  const sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  undo.push(() => stop(sshd))
  let log = ''
  await new Promise<void>((resolve, reject) => {
    sshd.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes(`Server listening on 127.0.0.1 port ${port}.`)) resolve()
    })
    sshd.on('exit', (code) => reject(new Error(`sshd exited with ${code} before it listened: ${log}`)))
    sshd.on('error', reject)
  })

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    keyPath: server.keyPath,
    hostKeyFingerprint,
    log: () => log,
    logged: (pattern, count) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((log.match(pattern) ?? []).length < count) return
          sshd.stderr.off('data', check)
          resolve()
        }
        sshd.stderr.on('data', check)
        check()
      }),
    authorizedKeys: () => {
      if (!home) return ''
      try {
        return readFileSync(`${home}/.ssh/authorized_keys`, 'utf8')
      } catch {
        return ''
      }
    },
  }
}

/** Adds the throwaway user (removed again by `undo`); returns its home. */
async function addUser(
  user: string,
  password: string,
  options: ThrowawayOptions,
  undo: (() => unknown)[],
): Promise<string> {
  await run('useradd', [
    '--create-home',
    '--shell',
    '/bin/sh',
    ...(options.docker ? ['--groups', 'docker'] : []),
    user,
  ])
  undo.push(() => run('userdel', ['--remove', '--force', user]))
  await new Promise<void>((resolve, reject) => {
    const child = execFile('chpasswd', (error) => (error ? reject(error) : resolve()))
    child.stdin?.end(`${user}:${password}\n`)
  })
  return (await run('getent', ['passwd', user])).stdout.split(':')[5] ?? ''
}

/** Ends the sessions this sshd forked (by process id), then the sshd itself, and waits for it. */
async function stop(sshd: ReturnType<typeof spawn>): Promise<void> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=', '-o', 'ppid='])
  const children = new Map<number, number[]>()
  for (const line of stdout.trim().split('\n')) {
    const [child = 0, parent = 0] = line.trim().split(/\s+/).map(Number)
    children.set(parent, [...(children.get(parent) ?? []), child])
  }
  const descendants = (of: number): number[] =>
    (children.get(of) ?? []).flatMap((child) => [child, ...descendants(child)])
  for (const session of descendants(sshd.pid ?? -1)) {
    try {
      process.kill(session, 'SIGTERM')
    } catch {
      // Gone already.
    }
  }
  if (sshd.exitCode !== null) return
  const exited = new Promise((resolve) => sshd.once('exit', resolve))
  sshd.kill('SIGTERM')
  await exited
}
