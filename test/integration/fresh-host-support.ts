/**
 * A fresh Debian server for one test: a container of the image test/server/fresh-host-image.sh builds
 * (apt, sshd, curl, no Docker), with its own host key and the test client's key for root, its sshd
 * and port 80 published on 127.0.0.1 only, and a volume for /var/lib/docker (so the dockerd that
 * provisioning installs inside uses overlay2 on the machine's disk, not on an overlay). Not
 * `--privileged`, which fails on this machine (it lacks CAP_SYS_RESOURCE): every other capability, no
 * seccomp or AppArmor profile, and the image's init makes /sys and its cgroups writable. Removed
 * with its volume after the test.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { sh } from '../../src-main/core/shell/quote'
import type { TestServer } from '../support/test-server'

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
  /** Copies images of this machine's Docker into the host's (it cannot pull: there is no registry here). */
  loadImages(...images: string[]): Promise<void>
}

/** The image's tag, or undefined after skipping (under CI=true, a missing image fails the test). */
export function freshHostImage(t: TestContext): string | undefined {
  const image = process.env.HELVETIA_TEST_IMAGE_FRESH_HOST
  if (image) return image
  const reason = 'HELVETIA_TEST_IMAGE_FRESH_HOST is not set (test/server/up.sh builds the image)'
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`)
  t.skip(reason)
  return undefined
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
  return {
    name,
    sshPort: await port(22),
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
    loadImages: async (...images) => {
      await exec('sh', ['-c', sh`docker save ${images} | docker exec -i ${name} docker load`])
    },
  }
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
