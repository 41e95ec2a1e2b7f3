import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fingerprint } from '../../src-main/core/ssh/fingerprint'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { generateKeyPair } from '../../src-main/core/ssh/key-pair'
import { failsWith } from '../support/user-error'

const HOST = '127.0.0.1'
const PORT = 2222

function hostKey(): { line: string; blob: Buffer; fp: string } {
  const line = generateKeyPair('host').publicKey
  const blob = Buffer.from(line.split(' ')[1] as string, 'base64')
  return { line, blob, fp: fingerprint(blob) }
}

/** A known_hosts file with these lines, removed after the test. */
function knownHosts(t: TestContext, ...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-policy-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'known_hosts')
  writeFileSync(path, lines.join('\n'))
  return path
}

test('an unknown key is refused, showing its fingerprint and how to confirm it', async (t) => {
  const key = hostKey()
  const policy = createHostKeyPolicy({ knownHostsPath: knownHosts(t) })
  await assert.rejects(
    policy.verify(HOST, PORT, key.blob),
    failsWith('HOST_KEY_UNKNOWN', (error) => {
      assert.ok(error.message.includes(key.fp))
      assert.match(error.hint ?? '', /confirm it and pass it as --fingerprint/)
    }),
  )
})

test('a pinned fingerprint accepts exactly that key', async (t) => {
  const key = hostKey()
  const other = hostKey()
  const path = knownHosts(t)
  await createHostKeyPolicy({ pinned: key.fp, knownHostsPath: path }).verify(HOST, PORT, key.blob)
  await assert.rejects(
    createHostKeyPolicy({ pinned: key.fp, knownHostsPath: path }).verify(HOST, PORT, other.blob),
    failsWith('HOST_KEY_MISMATCH', (error) => {
      assert.ok(error.message.includes(key.fp), 'shows the expected fingerprint')
      assert.ok(error.message.includes(other.fp), 'shows the presented fingerprint')
      assert.match(error.hint ?? '', /man-in-the-middle/)
      assert.match(error.hint ?? '', /remove the server and add it again/)
    }),
  )
})

test('a pin outranks known_hosts: its key is accepted even where known_hosts lists another', async (t) => {
  const pinned = hostKey()
  const listed = hostKey()
  const path = knownHosts(t, `[${HOST}]:${PORT} ${listed.line}`)
  await createHostKeyPolicy({ pinned: pinned.fp, knownHostsPath: path }).verify(HOST, PORT, pinned.blob)
  await assert.rejects(
    createHostKeyPolicy({ pinned: pinned.fp, knownHostsPath: path }).verify(HOST, PORT, listed.blob),
    failsWith('HOST_KEY_MISMATCH'),
  )
})

test('without a pin, known_hosts vouches for its keys and refuses a changed one', async (t) => {
  const listed = hostKey()
  const changed = hostKey()
  const policy = createHostKeyPolicy({ knownHostsPath: knownHosts(t, `[${HOST}]:${PORT} ${listed.line}`) })
  await policy.verify(HOST, PORT, listed.blob)
  await assert.rejects(
    policy.verify(HOST, PORT, changed.blob),
    failsWith('HOST_KEY_MISMATCH', (error) => {
      assert.ok(error.message.includes(changed.fp))
      assert.match(error.hint ?? '', /ssh-keygen -R '\[127\.0\.0\.1\]:2222'/)
    }),
  )
})

test('a revoked key is refused, even when pinned', async (t) => {
  const key = hostKey()
  const path = knownHosts(t, `@revoked * ${key.line}`)
  await assert.rejects(
    createHostKeyPolicy({ pinned: key.fp, knownHostsPath: path }).verify(HOST, PORT, key.blob),
    failsWith('HOST_KEY_REVOKED', (error) => assert.ok(error.message.includes(key.fp))),
  )
})

test('a malformed pin is refused up front', () => {
  assert.throws(() => createHostKeyPolicy({ pinned: 'not-a-fingerprint' }), failsWith('FINGERPRINT_INVALID'))
})
