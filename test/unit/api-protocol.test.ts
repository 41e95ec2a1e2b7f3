import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createApiClient } from '../../src-main/api/client'
import { z } from 'zod'
import { contract, type ApiHandlers } from '../../src-main/api/contract'
import { serveApi } from '../../src-main/api/host'
import { call } from '../../src-main/api/spec'
import { ApiError, isClientMessage } from '../../src-main/api/wire'
import { UserError } from '../../src-main/core/errors'
import { pipe } from '../support/api-pipe'

function handlers(overrides: Partial<ApiHandlers>): ApiHandlers {
  const missing = async () => assert.fail('not used')
  return {
    'app:info': missing,
    'servers:list': missing,
    'servers:remove': missing,
    'servers:watch': async function* () {},
    ...overrides,
  } as ApiHandlers
}

test('a call returns its result', async () => {
  const { client, host } = pipe()
  serveApi(host, handlers({ 'servers:list': async () => [] }))
  assert.deepEqual(await createApiClient(client).call('servers:list'), [])
})

test('an error crosses the wire as a real Error with its code and hint', async () => {
  const { client, host } = pipe()
  serveApi(
    host,
    handlers({
      'servers:remove': async () => {
        throw new UserError('SERVER_NOT_FOUND', 'No server named "x".', 'Run `helvetia server list`.')
      },
    }),
  )
  const error = await createApiClient(client)
    .call('servers:remove', { name: 'x' })
    .catch((e: unknown) => e)
  assert.ok(error instanceof ApiError)
  assert.equal(error.message, 'No server named "x".')
  assert.equal(error.code, 'SERVER_NOT_FOUND')
  assert.equal(error.hint, 'Run `helvetia server list`.')
})

test('an unknown method is refused with an error, not ignored', async () => {
  const { client, host } = pipe()
  serveApi(host, handlers({}))
  const api = createApiClient(client)
  // @ts-expect-error: not in the contract, as a hostile page might send
  await assert.rejects(api.call('shell:exec', { cmd: 'id' }), {
    message: /Unknown API method: shell:exec/,
    code: 'UNKNOWN_METHOD',
  })
})

test('every method of the contract declares its input schema', () => {
  for (const [method, spec] of Object.entries(contract)) {
    assert.ok(spec.input instanceof z.ZodType, `${method} has no input schema`)
  }
  // And the type check refuses a method without one.
  // @ts-expect-error: `call` takes the input's schema
  assert.throws(() => call().returns<void>().input.parse(undefined), TypeError)
})

test('an input the schema refuses never reaches the handler: INVALID_INPUT names the field', async () => {
  const { client, host } = pipe()
  // The handlers fail the test if called (handlers() leaves them `missing`).
  serveApi(host, handlers({}))
  const api = createApiClient(client)
  const refused: [method: string, input: unknown, field: string | undefined][] = [
    ['servers:remove', { name: 7 }, 'name'],
    ['servers:remove', {}, 'name'],
    ['servers:remove', 'web-1', undefined],
    ['apps:update', { name: 'web', changes: { domains: ['a.test', 3] } }, 'changes.domains.1'],
    ['apps:update', { name: 'web', changes: { health: { pth: '/x' } } }, 'changes.health.pth'],
    ['apps:update', { name: 'web', changes: { healthPath: '/x' } }, 'changes.healthPath'],
    ['apps:create', { name: 'web', server: 's', source: { kind: 'ftp' } }, 'source.kind'],
    ['env:set', { name: 'web', vars: [{ key: 'A', value: 1 }] }, 'vars.0.value'],
    ['terminals:resize', { id: 't', rows: 0, cols: 80 }, 'rows'],
    ['servers:list', { all: true }, undefined],
  ]
  for (const [method, input, field] of refused) {
    const error = await api.call(method as 'servers:remove', input as never).catch((e: unknown) => e)
    assert.ok(error instanceof ApiError, `${method} ${JSON.stringify(input)}`)
    assert.equal(error.code, 'INVALID_INPUT', error.message)
    assert.equal(error.field, field, error.message)
    assert.match(error.message, new RegExp(`^Invalid input for ${method} at `))
    assert.ok(error.hint, 'says what to do')
  }
  const logs = api.subscribe('apps:logs', { name: 'web', tail: -1 }, () => {})
  await assert.rejects(logs.done, { code: 'INVALID_INPUT', field: 'tail' })
  const metrics = api.subscribe('metrics:server', { server: 's', range: '2d' as '1h' }, () => {})
  await assert.rejects(metrics.done, { code: 'INVALID_INPUT', field: 'range' })
})

test('an error carries a code always: INTERNAL for one raised without', async () => {
  const { client, host } = pipe()
  serveApi(
    host,
    handlers({
      'servers:list': async () => {
        throw new Error('disk on fire')
      },
      'servers:remove': async () => {
        throw new UserError('INVALID_SERVER', 'Invalid port: 0', 'Give a port.', { field: 'port' })
      },
    }),
  )
  const api = createApiClient(client)
  await assert.rejects(api.call('servers:list'), { message: 'disk on fire', code: 'INTERNAL' })
  await assert.rejects(api.call('servers:remove', { name: 'x' }), { code: 'INVALID_SERVER', field: 'port' })
})

test('a stream never runs further ahead of the consumer than its credit', async () => {
  const { client, host } = pipe()
  let produced = 0
  let maxAhead = 0
  let consumed = 0
  serveApi(
    host,
    handlers({
      'servers:watch': async function* () {
        for (let i = 0; i < 200; i++) {
          produced++
          maxAhead = Math.max(maxAhead, produced - consumed)
          yield []
        }
      },
    }),
  )
  const sub = createApiClient(client).subscribe(
    'servers:watch',
    undefined,
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      consumed++
    },
    { credit: 8 },
  )
  await sub.done
  assert.equal(consumed, 200)
  // The credit (8) plus the one item the generator has already computed when it is paused.
  assert.ok(maxAhead <= 9, `producer ran ${maxAhead} items ahead`)
})

test('cancelling a stream stops its producer', async () => {
  const { client, host } = pipe()
  let finished = false
  let produced = 0
  serveApi(
    host,
    handlers({
      'servers:watch': async function* () {
        try {
          for (;;) {
            produced++
            yield []
            await new Promise((resolve) => setTimeout(resolve, 1))
          }
        } finally {
          finished = true
        }
      },
    }),
  )
  let received = 0
  const sub = createApiClient(client).subscribe('servers:watch', undefined, () => {
    if (++received === 3) sub.cancel()
  })
  await sub.done
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.ok(finished, 'the generator was closed')
  const producedAfterCancel = produced
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(produced, producedAfterCancel)
})

test('a closed connection ends the host streams and rejects the client calls', async () => {
  const { client, host, closeHost } = pipe()
  let finished = false
  serveApi(
    host,
    handlers({
      'servers:list': () => new Promise(() => {}),
      // A producer waiting on something else learns of the end through its signal.
      'servers:watch': async function* (_input, signal) {
        try {
          yield []
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
        } finally {
          finished = true
        }
      },
    }),
  )
  const api = createApiClient(client)
  const pending = api.call('servers:list')
  const sub = api.subscribe('servers:watch', undefined, () => {})
  await new Promise((resolve) => setTimeout(resolve, 10))
  closeHost()
  api.close('gone')
  await assert.rejects(pending, /gone/)
  await assert.rejects(sub.done, /gone/)
  await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(finished)
})

test('malformed messages are refused before any handler sees them', () => {
  const junk = [
    null,
    42,
    'x',
    { t: 'call' },
    { t: 'call', id: 'x', method: 'servers:list' },
    { t: 'sub', id: 1, method: 'servers:watch', credit: -1 },
    { t: 'ack', id: 1, n: 0 },
    { t: 'eval', id: 1 },
  ]
  for (const message of junk) assert.equal(isClientMessage(message), false, JSON.stringify(message))
  assert.equal(isClientMessage({ t: 'call', id: 1, method: 'servers:list' }), true)
})
