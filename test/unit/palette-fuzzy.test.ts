import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzyMatch, highlightRuns } from '../../src-renderer/src/palette/fuzzy'

const score = (query: string, text: string): number => fuzzyMatch(query, text)?.score ?? -Infinity

test('each query word must be found, in any order, and says which letters matched', () => {
  assert.deepEqual(
    fuzzyMatch('light theme', 'Switch theme: Light')?.indices,
    [7, 8, 9, 10, 11, 14, 15, 16, 17, 18],
  )
  assert.deepEqual(fuzzyMatch('edg1', 'edge-1')?.indices, [0, 1, 2, 5])
  assert.equal(fuzzyMatch('theme dusk', 'Switch theme: Light'), null)
  assert.equal(fuzzyMatch('xyz', 'edge-1'), null)
  assert.deepEqual(fuzzyMatch('  ', 'anything'), { score: 0, indices: [] })
})

test('a word start beats the middle of a word, which beats scattered letters', () => {
  assert.ok(score('log', 'Open logs of shop') > score('log', 'catalog'))
  assert.ok(score('log', 'catalog') > score('log', 'lost bag'))
  assert.ok(score('dep', 'Deploy shop') > score('dep', 'shop: Deployments'), 'the first word wins a tie')
  assert.ok(score('shop', 'shop') > score('shop', 'Deploy shop'))
})

test('highlight runs cover the text exactly, marking the matched characters', () => {
  const runs = highlightRuns('edge-1', [0, 1, 2, 5])
  assert.deepEqual(runs, [
    { text: 'edg', hit: true },
    { text: 'e-', hit: false },
    { text: '1', hit: true },
  ])
  assert.deepEqual(highlightRuns('abc', []), [{ text: 'abc', hit: false }])
})
