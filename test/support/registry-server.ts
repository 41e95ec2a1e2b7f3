/**
 * A private registry on 127.0.0.1 for a test: Debian's docker-registry (Docker's distribution) with
 * htpasswd logins, its configuration and storage in a temporary folder, stopped and removed after the
 * test. The Docker engine talks plain HTTP to registries on 127.0.0.0/8, so no TLS is needed.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { freePorts } from '../integration/provision-support'
import { until } from './until'

export interface RegistryServer {
  /** `127.0.0.1:PORT`, as image references name it. */
  host: string
  username: string
  password: string
  /** Where the registry keeps its configuration and blobs (removed after the test). */
  dir: string
  /** Runs `docker ARGS` with the login, through a Docker config of its own deleted right after. */
  docker(args: string[]): string
}

export async function startRegistry(t: TestContext): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-registry-'))
  const [port = 0] = await freePorts(1)
  const username = 'helvetia'
  const password = `pw-${randomBytes(12).toString('hex')}`
  // bcrypt, which the registry requires; the password reaches htpasswd on its standard input.
  execFileSync('htpasswd', ['-Bic', join(dir, 'htpasswd'), username], { input: password, stdio: 'pipe' })
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: error }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: ${randomBytes(16).toString('hex')} }`,
      `auth: { htpasswd: { realm: helvetia-test, path: ${join(dir, 'htpasswd')} } }`,
      '',
    ].join('\n'),
  )
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })
  // Up once /v2/ answers, asking for a login.
  await until('the registry to answer', 30_000, async () =>
    child.exitCode !== null || (await status(port)) === 401 ? true : undefined,
  )
  if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`)
  const host = `127.0.0.1:${port}`
  return {
    host,
    username,
    password,
    dir,
    docker(args) {
      const config = mkdtempSync(join(dir, 'client-'))
      try {
        const auth = Buffer.from(`${username}:${password}`).toString('base64')
        writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }), {
          mode: 0o600,
        })
        return execFileSync('docker', ['--config', config, ...args], { encoding: 'utf8', stdio: 'pipe' })
      } finally {
        rmSync(config, { recursive: true, force: true })
      }
    },
  }
}

function status(port: number): Promise<number> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port, path: '/v2/' }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
      .on('error', () => resolve(0))
      .end()
  })
}
