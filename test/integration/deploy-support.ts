/**
 * What the deploy integration tests (and the benchmark) share: a Caddy proxy provisioned under a
 * random prefix on the test server (published on 127.0.0.1 only), a deployer for that prefix, app
 * folders built from the offline busybox image, requests through the proxy with a Host header, and the
 * removal of everything the prefix names (containers, images, network, folders) after the test.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request, Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDeployer, type Deployer } from '../../src-main/core/deploy/deployer'
import { sh } from '../../src-main/core/shell/quote'
import { freePorts, provisionTestbed, type Testbed } from './provision-support'
import { ScriptRunner } from '../../src-main/core/remote/script-runner'
import { fileURLToPath } from 'node:url'

type TestContext = Parameters<typeof provisionTestbed>[0]

export interface DeployBed extends Testbed {
  deployer: Deployer
  httpPort: number
  httpsPort: number
  /** A new folder for an app, removed after the test. */
  folder(files: Record<string, string>): Promise<string>
  /** GET through the proxy with `Host: host`: status and body. */
  get(host: string, path?: string, agent?: Agent): Promise<{ status: number; body: string }>
}

const SCRIPTS_DIR = fileURLToPath(new URL('../../remote-scripts', import.meta.url))

export async function deployTestbed(t: TestContext): Promise<DeployBed | undefined> {
  const bed = provisionTestbed(t)
  if (!bed) return undefined
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  await bed.provisioner.provision(bed.target, {
    proxy: 'caddy',
    proxyImage: bed.server.images.caddy,
    httpPort,
    httpsPort,
    bind: '127.0.0.1',
    prefix: bed.prefix,
  })
  const folders: string[] = []
  t.after(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true })
  })
  removeDeploysAfter(bed)
  const deployer = createDeployer({
    scripts: new ScriptRunner({ scriptsDir: SCRIPTS_DIR, prefix: bed.prefix }),
    prefix: bed.prefix,
  })
  return {
    ...bed,
    deployer,
    httpPort,
    httpsPort,
    async folder(files) {
      const dir = await mkdtemp(join(tmpdir(), 'helvetia-deploy-'))
      folders.push(dir)
      await writeFiles(dir, files)
      return dir
    },
    get: (host, path = '/', agent) => get(httpPort, host, path, agent),
  }
}

/** The app the deploy tests serve: `busyboxApp` on port 8080 at http://NAME.test. */
export function webApp(name: string) {
  return { name, port: 8080, domains: [`http://${name}.test`], health: { path: '/index.html', intervalS: 1 } }
}

/**
 * Two foreign images on the server that a deploy's clean-up must spare: one with Helvetia's app label
 * but another repository, one with neither. Removed after the test.
 */
export async function foreignImages(bed: Testbed): Promise<{ labelled: string; plain: string }> {
  const labelled = `${bed.prefix}-foreign/web:keep`
  const plain = `${bed.prefix}-foreign/other:keep`
  bed.cleanup(sh`docker rmi ${labelled} ${plain} >/dev/null 2>&1; true`)
  await bed.run(
    sh`printf 'FROM %s\nLABEL dev.helvetia.app=web\n' ${bed.server.images.busybox} | DOCKER_BUILDKIT=0 docker build -q -t ${labelled} - >/dev/null && ` +
      sh`docker tag ${bed.server.images.busybox} ${plain}`,
  )
  return { labelled, plain }
}

/** The id of the dead deployment `holdDeployLock` makes. */
export const DEAD_DEPLOYMENT = '20000101-000000-dead'

/**
 * A dead deployment of `app` holding the app's lock while its supervisor (a sleep of the test user's)
 * still runs: deploys of the app wait until the returned process ends, then judge the lock stale.
 * The process is ended after the test.
 */
export async function holdDeployLock(bed: Pick<Testbed, 'prefix' | 'run' | 'cleanup'>, app: string) {
  const dead = DEAD_DEPLOYMENT
  const dir = sh`"$HOME"/${`.${bed.prefix}/apps/${app}`}`
  const holder = (
    await bed.run(
      `mkdir -p ${dir}/deployments/${dead} ${dir}/lock && echo ${dead} >${dir}/lock/id && ` +
        `printf 'id=${dead}\\nstatus=running\\n' >${dir}/deployments/${dead}/state && ` +
        `echo '{"id":"${dead}","status":"running"}' >${dir}/deployments/${dead}/meta.json && ` +
        `{ setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! >${dir}/deployments/${dead}/pid; echo $!; }`,
    )
  ).trim()
  bed.cleanup(sh`kill ${holder} 2>/dev/null; true`)
  return { holder, dir }
}

/**
 * Removes what deploys under `bed.prefix` left after the test. Registered after provisionTestbed's
 * cleanup: by then its network removal failed on the apps' containers, so remove them, the images of
 * this prefix only, and the network again.
 */
export function removeDeploysAfter(bed: Pick<Testbed, 'prefix' | 'cleanup'>): void {
  bed.cleanup(
    sh`docker ps -aq --filter label=dev.helvetia.prefix=${bed.prefix} | xargs -r docker rm -f -v >/dev/null; ` +
      sh`docker images --format '{{.Repository}}:{{.Tag}}' | grep ${`^${bed.prefix}/`} | xargs -r docker rmi >/dev/null; ` +
      sh`docker rm -f -v ${`${bed.prefix}-proxy`} >/dev/null 2>&1; docker network rm ${bed.prefix} >/dev/null 2>&1; true`,
  )
}

/** Removes the volumes of the bed's prefix after the test (their containers first). */
export function removeVolumesAfter(bed: Pick<Testbed, 'prefix' | 'cleanup'>): void {
  bed.cleanup(
    sh`docker ps -aq --filter label=dev.helvetia.prefix=${bed.prefix} | xargs -r docker rm -f -v >/dev/null; ` +
      sh`docker volume ls -q --filter label=dev.helvetia.prefix=${bed.prefix} | xargs -r docker volume rm >/dev/null; true`,
  )
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
}

/** A static site served by busybox httpd on port 8080; `extra` adds Dockerfile lines before CMD. */
export function busyboxApp(image: string, page: string, extra: string[] = []): Record<string, string> {
  return {
    Dockerfile: [
      `FROM ${image}`,
      'COPY www /www',
      ...extra,
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'),
    'www/index.html': page,
  }
}

export function get(
  port: number,
  host: string,
  path = '/',
  agent?: Agent,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Host: host }, agent, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })))
    req.end()
  })
}

/** Kept-alive connections of a steady load. */
const POOLED_SOCKETS = 2

/**
 * Like a browser (and Go's http.Transport, and Node's documentation of `request.reusedSocket`): a GET
 * on a kept-alive connection that the server closed as it was sent is sent once more (RFC 9112
 * §9.3.1). A graceful proxy reload closes every idle connection, so the retry may take another dying
 * one from the pool: like Go's transport it retries while the failure is on a reused connection, at
 * most once per pooled socket, so a failure on a fresh connection always counts. `onResend` hears of
 * each re-send, so the load can count them.
 */
async function getAsABrowserWould(port: number, host: string, agent: Agent, onResend: () => void) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await get(port, host, '/', agent)
    } catch (error) {
      const reused = (error as { reusedSocket?: boolean }).reusedSocket
      if (!reused || attempt === POOLED_SOCKETS) {
        throw new Error(
          `${(error as Error).message} (${reused ? 'a reused' : 'a new'} connection, attempt ${attempt + 1})`,
          { cause: error },
        )
      }
      onResend()
    }
  }
}

/** One answered request of a steady load: when it was sent and answered (ms since the epoch), its body. */
export interface Answer {
  sentAt: number
  at: number
  body: string
}

export interface LoadResult {
  requests: number
  /** When each request that failed on a reused connection was sent again on another one. */
  resentAt: number[]
  failures: string[]
  /** The 200s that matched `expect`, in the order they arrived. */
  answers: Answer[]
}

/**
 * Requests `host` through the proxy in a loop until `stop()` (at most `maxRequests`, at most `maxMs`):
 * the bounded loopback load of a zero-downtime check. `stop` resolves with what was answered when,
 * what failed, and when a request was sent again on a new connection.
 */
export function steadyLoad(
  port: number,
  host: string,
  options: { maxRequests?: number; maxMs?: number; expect: RegExp },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: POOLED_SOCKETS })
  const result: LoadResult = { requests: 0, resentAt: [], failures: [], answers: [] }
  let stopped = false
  const until = Date.now() + (options.maxMs ?? 60_000)
  const loop = async () => {
    while (!stopped && result.requests < (options.maxRequests ?? 20_000) && Date.now() < until) {
      result.requests++
      const sentAt = Date.now()
      try {
        const { status, body } = await getAsABrowserWould(port, host, agent, () =>
          result.resentAt.push(Date.now()),
        )
        if (status !== 200 || !options.expect.test(body))
          result.failures.push(`${status} ${body.slice(0, 80)}`)
        else result.answers.push({ sentAt, at: Date.now(), body })
      } catch (error) {
        result.failures.push((error as Error).message)
      }
    }
  }
  const done = Promise.all([loop(), loop()])
  return {
    async stop(): Promise<LoadResult> {
      stopped = true
      await done
      agent.destroy()
      return result
    },
  }
}

/** When the deploy's `switch` step was seen to start and to end (arrival of its progress lines, ms). */
export interface SwitchWindow {
  startedAt: number
  doneAt: number
}

/** Records the arrival of the `switch` step's progress lines; pass `onEvent` to the deploy. */
export function switchClock() {
  const window: Partial<SwitchWindow> = {}
  return {
    onEvent(event: { type: string; step?: string; status?: string }) {
      if (event.type !== 'step' || event.step !== 'switch') return
      if (event.status === 'running') window.startedAt = Date.now()
      else if (event.status === 'done') window.doneAt = Date.now()
    },
    get window(): SwitchWindow {
      if (window.startedAt === undefined || window.doneAt === undefined)
        throw new Error('the deploy reported no switch step')
      return window as SwitchWindow
    },
  }
}

/**
 * What a load says about a switch from the old version (`from`) to the new one (`to`): how many
 * answers arrived before the switch started and were sent after it ended, whether the new version
 * took over within the load and for good (no old answer to a request sent once the new one had
 * answered), and the re-sends during and outside the switch.
 */
export function switchUnderLoad(load: LoadResult, window: SwitchWindow, from: RegExp, to: RegExp) {
  const firstNew = load.answers.find((a) => to.test(a.body))
  const lastOld = load.answers.filter((a) => from.test(a.body)).at(-1)
  return {
    beforeSwitch: load.answers.filter((a) => a.at < window.startedAt).length,
    afterSwitch: load.answers.filter((a) => a.sentAt > window.doneAt).length,
    changed: !!firstNew && !!lastOld,
    /** Old answers to requests sent after the new version had answered: a flip back. */
    oldAfterNew: firstNew
      ? load.answers.filter((a) => from.test(a.body) && a.sentAt > firstNew.at).length
      : 0,
    /** When the last old and the first new answer arrived, in ms after the switch was seen to start. */
    lastOldMs: lastOld ? lastOld.at - window.startedAt : null,
    firstNewMs: firstNew ? firstNew.at - window.startedAt : null,
    switchMs: window.doneAt - window.startedAt,
    resent: load.resentAt.length,
  }
}
