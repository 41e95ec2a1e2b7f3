/**
 * A deployment records the face that started it as its trigger, through the one handler every face
 * calls: the web mode (`helvetia ui`, its API over the WebSocket) records `web`, the CLI (`helvetia
 * deploy`, the same handlers in process) `cli`. The desktop's is in apps-api.test.ts, a push's in
 * relay-deploy.test.ts and relay-server-side.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Deployment } from '../../src-main/api/contract'
import { startWebServer } from '../../src-main/web/web-server'
import { helvetia } from '../support/cli'
import { apiOverWebSocket } from '../support/web-api'
import { testCore } from './core-support'
import { busyboxApp, deployTestbed } from './deploy-support'

test('a deploy records its face as the trigger: web from the web mode, cli from the CLI', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  // The web mode with this computer opted in: the app is a folder here.
  const { core, home, serverName } = await testCore(t, bed, { face: 'web', env: { HELVETIA_WEB_LOCAL: '1' } })
  const web = await startWebServer({ api: core.api, root: home })
  t.after(() => web.close())
  const api = await apiOverWebSocket(t, web)
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'one door\n'))
  await api.call('apps:create', {
    name: 'faces',
    server: serverName,
    source: { kind: 'folder', path: folder },
    port: 8080,
    domains: ['http://faces.test'],
    healthPath: '/index.html',
  })
  let deployed: Deployment | undefined
  await api.subscribe('apps:deploy', { name: 'faces' }, (event) => {
    if (event.type === 'done') deployed = event.deployment
  }).done
  assert.equal(deployed?.status, 'succeeded', JSON.stringify(deployed?.error))
  assert.equal(deployed?.trigger, 'web')
  assert.deepEqual(await bed.get('faces.test'), { status: 200, body: 'one door\n' })

  // The CLI on the same data folder, naming what it deploys by the same prefix.
  const cli = await helvetia(home, ['deploy', 'faces', '--json'], '', { HELVETIA_PREFIX: bed.prefix })
  assert.equal(cli.code, 0, cli.stderr)
  assert.equal((JSON.parse(cli.stdout) as Deployment).trigger, 'cli')
  const history = await api.call('apps:deployments', { name: 'faces' })
  assert.deepEqual(
    history.deployments.map((d) => [d.trigger, d.status]),
    [
      ['web', 'succeeded'],
      ['cli', 'succeeded'],
    ],
  )
})
