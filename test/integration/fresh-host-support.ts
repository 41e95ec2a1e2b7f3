/**
 * A fresh Debian server for one test: a container of the image test/server/fresh-host-image.sh builds
 * (apt, sshd, curl, no Docker), with its own host key and the test client's key for root, its sshd
 * and port 80 published on 127.0.0.1 only, and a volume for /var/lib/docker (so the dockerd that
 * provisioning installs inside uses overlay2 on the machine's disk, not on an overlay). Not
 * `--privileged`, which fails on this machine (it lacks CAP_SYS_RESOURCE): every other capability, no
 * seccomp or AppArmor profile, and the image's init makes /sys and its cgroups writable. Removed
 * with its volume after the test.
 *
 * Also the registry such a server pulls from: Debian's docker-registry on 127.0.0.1 of this machine,
 * holding copies of the offline images, which the server reaches at the same address through an SSH
 * remote forward (Docker pulls from 127.0.0.0/8 over plain HTTP without being told to).
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { Client } from 'ssh2'
import { fingerprint as fingerprintOf } from '../../src-main/core/ssh/fingerprint'
import { unavailable, type TestServer } from '../support/test-server'

const exec = promisify(execFile)

export interface FreshHost {
  /** The container's name, `helvetia-test-fresh-<random>`. */
  name: string
  sshPort: number
  /** Where the host's port 80 is published on 127.0.0.1. */
  httpPort: number
  /** The host key's fingerprint, `SHA256:…`, to pin with `server add --fingerprint`. */
  fingerprint: string
  /** Runs a command on the host as root through `docker exec` (the test's console, not Helvetia's way in). */
  shell(command: string): Promise<{ code: number; stdout: string }>
  /**
   * Makes 127.0.0.1:port inside the host lead to 127.0.0.1:port here, through an SSH remote forward
   * on a root login (resolves once sshd listens there); closed after the test.
   */
  forward(port: number): Promise<void>
}

export interface Registry {
  /** Where it listens on 127.0.0.1. */
  port: number
  /** The registry's copy of one of the images it was started with: `127.0.0.1:PORT/IMAGE`. */
  ref(image: string): string
}

/** The image's tag, or undefined after skipping (under CI=true, a missing image fails the test). */
export function freshHostImage(t: TestContext): string | undefined {
  const image = process.env.HELVETIA_TEST_IMAGE_FRESH_HOST
  if (image) return image
  return unavailable(
    t,
    'the fresh host image',
    'HELVETIA_TEST_IMAGE_FRESH_HOST is not set (test/server/up.sh builds it)',
  )
}

export async function startFreshHost(t: TestContext, image: string, server: TestServer): Promise<FreshHost> {
  const name = `helvetia-test-fresh-${randomBytes(4).toString('hex')}`
  const dir = await mkdtemp(join(tmpdir(), 'helvetia-fresh-host-'))
  t.after(async () => {
    await exec('docker', ['rm', '-f', '-v', name]).catch(() => {})
    await rm(dir, { recursive: true, force: true })
  })
  const hostKey = join(dir, 'ssh_host_ed25519_key')
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', hostKey])
  const rootSsh = join(dir, 'root-ssh')
  await mkdir(rootSsh, { mode: 0o700 })
  await writeFile(join(rootSsh, 'authorized_keys'), await readFile(`${server.keyPath}.pub`), { mode: 0o600 })
  await chmod(rootSsh, 0o700)

  await exec(
    'docker',
    [
      'create',
      ['--name', name, '--hostname', 'fresh', '--init'],
      ['--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE'],
      ['--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined'],
      ['--security-opt', 'systempaths=unconfined'],
      ['--volume', '/var/lib/docker', '--publish', '127.0.0.1::22', '--publish', '127.0.0.1::80'],
      image,
    ].flat(),
  )
  await exec('docker', ['cp', hostKey, `${name}:/etc/ssh/ssh_host_ed25519_key`])
  await exec('docker', ['cp', `${hostKey}.pub`, `${name}:/etc/ssh/ssh_host_ed25519_key.pub`])
  await exec('docker', ['cp', rootSsh, `${name}:/root/.ssh`])
  await exec('docker', ['start', name])
  await waitForSshd(name)

  const port = async (inner: number) => {
    const { stdout } = await exec('docker', ['port', name, `${inner}/tcp`])
    const found = /^127\.0\.0\.1:(\d+)$/m.exec(stdout)
    if (!found) throw new Error(`docker port ${name} ${inner}: ${stdout}`)
    return Number(found[1])
  }
  const fingerprint = (await exec('ssh-keygen', ['-l', '-f', `${hostKey}.pub`])).stdout.split(' ')[1] ?? ''
  const sshPort = await port(22)
  const clientKey = await readFile(server.keyPath)
  return {
    name,
    sshPort,
    httpPort: await port(80),
    fingerprint,
    shell: (command) =>
      exec('docker', ['exec', name, 'sh', '-c', command]).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code?: number; stdout?: string }) => ({
          code: Number(error.code ?? 1),
          stdout: error.stdout ?? '',
        }),
      ),
    forward: async (port) => {
      const client = new Client()
      t.after(() => client.end())
      client.on('tcp connection', (_info, accept) => {
        const channel = accept()
        const socket = connect(port, '127.0.0.1')
        channel.pipe(socket).pipe(channel)
        socket.on('error', () => channel.close())
        channel.on('error', () => socket.destroy())
      })
      await new Promise<void>((resolve, reject) => {
        client.once('error', reject)
        client.once('ready', () =>
          client.forwardIn('127.0.0.1', port, (error) => (error ? reject(error) : resolve())),
        )
        client.connect({
          host: '127.0.0.1',
          port: sshPort,
          username: 'root',
          privateKey: clientKey,
          hostVerifier: (key: Buffer) => fingerprintOf(key) === fingerprint,
        })
      })
    },
  }
}

/**
 * Debian's docker-registry on 127.0.0.1 (a port it picks), with its own configuration and storage in
 * a temporary folder, holding copies of `images` pushed by this machine's Docker; stopped and removed
 * after the test.
 */
export async function startRegistry(t: TestContext, images: string[]): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'helvetia-registry-'))
  const config = join(dir, 'config.yml')
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:0\n`,
  )
  const registry = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(async () => {
    if (registry.exitCode === null && registry.signalCode === null && registry.kill())
      await once(registry, 'exit')
    await rm(dir, { recursive: true, force: true })
  })
  // Its log says where it listens; the rest of its log (a line per request) is read and dropped.
  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    let found = false
    const onData = (chunk: Buffer) => {
      if (found) return
      output += String(chunk)
      const listening = /listening on 127\.0\.0\.1:(\d+)/.exec(output)
      found = listening !== null
      if (listening) resolve(Number(listening[1]))
    }
    registry.stdout.on('data', onData)
    registry.stderr.on('data', onData)
    registry.once('error', (error) =>
      reject(
        new Error(`docker-registry could not run (it is in test/server/packages.txt): ${error.message}`),
      ),
    )
    registry.once('exit', () => reject(new Error(`docker-registry did not start: ${output}`)))
  })
  const ref = (image: string) => `127.0.0.1:${port}/${image}`
  for (const image of images) {
    await exec('docker', ['tag', image, ref(image)])
    try {
      await exec('docker', ['push', ref(image)])
    } finally {
      await exec('docker', ['rmi', ref(image)])
    }
  }
  return { port, ref }
}

/** Waits until sshd says it listens (its log line), or fails with the container's log. */
async function waitForSshd(name: string): Promise<void> {
  const child = execFile('docker', ['logs', '--follow', name])
  const output: string[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer | string) => {
        output.push(String(chunk))
        if (output.join('').includes('Server listening on')) resolve()
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.on('exit', () => reject(new Error(`sshd in ${name} did not start: ${output.join('')}`)))
    })
  } finally {
    child.kill()
  }
}
