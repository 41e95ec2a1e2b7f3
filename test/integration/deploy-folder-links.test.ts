/**
 * A folder whose links lead to a secret outside it, deployed to the test server: inside the built
 * image the files are links (as `docker build` keeps them) and the secret is nowhere.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed, webApp } from './deploy-support'

test('a deployed folder’s links to a secret outside it are links in the image, the secret is absent', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const outside = await mkdtemp(join(tmpdir(), 'helvetia-outside-'))
  t.after(() => rm(outside, { recursive: true, force: true }))
  const secret = `PRIVATE KEY ${bed.prefix}`
  await writeFile(join(outside, 'id_ed25519'), secret)
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'links\n'))
  const relative = join('..', '..', ...outside.split('/').slice(2), 'id_ed25519')
  await symlink(relative, join(folder, 'www', 'notes.txt'))
  await symlink(join(outside, 'id_ed25519'), join(folder, 'www', 'absolute.txt'))
  await symlink(outside, join(folder, 'www', 'keys'))

  const app = webApp('links')
  const result = await bed.deployer.deploy(bed.target, {
    app,
    source: { kind: 'folder', path: folder },
    serverAddress: '127.0.0.1',
  })
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error))
  const container = `${bed.prefix}-links-${result.id}`
  const inImage = await bed.run(
    sh`docker exec ${container} sh -c ${'for f in notes.txt absolute.txt keys; do readlink /www/$f; done; find / -xdev -type f ! -path "/proc/*" -exec grep -l -F "$0" {} +; true'} ${secret}`,
  )
  assert.equal(inImage, `${relative}\n${join(outside, 'id_ed25519')}\n${outside}\n`)
})
