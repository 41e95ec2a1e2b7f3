/**
 * The server's log filter (remote-scripts/lib/secret-mask.sh) derives the forms of each secret from a
 * deployment's env file; the desktop's masker (secretPatterns) derives them in TypeScript. Both must
 * find the same forms, or a log would show on one side what the other hides: run here with the local
 * sh, dash or whatever /bin/sh is, as on a server.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createSecretMasker, DEFAULT_MASK, secretPatterns } from '../../src-main/core/logs/secret-masker'

const LIB = fileURLToPath(new URL('../../remote-scripts/lib', import.meta.url))

function serverSide(env: string, secrets: string, script: string, input = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-mask-'))
  try {
    writeFileSync(join(dir, 'env'), env)
    writeFileSync(join(dir, 'secrets'), secrets)
    return execFileSync(
      'sh',
      [
        '-c',
        `. "$1/progress.sh"; . "$1/rules.sh"; . "$1/validate.sh"; . "$1/secret-mask.sh"; ${script}`,
        'sh',
        LIB,
        dir,
      ],
      { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const VALUES = [
  'hunter2-secret',
  'p@ss w0rd/+?&=#%',
  "  padded\tvalue!~*'() ",
  'ключ-доступа',
  'a🔑b=c',
  'abcd',
  'x'.repeat(97),
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
]

test('the server derives the same forms of each secret as the desktop', () => {
  for (const value of VALUES) {
    const derived = serverSide(
      `OTHER=plain\nTOKEN=${value}\n`,
      'TOKEN\n',
      'secret_patterns "$2/env" "$2/secrets"',
    )
    const expected = secretPatterns([value]).filter((p) => p !== '' && !/[\r\n]/.test(p))
    assert.deepEqual(derived.split('\n').filter(Boolean).sort(), [...new Set(expected)].sort(), value)
  }
})

test('the filter masks only the variables named secret, and none shorter than four bytes', () => {
  const line = `token hunter2-secret, base64 ${Buffer.from('hunter2-secret').toString('base64')}, abc in production`
  const out = serverSide(
    'TOKEN=hunter2-secret\nSHORT=abc\nMODE=production\n',
    'TOKEN\nSHORT\n',
    'mask_filter "$2/env" "$2/secrets"',
    `${line}\n`,
  )
  assert.equal(out, `${createSecretMasker(['hunter2-secret', 'abc']).maskAll(line)}\n`)
  assert.ok(
    out.startsWith(`token ${DEFAULT_MASK}, base64 ${DEFAULT_MASK}`) && out.includes('abc in production'),
  )
})
