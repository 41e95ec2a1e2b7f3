/**
 * The change watch the list streams use: the list now, then the newest list after changes (older ones
 * replaced unread), and a read that fails ends that stream only, never the code that emitted.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Changes } from '../../src-main/core/changes'

test('a slow reader gets the newest list, not a backlog', async () => {
  const changes = new Changes()
  let version = 0
  const lists = changes.watch('apps', () => version, new AbortController().signal)
  assert.deepEqual(await lists.next(), { done: false, value: 0 })
  for (version = 1; version <= 100; version++) changes.emit('apps')
  assert.deepEqual(await lists.next(), { done: false, value: 100 })
  assert.deepEqual([lists.stats.peak, lists.stats.overflows], [1, 99])
  await lists.return()
  assert.equal(changes.listenerCount('apps'), 0, 'the watch stopped listening')
})

test('a read that throws ends the stream with its error; the emitter carries on', async () => {
  const changes = new Changes()
  let broken = false
  const lists = changes.watch(
    'servers',
    () => {
      if (broken) throw new Error('the store is closed')
      return []
    },
    new AbortController().signal,
  )
  await lists.next()
  broken = true
  assert.doesNotThrow(() => changes.emit('servers'))
  await assert.rejects(lists.next(), /the store is closed/)
  assert.equal(changes.listenerCount('servers'), 0)
})
