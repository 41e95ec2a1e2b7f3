/**
 * Proves the disposable test server works end to end: SSH with the generated key to the
 * throwaway user (host key checked against the expected fingerprint), Docker as that user,
 * the offline base images, the MaxSessions 2 sshd, and an sshd restart.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { Client } from 'ssh2'

import { testServer, type TestServer } from '../support/test-server.js'

function fingerprint(rawHostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(rawHostKey).digest('base64').replace(/=+$/, '')}`
}

function connect(
  server: TestServer,
  options: { port?: number; expectedFingerprint?: string } = {},
): Promise<Client> {
  const expected = options.expectedFingerprint ?? server.hostKeyFingerprint
  return new Promise((resolve, reject) => {
    const client = new Client()
    client
      .on('ready', () => resolve(client))
      .on('error', reject)
      .connect({
        host: server.host,
        port: options.port ?? server.port,
        username: server.user,
        privateKey: readFileSync(server.keyPath),
        readyTimeout: 15_000,
        hostVerifier: (key: Buffer) => fingerprint(key) === expected,
      })
  })
}

interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
}

function exec(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) {
        reject(error)
        return
      }
      let stdout = ''
      let stderr = ''
      stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      stream.on('close', (code: number | null) => resolve({ code, stdout, stderr }))
    })
  })
}

async function withClient<T>(
  server: TestServer,
  fn: (client: Client) => Promise<T>,
  options?: { port?: number },
): Promise<T> {
  const client = await connect(server, options)
  try {
    return await fn(client)
  } finally {
    client.end()
  }
}

describe('test server', () => {
  test('accepts the client key and presents the expected host key', async (t) => {
    const server = testServer(t)
    if (!server) return
    const result = await withClient(server, (c) => exec(c, 'id -un; id -Gn'))
    assert.equal(result.code, 0, result.stderr)
    const [user, groups] = result.stdout.trim().split('\n')
    assert.equal(user, server.user)
    assert.ok(groups?.split(' ').includes('docker'), `groups: ${groups}`)
  })

  test('a wrong host key fingerprint is refused', async (t) => {
    const server = testServer(t)
    if (!server) return
    await assert.rejects(
      connect(server, { expectedFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    )
  })

  test('the test user runs docker', async (t) => {
    const server = testServer(t)
    if (!server) return
    const result = await withClient(server, (c) => exec(c, "docker version --format '{{.Server.Version}}'"))
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+/)
  })

  test('the offline base images run', async (t) => {
    const server = testServer(t)
    if (!server) return
    await withClient(server, async (c) => {
      const busybox = await exec(c, `docker run --rm --network none ${server.images.busybox} echo hi`)
      assert.equal(busybox.code, 0, busybox.stderr)
      assert.equal(busybox.stdout, 'hi\n')
      const node = await exec(
        c,
        `docker run --rm --network none ${server.images.node} node -e 'console.log(6*7)'`,
      )
      assert.equal(node.code, 0, node.stderr)
      assert.equal(node.stdout, '42\n')
      const caddy = await exec(c, `docker run --rm --network none ${server.images.caddy} caddy version`)
      assert.equal(caddy.code, 0, caddy.stderr)
      assert.match(caddy.stdout, /^v?2\./)
    })
  })

  test('the MaxSessions 2 sshd refuses a third session on one connection', async (t) => {
    const server = testServer(t)
    if (!server) return
    await withClient(
      server,
      async (c) => {
        const results = await Promise.allSettled([1, 2, 3].map(() => exec(c, 'sleep 1; echo ok')))
        const ok = results.filter((r) => r.status === 'fulfilled' && r.value.stdout === 'ok\n')
        const refused = results.filter((r) => r.status === 'rejected')
        assert.equal(ok.length, 2)
        assert.equal(refused.length, 1)
      },
      { port: server.portMaxSessions2 },
    )
  })

  test('after an sshd restart the old connection is gone and a new one works', async (t) => {
    const server = testServer(t)
    if (!server) return
    const client = await connect(server)
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()))
    client.on('error', () => {}) // the cut connection may report ECONNRESET
    await server.restartSshd()
    await closed
    const result = await withClient(server, (c) => exec(c, 'echo back'))
    assert.equal(result.stdout, 'back\n')
  })
})
