import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createProvisioner } from '../../src-main/core/provision/provision'
import { toServerFacts } from '../../src-main/core/provision/server-facts'
import { toServerProxy } from '../../src-main/core/provision/server-proxy'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { LocalTarget } from '../../src-main/core/targets/local-target'

const reported = {
  os: 'ubuntu',
  'os-version': '24.04',
  arch: 'aarch64',
  user: 'deploy',
  privilege: 'sudo',
  'docker-status': 'ok',
  'docker-version': '27.1.1',
  cpus: '4',
  'memory-bytes': '8589934592',
  'disk-free-bytes': '53687091200',
}

test('fact lines become ServerFacts', () => {
  assert.deepEqual(toServerFacts(reported), {
    os: 'ubuntu',
    osVersion: '24.04',
    arch: 'aarch64',
    privilege: 'sudo',
    dockerVersion: '27.1.1',
    cpus: 4,
    memoryBytes: 8589934592,
    diskFreeBytes: 53687091200,
  })
  assert.equal(toServerFacts({ ...reported, 'docker-version': '' }).dockerVersion, null)
})

test('facts Helvetia cannot read are a clear error, not NaN', () => {
  const { cpus: _cpus, ...withoutCpus } = reported
  assert.throws(() => toServerFacts(withoutCpus), { code: 'FACTS_UNREADABLE', message: /"cpus"/ })
  assert.throws(() => toServerFacts({ ...reported, 'memory-bytes': '8e9' }), { code: 'FACTS_UNREADABLE' })
  assert.throws(() => toServerFacts({ ...reported, privilege: 'admin' }), { code: 'FACTS_UNREADABLE' })
})

test('proxy fact lines become a ServerProxy; no proxy, or one whose ports cannot be read, is null', () => {
  const at = new Date('2025-03-01T12:00:00Z')
  const proxy = { proxy: 'caddy', 'http-port': '8080', 'https-port': '8443', 'acme-email': '1' }
  assert.deepEqual(toServerProxy(proxy, at), {
    kind: 'caddy',
    httpPort: 8080,
    httpsPort: 8443,
    acmeEmail: true,
    checkedAt: '2025-03-01T12:00:00.000Z',
  })
  assert.equal(toServerProxy({ ...proxy, proxy: 'traefik', 'acme-email': '0' }, at)?.acmeEmail, false)
  assert.equal(toServerProxy({ ...proxy, proxy: '' }, at), null)
  assert.equal(toServerProxy({ ...proxy, proxy: 'nginx' }, at), null)
  assert.equal(toServerProxy({ ...proxy, 'https-port': '' }, at), null)
  assert.equal(toServerProxy({ ...proxy, 'http-port': '70000' }, at), null)
  assert.equal(toServerProxy(reported, at), null)
})

test('facts.sh reads this machine', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'helvetia-facts-'))
  t.after(() => rmSync(home, { recursive: true, force: true }))
  const target = new LocalTarget({ env: { PATH: process.env.PATH, HOME: home } })
  const provisioner = createProvisioner({
    scripts: new ScriptRunner({
      scriptsDir: fileURLToPath(new URL('../../remote-scripts', import.meta.url)),
    }),
  })
  const { facts, proxy } = await provisioner.readState(target)
  assert.equal(proxy, null, 'no proxy runs under the default prefix in a fresh home')
  const osRelease = readFileSync('/etc/os-release', 'utf8')
  assert.equal(facts.os, /^ID="?([^"\n]*)"?$/m.exec(osRelease)?.[1])
  assert.equal(facts.arch, execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim())
  // What this machine grants, asked independently of facts.sh: root, passwordless sudo, or neither.
  const privilege =
    process.getuid?.() === 0
      ? 'root'
      : spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0
        ? 'sudo'
        : 'none'
  assert.equal(facts.privilege, privilege)
  assert.equal(facts.memoryBytes, totalmem())
  assert.ok(facts.cpus >= 1)
  assert.ok(facts.diskFreeBytes > 0)
  assert.ok(
    facts.dockerVersion === null || /^\d+\.\d+/.test(facts.dockerVersion),
    String(facts.dockerVersion),
  )
})
