import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AppStatus, AppSummary, Deployment, ServerSummary } from '../../src-main/api/contract'
import type { DeployRun } from '../../src-renderer/src/apps/apps-store'
import { checklist, type ChecklistInput } from '../../src-renderer/src/onboarding/checklist'
import type { ProvisionRun } from '../../src-renderer/src/servers/provision/provision-store'

const server: ServerSummary = {
  id: 's1',
  name: 'edge-1',
  host: '127.0.0.1',
  port: 22,
  user: 'root',
  auth: 'agent',
  hostKeyFingerprint: null,
  createdAt: '2025-01-01T00:00:00Z',
  proxy: null,
}
const provisioned: ServerSummary = {
  ...server,
  id: 's2',
  name: 'edge-2',
  proxy: { kind: 'caddy', httpPort: 80, httpsPort: 443, acmeEmail: true, checkedAt: '2025-01-02T00:00:00Z' },
}
const app: AppSummary = {
  name: 'shop',
  server: 'edge-1',
  source: { kind: 'folder', path: '/src/shop' },
  spec: {},
  envPending: false,
  settingsPending: false,
  createdAt: '2025-01-01T00:00:00Z',
}
const deployment = (status: Deployment['status']): Deployment => ({
  id: 'd1',
  app: 'shop',
  status,
  trigger: 'desktop',
  source: { kind: 'folder', id: 'abc' },
  builder: null,
  digest: null,
  templateVersion: null,
  rollbackOf: null,
  createdAt: '2025-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  image: null,
  container: null,
  releaseRan: false,
  error:
    status === 'failed'
      ? { code: 'BUILD_FAILED', message: 'The build failed.', hint: null, lastLines: null }
      : null,
})
const status = (live: Deployment | null, latest: Deployment | null): AppStatus => ({ app, live, latest })
const provisionRun = (status: ProvisionRun['status']): ProvisionRun => ({
  status,
  steps: [{ step: 'docker', status: 'running', message: 'Installing Docker' }],
  log: [],
  outcome: null,
  failure: status === 'failed' ? { message: 'apt-get failed' } : null,
})
const deployRun = (status: DeployRun['status']): DeployRun => ({
  kind: 'deploy',
  status,
  id: null,
  steps: [{ step: 'build', status: 'running', message: 'Building the image', code: null }],
  uploaded: null,
  deployment: null,
  failure: null,
})

const input = (fields: Partial<ChecklistInput>): ChecklistInput => ({
  servers: [],
  apps: [],
  statuses: {},
  deployRuns: {},
  provisionRuns: {},
  connecting: null,
  ...fields,
})
const states = (fields: Partial<ChecklistInput>) =>
  Object.fromEntries(Object.entries(checklist(input(fields)).steps).map(([id, step]) => [id, step.state]))

test('nothing yet: every step waits, the first is current, and loading until both lists arrived', () => {
  const list = checklist(input({}))
  assert.deepEqual(states({}), {
    connect: 'waiting',
    provision: 'waiting',
    create: 'waiting',
    deploy: 'waiting',
  })
  assert.equal(list.current, 'connect')
  assert.equal(list.doneCount, 0)
  assert.equal(checklist(input({ apps: null })).loading, true)
  assert.equal(states({ connecting: { status: 'running' } }).connect, 'running')
})

test('each step follows the real data and the work running in this window', () => {
  assert.deepEqual(states({ servers: [server] }), {
    connect: 'done',
    provision: 'waiting',
    create: 'waiting',
    deploy: 'waiting',
  })
  const provisioning = checklist(input({ servers: [server], provisionRuns: { s1: provisionRun('running') } }))
  assert.deepEqual(provisioning.steps.provision, { state: 'running', detail: 'Installing Docker' })
  assert.equal(
    states({ servers: [server], provisionRuns: { s1: provisionRun('failed') } }).provision,
    'failed',
  )

  const created = input({ servers: [server], apps: [app], provisionRuns: { s1: provisionRun('done') } })
  assert.deepEqual(states(created), { connect: 'done', provision: 'done', create: 'done', deploy: 'waiting' })
  assert.equal(checklist(created).current, 'deploy')
  assert.deepEqual(checklist({ ...created, deployRuns: { shop: deployRun('running') } }).steps.deploy, {
    state: 'running',
    detail: 'Building the image',
  })
  const failed = {
    ...created,
    statuses: { shop: { status: 'done', value: status(null, deployment('failed')) } },
  }
  assert.deepEqual(checklist(failed as ChecklistInput).steps.deploy, {
    state: 'failed',
    detail: 'The build failed.',
  })
})

test('a live app completes the list, and proves the server provisioned even from another session', () => {
  const live = deployment('succeeded')
  const list = checklist(
    input({
      servers: [server],
      apps: [app],
      statuses: { shop: { status: 'done', value: status(live, live) } },
    }),
  )
  assert.deepEqual(
    Object.values(list.steps).map((step) => step.state),
    ['done', 'done', 'done', 'done'],
  )
  assert.equal(list.current, null)
  assert.equal(list.doneCount, 4)
  assert.equal(list.live?.app.name, 'shop')
})

test('a proxy read from the server counts as provisioned, whoever provisioned it, and picks that server', () => {
  const list = checklist(input({ servers: [provisioned, server] }))
  assert.equal(list.server?.name, 'edge-2', 'the provisioned server, not the newest')
  assert.deepEqual(list.steps.provision, {
    state: 'done',
    detail: 'Docker and the reverse proxy are ready on edge-2.',
  })
  assert.equal(list.current, 'create')
  // Without a proxy on it, the newest server still waits for provisioning.
  assert.equal(states({ servers: [server] }).provision, 'waiting')
  // This window's run still comes first: running, and a failure it just saw.
  const run = (status: ProvisionRun['status']) => ({ s2: provisionRun(status) })
  assert.equal(states({ servers: [provisioned], provisionRuns: run('running') }).provision, 'running')
  assert.equal(states({ servers: [provisioned], provisionRuns: run('failed') }).provision, 'failed')
})
