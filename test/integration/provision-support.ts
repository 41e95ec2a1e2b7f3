/**
 * What the provisioning integration tests share: the test server over SSH (its user has the docker
 * group but neither root nor sudo), a prefix that names every Docker object and folder a test creates
 * (removed again after the test), and helpers.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createProvisioner } from '../../src-main/core/provision/provision'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { sh } from '../../src-main/core/shell/quote'
import { createHostKeyPolicy } from '../../src-main/core/ssh/host-key-policy'
import { SshConnection } from '../../src-main/core/ssh/ssh-connection'
import type { Target } from '../../src-main/core/targets/target'
import { testServer, type Skippable, type TestServer } from '../support/test-server'

type TestContext = Skippable & { after(fn: () => Promise<void> | void): void }

export interface ContainerInfo {
  Id: string
  State: { Running: boolean; StartedAt: string }
  Config: { Labels: Record<string, string>; Cmd: string[]; Healthcheck?: { Test: string[] } }
  HostConfig: {
    LogConfig: { Type: string; Config: Record<string, string> }
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>
    RestartPolicy: { Name: string }
  }
  NetworkSettings: { Networks: Record<string, unknown> }
  Mounts: { Destination: string; Source: string; RW: boolean; Name?: string }[]
}

export interface Testbed {
  server: TestServer
  target: Target
  /** `helvetia-test-<random>`: network, `<prefix>-proxy`, `<prefix>-<kind>-data`, `~/.<prefix>`. */
  prefix: string
  provisioner: ReturnType<typeof createProvisioner>
  /** Runs a command on the target; throws with its stderr unless it exits 0. Returns stdout. */
  run(command: string, stdin?: string): Promise<string>
  /** `docker inspect` of one container: the fields the tests look at. */
  inspect(name: string): Promise<ContainerInfo>
  /** Runs `command` on the target after the test, once the prefix's objects are gone (so images are unused). */
  cleanup(command: string): void
}

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

export function provisionTestbed(t: TestContext): Testbed | undefined {
  const server = testServer(t)
  if (!server) return undefined
  const target = keyLogin(server)
  const prefix = `helvetia-test-${randomBytes(4).toString('hex')}`
  const run = async (command: string, stdin?: string) => {
    const result = await target.exec(command, { stdin })
    if (result.code !== 0) throw new Error(`${command} exited with ${result.code}: ${result.stderr}`)
    return result.stdout
  }
  const cleanups: string[] = []
  t.after(async () => {
    // Only what this test created: its prefix names every object and folder.
    await target.exec(
      sh`docker rm -f -v ${`${prefix}-proxy`}; docker network rm ${prefix}; ` +
        sh`docker volume rm ${`${prefix}-caddy-data`} ${`${prefix}-traefik-data`}; rm -rf "$HOME"/${`.${prefix}`}`,
    )
    for (const command of cleanups.reverse()) await target.exec(command)
    target.close()
  })
  return {
    server,
    target,
    prefix,
    provisioner: createProvisioner({ scripts: new ScriptRunner({ scriptsDir: SCRIPTS_DIR, prefix }) }),
    run,
    cleanup: (command) => cleanups.push(command),
    inspect: async (name) => {
      const [info] = JSON.parse(await run(sh`docker inspect ${name}`)) as ContainerInfo[]
      if (!info) throw new Error(`docker inspect ${name}: nothing`)
      return info
    },
  }
}

/** An SSH connection that logs in with a key file and trusts only the pinned host key. */
export function keyLogin(
  sshd: Pick<TestServer, 'host' | 'port' | 'user' | 'keyPath' | 'hostKeyFingerprint'>,
): SshConnection {
  return new SshConnection({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { kind: 'key', privateKey: readFileSync(sshd.keyPath) },
    hostKey: createHostKeyPolicy({ pinned: sshd.hostKeyFingerprint, knownHostsPath: '/nonexistent' }),
  })
}

/** The target with its PATH changed for every command: `dirs` first, or instead of PATH with `replace`. */
export function withPath(target: Target, dirs: string, replace = false): Target {
  const path = replace ? sh`PATH=${dirs}` : sh`PATH=${dirs}:"$PATH"`
  return {
    kind: target.kind,
    exec: (command, options) => target.exec(`${path}; export PATH; ${command}`, options),
  }
}

/** Ports nothing on 127.0.0.1 listens on right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer()
      return new Promise<ReturnType<typeof createServer>>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(server)),
      )
    }),
  )
  const ports = servers.map((server) => (server.address() as { port: number }).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}
