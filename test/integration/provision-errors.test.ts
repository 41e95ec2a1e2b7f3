/**
 * The failures a user can fix, each with its fix: no Docker and no way to install it, a Docker engine
 * the user may not talk to, and one that is not running. The test server's user has neither root nor
 * sudo; Docker's absence is a PATH without docker. The engine's other states are real, and the shared
 * engine is never stopped: a user of the test's own outside the docker group (the socket refuses it),
 * and a login whose DOCKER_HOST, set by its sshd, names a socket that does not exist (what the docker
 * CLI meets when the engine is stopped).
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { UserError } from '../../src-main/core/errors'
import type { ProxyInput } from '../../src-main/core/proxy/proxy-options'
import { sh } from '../../src-main/core/shell/quote'
import type { Target } from '../../src-main/core/targets/target'
import { throwawaySshd, type ThrowawaySshd } from '../support/throwaway-sshd'
import { freePorts, keyLogin, provisionTestbed, withPath, type Testbed } from './provision-support'

async function inputFor(bed: Testbed): Promise<ProxyInput> {
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  return {
    proxy: 'caddy',
    proxyImage: bed.server.images.caddy,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    prefix: bed.prefix,
  }
}

/** A temporary folder on the target, removed after the test. */
async function tempDir(bed: Testbed): Promise<string> {
  const dir = (await bed.run('mktemp -d')).trim()
  bed.cleanup(sh`rm -rf ${dir}`)
  return dir
}

/** An SSH login to a throwaway sshd of the test's own (test/support/throwaway-sshd.ts). */
function loginTo(t: TestContext, sshd: ThrowawaySshd): Target {
  const target = keyLogin(sshd)
  t.after(() => target.close())
  return target
}

async function assertNothingCreated(bed: Testbed) {
  const network = await bed.target.exec(sh`docker network inspect ${bed.prefix}`)
  assert.notEqual(network.code, 0, 'no network was created')
}

test('no Docker and no root or sudo: NO_PRIVILEGE names the three ways out', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  // Every command of sshd's PATH but docker (a name already linked from an earlier folder stays).
  const bin = await tempDir(bed)
  await bed.run(
    sh`for dir in /usr/local/bin /usr/bin /bin; do ln -s "$dir"/* ${bin}/ 2>/dev/null; done; rm -f ${bin}/docker*`,
  )
  const noDocker = withPath(bed.target, bin, true)
  assert.notEqual((await noDocker.exec('command -v docker')).code, 0)

  const facts = await bed.provisioner.readFacts(noDocker)
  assert.equal(facts.dockerVersion, null)
  assert.equal(facts.privilege, 'none')

  await assert.rejects(bed.provisioner.provision(noDocker, await inputFor(bed)), (error) => {
    assert.ok(error instanceof UserError)
    assert.equal(error.code, 'NO_PRIVILEGE')
    assert.match(
      error.message,
      /Docker is not installed, and helvetia-test can neither act as root nor use sudo/,
    )
    assert.equal(
      error.hint,
      'Log in as root, or give helvetia-test passwordless sudo, or install Docker yourself and add helvetia-test to the docker group.',
    )
    return true
  })
  await assertNothingCreated(bed)
})

test('Docker that refuses the user: DOCKER_NO_ACCESS says to join the docker group', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const sshd = await throwawaySshd(t, { methods: ['publickey'] })
  if (!sshd) return
  const target = loginTo(t, sshd)
  // The real socket, and the real refusal: this user is not in the docker group.
  const probe = await target.exec('docker version')
  assert.match(probe.stderr, /permission denied while trying to connect to the Docker daemon socket/)

  assert.equal((await bed.provisioner.readFacts(target)).dockerVersion, null)
  await assert.rejects(bed.provisioner.provision(target, await inputFor(bed)), {
    code: 'DOCKER_NO_ACCESS',
    hint: new RegExp(`sudo usermod -aG docker ${sshd.user}`),
  })
  await assertNothingCreated(bed)
})

test('Docker whose engine is not running: DOCKER_NOT_RUNNING says to start it', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  // In the docker group, so only the engine is missing: its socket is not there.
  const socket = `/run/${bed.prefix}-missing/docker.sock`
  const sshd = await throwawaySshd(t, {
    methods: ['publickey'],
    docker: true,
    env: { DOCKER_HOST: `unix://${socket}` },
  })
  if (!sshd) return
  const target = loginTo(t, sshd)
  const probe = await target.exec('docker version')
  assert.ok(probe.stderr.includes(`Cannot connect to the Docker daemon at unix://${socket}`), probe.stderr)

  assert.equal((await bed.provisioner.readFacts(target)).dockerVersion, null)
  await assert.rejects(bed.provisioner.provision(target, await inputFor(bed)), {
    code: 'DOCKER_NOT_RUNNING',
    hint: /systemctl start docker/,
  })
  await assertNothingCreated(bed)
})

test('a container of that name that Helvetia did not create is left alone: NAME_TAKEN', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  const name = `${bed.prefix}-proxy`
  await bed.run(sh`docker run -d --name ${name} ${bed.server.images.busybox} sleep 600 >/dev/null`)
  const before = await bed.inspect(name)
  await assert.rejects(bed.provisioner.provision(bed.target, await inputFor(bed)), {
    code: 'NAME_TAKEN',
    message: new RegExp(`A container named ${name} exists that Helvetia did not create`),
  })
  const after = await bed.inspect(name)
  assert.equal(after.Id, before.Id)
  assert.equal(after.State.Running, true)
})

test('a proxy image that cannot start: PROXY_START_FAILED with Docker’s reason', async (t) => {
  const bed = provisionTestbed(t)
  if (!bed) return
  // busybox has no `traefik` to run.
  const input: ProxyInput = {
    ...(await inputFor(bed)),
    proxy: 'traefik',
    proxyImage: bed.server.images.busybox,
  }
  await assert.rejects(bed.provisioner.provision(bed.target, input), {
    code: 'PROXY_START_FAILED',
    message: /Could not start the proxy: .*traefik/,
  })
  // The same options again: the created container cannot start either, and says so the same way.
  await assert.rejects(bed.provisioner.provision(bed.target, input), { code: 'PROXY_START_FAILED' })
})
