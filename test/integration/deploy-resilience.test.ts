/**
 * What a deploy survives: a secret made a build argument (`build: true`, through the deployer) and
 * echoed by the build and the app never reaches a stored or streamed log (as itself or base64-encoded);
 * the SSH link cut mid-build does not stop the deploy, and a new connection reattaches to its log;
 * cleanup keeps the last N images and never touches foreign ones. The runtime log as the API and the
 * CLI read it, with the secrets the core picks: secrets-in-logs.test.ts.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { DeployEvent } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { SshConnection } from '../../src-main/core/ssh/ssh-connection'
import { busyboxApp, deployTestbed, foreignImages, webApp, writeFiles } from './deploy-support'

const SECRET = 'tok-9f8e7d6c5b4a-SECRET'

test('a secret echoed by the build and by the app appears in no stored or streamed log, nor its base64', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const b64 = (text: string) => Buffer.from(text).toString('base64')
  const folder = await bed.folder(
    busyboxApp(bed.server.images.busybox, 'ok\n', [
      'ARG API_TOKEN',
      'RUN echo "build sees $API_TOKEN" && printf %s "$API_TOKEN" | base64 && printf x%s "$API_TOKEN" | base64',
    ]),
  )
  // The app prints the secret at start, then fails its health check: its last lines are stored too.
  await writeFiles(folder, {
    'start.sh':
      'echo "runtime sees $API_TOKEN"; printf %s "$API_TOKEN" | base64; exec httpd -f -p 8080 -h /www\n',
  })
  const app = {
    name: 'masked',
    port: 8080,
    domains: ['http://masked.test'],
    env: [
      { key: 'API_TOKEN', value: SECRET, secret: true, build: true },
      { key: 'PLAIN', value: 'visible', secret: false },
    ],
    health: { path: '/index.html', intervalS: 1 },
  }
  const dockerfile = (health: string) =>
    [
      `FROM ${bed.server.images.busybox}`,
      'ARG API_TOKEN',
      'RUN echo "build sees $API_TOKEN" && printf %s "$API_TOKEN" | base64 && printf x%s "$API_TOKEN" | base64',
      'COPY www /www',
      'COPY start.sh /start.sh',
      `CMD ["sh", "/start.sh"${health}]`,
      '',
    ].join('\n')
  await writeFiles(folder, { Dockerfile: dockerfile('') })

  const streamed: string[] = []
  const onEvent = (event: DeployEvent | { type: 'uploaded' }) => {
    if (event.type === 'log') streamed.push(event.line)
    if (event.type === 'step') streamed.push(event.message)
  }
  const ok = await bed.deployer.deploy(
    bed.target,
    { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
    { onEvent },
  )
  assert.equal(ok.status, 'succeeded', JSON.stringify(ok))
  assert.ok(
    streamed.some((line) => line === 'build sees ••••••'),
    streamed.join('\n'),
  )

  // A failing version: the secret in its last lines is masked in the record too.
  await writeFiles(folder, { 'www/index.html': 'changed\n', Dockerfile: dockerfile(', "--broken"') })
  await writeFiles(folder, {
    'start.sh': 'echo "runtime sees $API_TOKEN"; printf %s "$API_TOKEN" | base64; exit 3\n',
  })
  const failed = await bed.deployer.deploy(
    bed.target,
    { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
    { onEvent },
  )
  assert.equal(failed.status, 'failed')
  assert.match(failed.error?.lastLines ?? '', /runtime sees ••••••/)

  // Every file of the app on the server but the env and mask files, which hold the secret by design.
  const stored = await bed.run(
    sh`find "$HOME"/${`.${bed.prefix}/apps/masked`} -type f ! -name env ! -name mask-patterns -exec cat {} +`,
  )
  assert.match(stored, /build sees ••••••/)
  for (const [where, text] of [
    ['stored logs', stored],
    ['streamed log', streamed.join('\n')],
    ['record', JSON.stringify(failed)],
  ] as const) {
    assert.ok(!text.includes(SECRET), `${where} hold the secret`)
    assert.ok(!text.includes(b64(SECRET).slice(0, -4)), `${where} hold its base64`)
    assert.ok(!text.includes(b64(`x${SECRET}`).slice(4, -4)), `${where} hold its base64 at offset 1`)
  }
  assert.match(stored, /visible|PLAIN/, 'plain values are not masked')
})

test('the SSH link cut mid-build: the deploy finishes on the server and a new connection reattaches; cleanup spares foreign images', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const { labelled: foreignLabelled, plain: foreignPlain } = await foreignImages(bed)
  const app = { ...webApp('web'), keepImages: 1 }
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'first\n'))
  const first = await bed.deployer.deploy(bed.target, {
    app,
    source: { kind: 'folder', path: folder },
    serverAddress: '127.0.0.1',
  })
  assert.equal(first.status, 'succeeded')

  await writeFiles(folder, busyboxApp(bed.server.images.busybox, 'second\n', ['RUN sleep 8']))
  const connect = () =>
    new SshConnection({
      host: bed.server.host,
      port: bed.server.port,
      user: bed.server.user,
      auth: { kind: 'key', privateKey: readFileSync(bed.server.keyPath) },
      hostKey: createHostKeyPolicy({ pinned: bed.server.hostKeyFingerprint, knownHostsPath: '/nonexistent' }),
    })
  const link = connect()
  t.after(() => link.close())
  let id = ''
  const cut = bed.deployer.deploy(
    link,
    { app, source: { kind: 'folder', path: folder }, serverAddress: '127.0.0.1' },
    {
      onEvent: (event) => {
        if (event.type === 'started') id = event.id
        if (event.type === 'step' && event.step === 'build' && event.status === 'running') link.close()
      },
    },
  )
  await assert.rejects(cut, { code: 'SSH_CONNECTION_CLOSED' })
  assert.match(id, /^\d{8}-\d{6}-[0-9a-f]{4}$/)

  const again = connect()
  t.after(() => again.close())
  const running = (await bed.deployer.history(again, 'web')).deployments.find((d) => d.id === id)
  assert.equal(running?.status, 'running', 'still building when reattached')
  const lines: string[] = []
  const finished = await bed.deployer.follow(again, 'web', id, {
    onEvent: (event) =>
      event.type === 'step' && event.status !== 'running' && lines.push(`${event.step}:${event.status}`),
  })
  assert.equal(finished.status, 'succeeded')
  assert.deepEqual(lines.slice(0, 4), ['lock:done', 'source:done', 'build:done', 'start:done'])
  assert.equal((await bed.get('web.test')).body, 'second\n')

  // keepImages 1: only the live deployment's image is left of this app; foreign images are untouched.
  // After going live the deploy drains and stops the old container (busybox httpd waits out the
  // stop timeout), then prunes: wait for it to end.
  const list = async () =>
    (await again.exec(`docker images --format '{{.Repository}}:{{.Tag}}' | grep '^${bed.prefix}' | sort`))
      .stdout
  const until = Date.now() + 40_000
  while ((await list()).trim().split('\n').length > 3 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const images = { stdout: await list() }
  assert.deepEqual(
    images.stdout.trim().split('\n'),
    [foreignLabelled, foreignPlain, `${bed.prefix}/web:${id}`].sort(),
  )
})
