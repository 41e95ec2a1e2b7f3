import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isConcrete, matchPattern, matchPatternList } from '../../src-main/core/ssh/host-pattern'

test('* and ? match like OpenSSH, case-insensitively', () => {
  assert.ok(matchPattern('web1.example.com', '*.example.com'))
  assert.ok(matchPattern('web1.example.com', 'web?.example.com'))
  assert.ok(matchPattern('WEB1.Example.COM', 'web1.example.com'))
  assert.ok(matchPattern('anything', '*'))
  assert.ok(matchPattern('[10.0.0.1]:2222', '[10.0.0.*]:2222'))
  assert.ok(matchPattern('a.b.c', '*.*'))
  assert.ok(!matchPattern('example.com', '*.example.com'))
  assert.ok(!matchPattern('web10.example.com', 'web?.example.com'))
  assert.ok(!matchPattern('[10.0.0.1]:22', '[10.0.0.*]:2222'))
  assert.ok(!matchPattern('abc', 'ab'))
})

test('a list matches when a pattern does and no negated pattern does', () => {
  const list = ['*.example.com', '!db.example.com']
  assert.ok(matchPatternList('web.example.com', list))
  assert.ok(!matchPatternList('db.example.com', list))
  assert.ok(!matchPatternList('other.org', list))
  // A negation alone never matches anything (as in OpenSSH).
  assert.ok(!matchPatternList('web.example.com', ['!db.example.com']))
})

test('concrete patterns name one host', () => {
  assert.ok(isConcrete('web.example.com'))
  assert.ok(!isConcrete('*.example.com'))
  assert.ok(!isConcrete('web?'))
  assert.ok(!isConcrete('!web'))
})
