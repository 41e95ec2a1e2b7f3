/**
 * The API served in process (the CLI's door into the core): the same host and client as over IPC and
 * WebSocket, with messages copied, so a face never shares an object with the core; closing it ends
 * the host's streams and fails what is pending.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import type { ApiHandlers, ServerSummary } from '../../src-main/api/contract'
import { connectInProcess } from '../../src-main/api/in-process'
import { ApiError } from '../../src-main/api/wire'
import { UserError } from '../../src-main/core/errors'

const server = { name: 'web-1' } as ServerSummary

test('calls and streams cross as copies, errors with their code and hint', async (t) => {
  const listed = [server]
  const { client, close } = connectInProcess({
    'servers:list': async () => listed,
    'servers:check': async () => {
      throw new UserError('SERVER_NOT_FOUND', 'No server named "x".', 'Run `helvetia server list`.')
    },
    'servers:watch': async function* () {
      yield listed
      yield []
    },
  } as Partial<ApiHandlers> as ApiHandlers)
  t.after(close)

  const result = await client.call('servers:list')
  assert.deepEqual(result, listed)
  result[0]!.name = 'changed by the face'
  assert.equal(server.name, 'web-1', 'the core’s object is not the one the face holds')

  await assert.rejects(client.call('servers:check', { name: 'x' }), (error: unknown) => {
    assert.ok(error instanceof ApiError)
    assert.deepEqual([error.code, error.hint], ['SERVER_NOT_FOUND', 'Run `helvetia server list`.'])
    return true
  })

  const items: ServerSummary[][] = []
  await client.subscribe('servers:watch', undefined, (item) => void items.push(item)).done
  assert.deepEqual(items, [[server], []])
})

test('closing ends the host’s streams and rejects pending calls', async () => {
  const aborted = new AbortController()
  const { client, close } = connectInProcess({
    'servers:list': () => new Promise(() => {}),
    'servers:watch': async function* (_input: void, signal: AbortSignal) {
      signal.addEventListener('abort', () => aborted.abort())
      yield []
      await new Promise(() => {})
    },
  } as Partial<ApiHandlers> as ApiHandlers)
  const first = once(aborted.signal, 'abort')
  const streamed = new Promise<void>((resolve) => {
    const subscription = client.subscribe('servers:watch', undefined, () => resolve())
    subscription.done.catch(() => {})
  })
  await streamed
  const pending = client.call('servers:list')
  close()
  await assert.rejects(pending, /closed/)
  await first
})
