/**
 * Process types as the core checks them (core/processes/process-types.ts) and writes them into the
 * deploy request for remote-scripts/lib/deploy-processes.sh, and as `app update`'s options edit them.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { editedProcesses } from '../../src-main/cli/commands/ps'
import { processesFile, resolveProcesses } from '../../src-main/core/processes/process-types'

test('process types: defaults, and the request file the server reads', () => {
  assert.equal(resolveProcesses(undefined), undefined)
  assert.equal(resolveProcesses([]), undefined)
  const processes = resolveProcesses([
    { name: 'web' },
    { name: 'worker', command: '  node worker.js --queue "a b"  ', replicas: 3, memory: '256m', cpus: 0.5 },
  ])
  assert.deepEqual(processes, [
    { name: 'web', replicas: 1 },
    { name: 'worker', replicas: 3, command: 'node worker.js --queue "a b"', memory: '256m', cpus: 0.5 },
  ])
  assert.equal(processesFile(processes), 'web 1 - -\nworker 3 256m 0.5 node worker.js --queue "a b"\n')
})

test('process types: each rule names its field', () => {
  const refused = (input: Parameters<typeof resolveProcesses>[0], field: string) =>
    assert.throws(() => resolveProcesses(input), { code: 'INVALID_OPTION', field })
  refused([{ name: 'Web' }], 'processes.0.name')
  refused([{ name: 'web' }, { name: 'web' }], 'processes.1.name')
  refused([{ name: 'a-very-long-process-name' }], 'processes.0.name')
  refused([{ name: 'worker' }], 'processes.0.command')
  refused([{ name: 'worker', command: 'a\nb' }], 'processes.0.command')
  refused([{ name: 'worker', command: 'a\tb' }], 'processes.0.command')
  refused([{ name: 'web', replicas: 2 }], 'processes.0.replicas')
  refused([{ name: 'worker', command: 'x', replicas: 21 }], 'processes.0.replicas')
  refused([{ name: 'worker', command: 'x', replicas: 0 }], 'processes.0.replicas')
  refused([{ name: 'worker', command: 'x', memory: '1 g' }], 'processes.0.memory')
  refused([{ name: 'worker', command: 'x', cpus: 0 }], 'processes.0.cpus')
})

test('app update --process: adding a worker to an app with none keeps web; --remove-process web makes workers only', () => {
  const none = { process: [], replicas: [], processMemory: [], processCpus: [], removeProcess: [] }
  assert.equal(editedProcesses(undefined, none), undefined)
  assert.deepEqual(
    editedProcesses(undefined, { ...none, process: ['worker=node w.js'], replicas: ['worker=2'] }),
    [{ name: 'web' }, { name: 'worker', command: 'node w.js', replicas: 2 }],
  )
  const two = [
    { name: 'web', command: 'node s.js' },
    { name: 'worker', command: 'node w.js' },
  ]
  assert.deepEqual(editedProcesses(two, { ...none, process: ['web'], removeProcess: ['worker'] }), [
    { name: 'web' },
  ])
  assert.deepEqual(
    editedProcesses(two, { ...none, removeProcess: ['web'], processMemory: ['worker=256m'] }),
    [{ name: 'worker', command: 'node w.js', memory: '256m' }],
  )
  assert.throws(() => editedProcesses(two, { ...none, replicas: ['cron=2'] }), { code: 'PROCESS_NOT_FOUND' })
  assert.throws(() => editedProcesses(two, { ...none, replicas: ['2'] }), { code: 'INVALID_OPTION' })
})
