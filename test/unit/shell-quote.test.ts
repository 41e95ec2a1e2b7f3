import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { quote, sh } from '../../src-main/core/shell/quote'

const HOSTILE = [
  "'; touch /tmp/helvetia-pwned; echo '",
  '$(touch /tmp/helvetia-pwned)',
  '`touch /tmp/helvetia-pwned`',
  'a\nb; touch /tmp/helvetia-pwned',
  '"; touch /tmp/helvetia-pwned; "',
  '\\',
  '* ? [a] ~ & | > < ! { } #',
  '',
]

test('a quoted value reaches the command unchanged and nothing in it runs', () => {
  for (const value of HOSTILE) {
    const out = execFileSync('sh', ['-c', sh`printf %s ${value}`], { encoding: 'utf8' })
    assert.equal(out, value)
  }
})

test('arrays become several quoted words', () => {
  const out = execFileSync('sh', ['-c', sh`printf '<%s>' ${['a b', "c'd", '$e']}`], { encoding: 'utf8' })
  assert.equal(out, "<a b><c'd><$e>")
})

test('a NUL byte is refused rather than silently truncated', () => {
  assert.throws(() => quote('a\0b'), /NUL/)
})
