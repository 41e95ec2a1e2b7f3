import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fingerprint, keyType, parseFingerprint } from '../../src-main/core/ssh/fingerprint'

test('fingerprints and key types match ssh-keygen for ed25519, ECDSA and RSA keys', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-fp-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  for (const [type, bits] of [
    ['ed25519', '256'],
    ['ecdsa', '384'],
    ['rsa', '2048'],
  ] as const) {
    const file = join(dir, type)
    execFileSync('ssh-keygen', ['-q', '-t', type, '-b', bits, '-N', '', '-C', 'test', '-f', file])
    const [name, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ')
    const blob = Buffer.from(base64 as string, 'base64')
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], {
      encoding: 'utf8',
    })
    assert.equal(fingerprint(blob), expected.split(' ')[1])
    assert.equal(keyType(blob), name)
  }
})

test('a malformed key blob is refused', () => {
  assert.throws(() => keyType(Buffer.from([0, 0])), TypeError)
  assert.throws(() => keyType(Buffer.from([0, 0, 0, 9, 65])), TypeError)
})

test('a typed or pasted fingerprint is normalized; anything else is refused with a fix', () => {
  const fp = 'SHA256:FqYqEB6WP+wzAofDMSNDkWCZdL/QOCIzOgPZRJ+Vro8'
  assert.equal(parseFingerprint(fp), fp)
  assert.equal(parseFingerprint(`  ${fp}=\n`), fp)
  for (const bad of ['', 'MD5:aa:bb', 'SHA256:short', `${fp}!`, fp.replace('SHA256:', 'sha256:')]) {
    assert.throws(
      () => parseFingerprint(bad),
      (error: Error & { code?: string; hint?: string }) =>
        error.code === 'FINGERPRINT_INVALID' && /ssh-keygen -lf/.test(error.hint ?? ''),
    )
  }
})
