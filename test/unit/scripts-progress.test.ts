import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lineSplitter } from '../../src-main/core/remote/line-splitter'
import { parseProgressLine } from '../../src-main/core/remote/progress'

test('step lines carry id, status, message and, when failed, a code', () => {
  assert.deepEqual(parseProgressLine('::helvetia:: step=proxy-health status=running Waiting for the proxy'), {
    type: 'step',
    step: 'proxy-health',
    status: 'running',
    code: null,
    message: 'Waiting for the proxy',
  })
  assert.deepEqual(
    parseProgressLine('::helvetia:: step=ports status=failed code=PORT_TAKEN Port 80 is in use'),
    {
      type: 'step',
      step: 'ports',
      status: 'failed',
      code: 'PORT_TAKEN',
      message: 'Port 80 is in use',
    },
  )
  assert.deepEqual(parseProgressLine('::helvetia:: step=network status=done'), {
    type: 'step',
    step: 'network',
    status: 'done',
    code: null,
    message: '',
  })
})

test('fact, changed and hint lines', () => {
  assert.deepEqual(parseProgressLine('::helvetia:: fact docker-version=27.1.1'), {
    type: 'fact',
    key: 'docker-version',
    value: '27.1.1',
  })
  assert.deepEqual(parseProgressLine('::helvetia:: fact docker-version='), {
    type: 'fact',
    key: 'docker-version',
    value: '',
  })
  assert.deepEqual(parseProgressLine('::helvetia:: fact os-version=a=b'), {
    type: 'fact',
    key: 'os-version',
    value: 'a=b',
  })
  assert.deepEqual(parseProgressLine('::helvetia:: changed=0'), { type: 'changed', changed: false })
  assert.deepEqual(parseProgressLine('::helvetia:: changed=1'), { type: 'changed', changed: true })
  assert.deepEqual(parseProgressLine('::helvetia:: hint Run it as root.'), {
    type: 'hint',
    text: 'Run it as root.',
  })
})

test('anything else is human output', () => {
  for (const line of [
    '',
    'Pulling caddy:2',
    ' ::helvetia:: changed=1',
    '::helvetia::changed=1',
    '::helvetia:: changed=2',
    '::helvetia:: step=Proxy status=done x',
    '::helvetia:: step=proxy status=finished x',
    '::helvetia:: step=proxy status=done code=PORT_TAKEN a code only on failure',
    '::helvetia:: fact Os=linux',
    '::helvetia:: hint',
    '::helvetia:: scripts-missing',
  ]) {
    assert.equal(parseProgressLine(line), null, line)
  }
})

test('lines split across chunks and UTF-8 characters split across chunks arrive whole', () => {
  const lines: string[] = []
  const splitter = lineSplitter((line) => lines.push(line))
  const bytes = Buffer.from('first\r\nzweite Zeile: grüß\ndrit', 'utf8')
  const umlaut = bytes.indexOf(Buffer.from('ü'))
  splitter.write(bytes.subarray(0, 3))
  splitter.write(bytes.subarray(3, umlaut + 1)) // ends inside "ü"
  splitter.write(bytes.subarray(umlaut + 1))
  splitter.write(Buffer.from('te'))
  assert.deepEqual(lines, ['first', 'zweite Zeile: grüß'])
  splitter.end()
  assert.deepEqual(lines, ['first', 'zweite Zeile: grüß', 'dritte'])
})
