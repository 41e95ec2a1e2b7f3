/**
 * The disposable, real test server for integration and UI tests.
 *
 * `test/run.sh` (what `npm test` runs) starts it with `test/server/up.sh` and sources
 * `$HELVETIA_TEST_STATE/env` before node starts, so the facts below arrive as environment
 * variables. When they are missing (not root, up.sh failed, node run by hand), a test that asks
 * for the server is skipped, with the reason from `HELVETIA_TEST_SERVER_UNAVAILABLE`; under CI
 * (`CI=true`) a missing server is a failure instead.
 *
 * Usage:
 *   test('deploys', async (t) => {
 *     const server = testServer(t);
 *     if (!server) return; // skipped
 *     ...
 *   });
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** What `testServer` needs of node:test's TestContext (or SuiteContext-like objects). */
export interface Skippable {
  skip(message?: string): void
}

export interface RestartSshdOptions {
  /** Which sshd: the main one (default) or the one with `MaxSessions 2`. */
  which?: 'main' | 'maxsessions2'
  /**
   * Keep open connections alive and only replace the listening sshd (like systemd's
   * `systemctl restart ssh`). Default false: open connections are cut, as if the server went away.
   */
  keepSessions?: boolean
  /** Milliseconds between stop and start (default 0). */
  downMs?: number
}

export interface TestServer {
  /** Always 127.0.0.1. */
  host: string
  /** Port of the main sshd (OpenSSH defaults, MaxStartups 100). */
  port: number
  /** Port of a second sshd with `MaxSessions 2` (same host key, same user). */
  portMaxSessions2: number
  /** Throwaway user `helvetia-test`, in group docker. */
  user: string
  /** Path of the client's private ed25519 key (no passphrase). */
  keyPath: string
  /** The host key's fingerprint in OpenSSH form: `SHA256:<base64 without padding>`. */
  hostKeyFingerprint: string
  /** Offline base images present on the server's Docker (nothing can be pulled). */
  images: {
    /** busybox-static with applet links (sh, httpd, wget, nc, ...). CMD ["sh"]. */
    busybox: string
    /** busybox + Debian's caddy 2.6; CMD runs /etc/caddy/Caddyfile (file server on :80). */
    caddy: string
    /** busybox + the host's node at /usr/local/bin/node. CMD ["node"]. */
    node: string
    /** Debian's PostgreSQL 15 with the official image's environment contract (test/server/db-images.sh). */
    postgres: string
    /** Debian's MariaDB 10.11, the official image's environment contract. */
    mariadb: string
    /** Debian's Redis 7: `redis-server ARGS`, data in /data. */
    redis: string
    /** Debian's rclone; entry point `rclone`, as rclone's own image. */
    rclone: string
  }
  /** The state dir of test/server/up.sh (logs, sshd configs). */
  stateDir: string
  /** Restarts an sshd on the same port; resolves once it listens again. */
  restartSshd(options?: RestartSshdOptions): Promise<void>
  /** Stops an sshd (cutting open connections unless keepSessions); `startSshd` brings it back. */
  stopSshd(options?: Pick<RestartSshdOptions, 'which' | 'keepSessions'>): Promise<void>
  startSshd(options?: Pick<RestartSshdOptions, 'which'>): Promise<void>
}

const RESTART_SCRIPT = fileURLToPath(new URL('../server/restart-sshd.sh', import.meta.url))

const REQUIRED = [
  'HELVETIA_TEST_SSH_HOST',
  'HELVETIA_TEST_SSH_PORT',
  'HELVETIA_TEST_SSH_PORT_MAXSESSIONS2',
  'HELVETIA_TEST_SSH_USER',
  'HELVETIA_TEST_SSH_KEY',
  'HELVETIA_TEST_SSH_HOST_KEY_FINGERPRINT',
  'HELVETIA_TEST_IMAGE_BUSYBOX',
  'HELVETIA_TEST_IMAGE_CADDY',
  'HELVETIA_TEST_IMAGE_NODE',
  'HELVETIA_TEST_IMAGE_POSTGRES',
  'HELVETIA_TEST_IMAGE_MARIADB',
  'HELVETIA_TEST_IMAGE_REDIS',
  'HELVETIA_TEST_IMAGE_RCLONE',
] as const

function isCI(): boolean {
  return process.env.CI === 'true'
}

/** Skips the test (or, under CI, throws) because `what` is unavailable for `reason`. */
export function unavailable(t: Skippable, what: string, reason: string): undefined {
  const message = `${what} unavailable: ${reason}`
  if (isCI()) {
    throw new Error(`${message} (CI=true: a missing ${what} is a failure)`)
  }
  t.skip(message)
  return undefined
}

function runRestartScript(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [RESTART_SCRIPT, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(
            `restart-sshd.sh ${args.join(' ')} failed: ${stderr.trim() || stdout.trim() || error.message}`,
          ),
        )
      } else {
        resolve()
      }
    })
  })
}

function parsePort(name: string, value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${name} is not a port: ${JSON.stringify(value)}`)
  }
  return port
}

/**
 * The test server, or undefined after `t.skip(reason)` when it is not available.
 * Under CI (`CI=true`) a missing server throws instead of skipping.
 */
export function testServer(t: Skippable): TestServer | undefined {
  const env = process.env
  const missing = REQUIRED.filter((name) => !env[name])
  if (missing.length > 0) {
    const reason =
      env.HELVETIA_TEST_SERVER_UNAVAILABLE ??
      `${missing.join(', ')} not set (run the tests with \`npm test\`, which starts the server as root)`
    return unavailable(t, 'test server', reason)
  }
  const get = (name: (typeof REQUIRED)[number]): string => env[name] ?? ''
  const stateDir = env.HELVETIA_TEST_STATE ?? '/tmp/helvetia-test-server'

  const whichArgs = (which: RestartSshdOptions['which']): string[] => ['--which', which ?? 'main']

  return {
    host: get('HELVETIA_TEST_SSH_HOST'),
    port: parsePort('HELVETIA_TEST_SSH_PORT', get('HELVETIA_TEST_SSH_PORT')),
    portMaxSessions2: parsePort(
      'HELVETIA_TEST_SSH_PORT_MAXSESSIONS2',
      get('HELVETIA_TEST_SSH_PORT_MAXSESSIONS2'),
    ),
    user: get('HELVETIA_TEST_SSH_USER'),
    keyPath: get('HELVETIA_TEST_SSH_KEY'),
    hostKeyFingerprint: get('HELVETIA_TEST_SSH_HOST_KEY_FINGERPRINT'),
    images: {
      busybox: get('HELVETIA_TEST_IMAGE_BUSYBOX'),
      caddy: get('HELVETIA_TEST_IMAGE_CADDY'),
      node: get('HELVETIA_TEST_IMAGE_NODE'),
      postgres: get('HELVETIA_TEST_IMAGE_POSTGRES'),
      mariadb: get('HELVETIA_TEST_IMAGE_MARIADB'),
      redis: get('HELVETIA_TEST_IMAGE_REDIS'),
      rclone: get('HELVETIA_TEST_IMAGE_RCLONE'),
    },
    stateDir,
    restartSshd(options = {}) {
      const args = ['restart', ...whichArgs(options.which)]
      if (options.keepSessions) args.push('--keep-sessions')
      if (options.downMs) args.push('--down-seconds', (options.downMs / 1000).toFixed(3))
      return runRestartScript(args)
    },
    stopSshd(options = {}) {
      const args = ['stop', ...whichArgs(options.which)]
      if (options.keepSessions) args.push('--keep-sessions')
      return runRestartScript(args)
    },
    startSshd(options = {}) {
      return runRestartScript(['start', ...whichArgs(options.which)])
    },
  }
}

/** Where the UI tests find Chromium (Debian's package; override with HELVETIA_TEST_CHROMIUM). */
export const CHROMIUM_PATH = process.env.HELVETIA_TEST_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Whether Chromium is installed. With a test context: when it is missing the test is skipped
 * (or, under CI, this throws), so `if (!hasChromium(t)) return;` is all a UI test needs.
 */
export function hasChromium(t?: Skippable): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  if (t) unavailable(t, 'Chromium', `${CHROMIUM_PATH} not found (apt-get install chromium)`)
  return false
}
