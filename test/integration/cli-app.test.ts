/**
 * An app through the real `helvetia` command: created from a folder, a secret set, deployed behind a
 * Caddy proxy provisioned under Helvetia's default names, its history and env listed, and removed.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { CertificateStatus } from '../../src-main/api/contract'
import type { AppHistory } from '../../src-main/core/deploy/deployment-record'
import type { EnvListing } from '../../src-main/core/apps/apps'
import { CLI_PREFIX, cliBed, createAppArgs } from '../support/cli'
import { busyboxApp, get, writeFiles } from './deploy-support'

test('app create, env set (secret), deploy through Caddy, deployments, env list and remove', async (t) => {
  const app = 'cliweb'
  const bed = await cliBed(t, app)
  if (!bed) return
  const { server, run, httpPort } = bed
  const secret = `s3cret-${Date.now()}`
  const folder = await mkdtemp(join(tmpdir(), 'helvetia-cli-app-'))
  t.after(() => rm(folder, { recursive: true, force: true }))
  await writeFiles(folder, busyboxApp(server.images.busybox, 'hello from the cli\n', ['RUN echo built']))

  const git = await run(
    ['app', 'create', 'other', '--server', 'edge', '--git', 'http://example.com/x.git'],
    false,
  )
  assert.notEqual(git.code, 0)
  assert.match(git.stderr, /Invalid git URL/)

  await run(createAppArgs(app, ['--path', folder], '--domain', `${app}.localhost`, '--memory', '64m'))
  await run(['env', 'set', app, 'GREETING=hello', 'MODE=test'])
  await run(['env', 'set', app, `API_TOKEN=${secret}`, '--secret'])

  const env = JSON.parse((await run(['env', 'list', app, '--json'])).stdout) as EnvListing
  assert.equal(env.pending, true)
  assert.deepEqual(
    env.vars.map((v) => [v.key, v.secret]),
    [
      ['API_TOKEN', true],
      ['GREETING', false],
      ['MODE', false],
    ],
  )
  assert.equal(env.vars.find((v) => v.key === 'GREETING')?.value, 'hello')
  assert.ok(!JSON.stringify(env).includes(secret), 'the secret is masked')

  const deploy = await run(['deploy', app, '--json'])
  assert.equal(JSON.parse(deploy.stdout).status, 'succeeded')
  assert.match(deploy.stderr, /✓/, 'the log is streamed to stderr')
  assert.ok(!deploy.stdout.includes(secret) && !deploy.stderr.includes(secret), 'no secret in the output')
  assert.deepEqual(await get(httpPort, `${app}.test`), { status: 200, body: 'hello from the cli\n' })

  const history = JSON.parse((await run(['deployments', app, '--json'])).stdout) as AppHistory
  assert.deepEqual(
    history.deployments.map((d) => [d.status, d.trigger]),
    [['succeeded', 'cli']],
  )
  assert.equal(history.current, history.deployments[0]?.id)
  assert.equal((JSON.parse((await run(['env', 'list', app, '--json'])).stdout) as EnvListing).pending, false)
  // The HTTPS domain's certificate comes from Caddy's local CA, issued in the background: a bounded wait.
  let status: { live: { id: string } | null; certificates: CertificateStatus[] } | undefined
  for (let attempt = 0; attempt < 20; attempt++) {
    status = JSON.parse((await run(['status', app, '--json'])).stdout) as NonNullable<typeof status>
    if (status.certificates[0]?.state !== 'pending') break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.equal(status?.live?.id, history.current)
  assert.deepEqual(
    status?.certificates.map((c) => [c.domain, c.state]),
    [[`${app}.localhost`, 'untrusted']],
    'the HTTPS domain only',
  )
  assert.match(
    (await run(['status', app])).stdout,
    new RegExp(
      `^Certificate  ${app}\\.localhost untrusted until \\d{4}-\\d\\d-\\d\\d: Issued by Caddy Local Authority`,
      'm',
    ),
  )
  const secretOnServer = execFileSync(
    'sh',
    [
      '-c',
      `docker inspect --format '{{json .Config.Env}}' $(docker ps -q --filter label=dev.helvetia.prefix=${CLI_PREFIX} --filter label=dev.helvetia.app=${app})`,
    ],
    { encoding: 'utf8' },
  )
  assert.ok(secretOnServer.includes(`API_TOKEN=${secret}`), 'the container has the secret')

  await run(['app', 'remove', app])
  assert.deepEqual(JSON.parse((await run(['app', 'list', '--json'])).stdout), [])
  const left = execFileSync(
    'sh',
    [
      '-c',
      `docker ps -aq --filter label=dev.helvetia.prefix=${CLI_PREFIX} --filter label=dev.helvetia.app=${app}`,
    ],
    { encoding: 'utf8' },
  )
  assert.equal(left.trim(), '', 'the containers are removed')
  assert.equal((await get(httpPort, `${app}.test`)).status === 200, false, 'the route is removed')
})
