/**
 * Where a secret value lives on the server: only in the app's env file and in the env of the
 * deployments that can still run (whose image is kept), never in mask patterns or a log. A secret
 * is deployed, redeployed, then unset; after the clean-up of each deploy (keepImages 1) the whole home
 * of the server's user (where every Helvetia folder is) is searched for the value and every form the
 * log filter masks (base64 at each alignment, URL forms).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { EnvVar } from '../../src-main/core/deploy/app-spec'
import { secretPatterns } from '../../src-main/core/logs/secret-masker'
import { sh } from '../../src-main/core/shell/quote'
import { busyboxApp, deployTestbed, webApp, writeFiles } from './deploy-support'

test('a secret stays only in the app env and the env of deployments that can still run', async (t) => {
  const bed = await deployTestbed(t)
  if (!bed) return
  const secret = `s3cret/+ ${randomBytes(12).toString('hex')}`
  const forms = secretPatterns([secret]).filter((p) => p.length >= 8)
  // The files under the home that hold any form, relative to it. The patterns go on standard input:
  // a pattern file would itself be a copy on the server.
  const holders = async () =>
    (await bed.run(`cd "$HOME" && grep -rlF -f - . 2>/dev/null || true`, `${forms.join('\n')}\n`))
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^\.\//, ''))
      .sort()
  const appDir = `.${bed.prefix}/apps/vault`
  const folder = await bed.folder(busyboxApp(bed.server.images.busybox, 'one\n'))
  const deploy = async (env: EnvVar[]) => {
    const deployment = await bed.deployer.deploy(bed.target, {
      app: { ...webApp('vault'), keepImages: 1, drainS: 0, env },
      source: { kind: 'folder', path: folder },
      serverAddress: '127.0.0.1',
    })
    assert.equal(deployment.status, 'succeeded', JSON.stringify(deployment))
    // The clean-up runs once the deployment is live: its last step (disk) ends the log.
    const log = sh`"$HOME"/${`${appDir}/deployments/${deployment.id}/log`}`
    await bed.run(
      `i=0; until grep -Eq '^::helvetia:: step=disk status=(done|skipped|failed)' ${log}; do ` +
        `i=$((i + 1)); [ "$i" -lt 600 ] || exit 1; sleep 0.2; done`,
    )
    return deployment.id
  }
  const withSecret = [
    { key: 'API_TOKEN', value: secret, secret: true },
    { key: 'MODE', value: 'production', secret: false },
  ]

  const first = await deploy(withSecret)
  // The log filter masked it, from forms derived when the filter started.
  const log = await bed.run(sh`cat "$HOME"/${`${appDir}/deployments/${first}/log`}`)
  assert.ok(!log.includes(secret))
  assert.deepEqual(await holders(), [`${appDir}/deployments/${first}/request/env`, `${appDir}/env`].sort())

  await writeFiles(folder, { 'www/index.html': 'two\n' })
  const second = await deploy(withSecret)
  assert.deepEqual(
    await holders(),
    [`${appDir}/deployments/${second}/request/env`, `${appDir}/env`].sort(),
    'the first deployment, whose image went, no longer holds it',
  )

  // Unset: the next deploy's clean-up leaves it nowhere.
  await deploy([{ key: 'MODE', value: 'production', secret: false }])
  assert.deepEqual(await holders(), [])
})
