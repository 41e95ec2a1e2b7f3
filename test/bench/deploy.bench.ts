/**
 * Deploy benchmark against the test server (run by `npm run bench`, with the test server's environment
 * as test/run.sh sets it): a sample app in a 5,000-file folder behind a Caddy proxy under a random
 * prefix, removed afterwards. Prints, against the targets of issues 4 and 11:
 *   platform overhead per warm redeploy (wall time − build − health wait)   ≤ 1 s
 *   the same beside its floor: a bare `docker create` + `docker start` of the app's image, timed on
 *   the server in this run                                                  ≤ 1.5 ×
 *   redeploy of an unchanged source                                        ≤ 2 s
 *   bytes sent for a one-file change vs the tree's size                    ≤ 2 × file + 64 KiB
 *   failed requests during a redeploy under a steady bounded load          0
 *   SSH handshakes per warm deploy                                         0
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { DeployEvent, DeployInput } from '../../src-main/core/deploy/deployer'
import type { UploadResult } from '../../src-main/core/source/folder-upload'
import { sh } from '../../src-main/core/shell/quote'
import type { SshConnection } from '../../src-main/core/ssh/ssh-connection'
import {
  busyboxApp,
  type DeployBed,
  deployTestbed,
  steadyLoad,
  switchClock,
  switchUnderLoad,
  writeFiles,
} from '../integration/deploy-support'

const after: (() => unknown)[] = []
const context = {
  skip: (message?: string) => {
    throw new Error(`deploy benchmark: ${message ?? 'skipped'}`)
  },
  after: (fn: () => unknown) => after.push(fn),
}

interface Measured {
  wallMs: number
  buildMs: number
  healthMs: number
  /** Where the wall time went: sending the source, starting the deploy, each step, the rest. */
  phases: Record<string, number>
  upload: UploadResult | null
  handshakes: number
  status: string
  /** The deploy kept the running container (nothing had changed): see remote-scripts/deploy-run.sh. */
  reused: boolean
}

async function main(): Promise<void> {
  const bed = await deployTestbed(context)
  if (!bed) return
  const target = bed.target as SshConnection
  let handshakes = 0
  target.onStatus((status) => status.state === 'connected' && handshakes++)

  const files = busyboxApp(bed.server.images.busybox, 'v0\n')
  for (let i = 0; i < 5000; i++) files[`data/d${i % 50}/f${i}.txt`] = `${randomBytes(48).toString('hex')}\n`
  const folder = await bed.folder(files)
  const input: DeployInput = {
    app: {
      name: 'bench',
      port: 8080,
      domains: ['http://bench.test'],
      health: { path: '/index.html', intervalS: 1 },
    },
    source: { kind: 'folder', path: folder },
    serverAddress: '127.0.0.1',
  }

  const deploy = async (watch: (event: DeployEvent) => void = () => {}): Promise<Measured> => {
    const began = Date.now()
    const before = handshakes
    const started: Record<string, number> = {}
    const spent: Record<string, number> = {}
    let upload: UploadResult | null = null
    let uploadedAt = began
    let startedAt = began
    let reused = false
    const onEvent = (event: DeployEvent | { type: 'uploaded'; upload: UploadResult }) => {
      if (event.type === 'uploaded') {
        upload = event.upload
        uploadedAt = Date.now()
      }
      if (event.type === 'started') startedAt = Date.now()
      if (event.type !== 'uploaded') watch(event)
      if (event.type !== 'step') return
      if (event.step === 'start' && event.status === 'skipped') reused = true
      if (event.status === 'running') started[event.step] = Date.now()
      else if (started[event.step]) spent[event.step] = Date.now() - started[event.step]!
    }
    const record = await bed.deployer.deploy(bed.target, input, { onEvent })
    const wallMs = Date.now() - began
    const phases: Record<string, number> = {
      'send source': uploadedAt - began,
      'start on server': startedAt - uploadedAt,
      ...spent,
    }
    phases.rest = wallMs - Object.values(phases).reduce((sum, ms) => sum + ms, 0)
    return {
      wallMs,
      buildMs: spent.build ?? 0,
      healthMs: spent.health ?? 0,
      phases,
      upload,
      handshakes: handshakes - before,
      status: record.status,
      reused,
    }
  }

  await deploy() // cold: uploads the scripts and the whole tree, builds from nothing
  await writeFiles(folder, { 'www/index.html': 'v1\n' })
  await deploy() // warms the layer cache for the next one-file change

  const warm: Measured[] = []
  for (let i = 2; i < 5; i++) {
    await writeFiles(folder, { 'www/index.html': `v${i}\n` })
    warm.push(await deploy())
  }
  const unchanged = await deploy()
  const floorMs = await bareStart(bed, input.app.name)

  await writeFiles(folder, { 'www/index.html': 'v9\n' })
  const load = steadyLoad(bed.httpPort, 'bench.test', {
    expect: /^v\d\n$/,
    maxMs: 120_000,
    maxRequests: 50_000,
  })
  const clock = switchClock()
  const loaded = await deploy(clock.onEvent)
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const underLoad = await load.stop()
  const { requests, failures } = underLoad
  const seen = switchUnderLoad(underLoad, clock.window, /^v[0-8]\n$/, /^v9\n$/)

  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const overhead = median(warm.map((m) => m.wallMs - m.buildMs - m.healthMs))
  const oneFile = warm.at(-1)!.upload!
  const fileBytes = 3
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const breakdown = (runs: Measured[]) =>
    Object.keys(runs[0]!.phases)
      .map((phase) => `${phase} ${s(median(runs.map((m) => m.phases[phase] ?? 0)))}`)
      .join(', ')
  const rows: [string, string, string, boolean][] = [
    [
      'platform overhead per warm redeploy (median of 3)',
      `${s(overhead)} (wall ${s(median(warm.map((m) => m.wallMs)))}, build ${s(median(warm.map((m) => m.buildMs)))}, health ${s(median(warm.map((m) => m.healthMs)))})`,
      '≤ 1 s',
      overhead <= 1000,
    ],
    [
      'overhead beside its floor (bare docker create + start of the image, median of 3)',
      `${s(overhead)} vs ${s(floorMs)}: ${(overhead / floorMs).toFixed(2)} ×`,
      '≤ 1.5 ×',
      overhead <= 1.5 * floorMs,
    ],
    [
      'redeploy of an unchanged source',
      `${s(unchanged.wallMs)} (${unchanged.reused ? 'the running container was kept' : 'a new container'})`,
      '≤ 2 s',
      unchanged.wallMs <= 2000 && unchanged.status === 'succeeded',
    ],
    [
      'bytes sent, one-file change in a 5,000-file tree',
      `${oneFile.sentBytes} B of a ${oneFile.treeBytes} B tree (${oneFile.files} files)`,
      `≤ ${2 * fileBytes + 65536} B`,
      oneFile.sentBytes <= 2 * fileBytes + 65536,
    ],
    [
      'failed requests during a redeploy under load',
      `${failures.length} of ${requests} (${seen.resent} re-sent after a reload closed the kept-alive connection they went out on)`,
      '0',
      failures.length === 0 && loaded.status === 'succeeded',
    ],
    [
      'the load around the switch',
      `${seen.beforeSwitch} answered before it started, ${seen.afterSwitch} sent after it ended, ` +
        `old → v9 ${seen.changed ? `within the load (last old ${seen.lastOldMs} ms, first v9 ${seen.firstNewMs} ms after the switch started; switch seen for ${seen.switchMs} ms)` : 'not seen'}, ` +
        `${seen.oldAfterNew} old answers after a v9`,
      'both sides, one change',
      seen.beforeSwitch > 0 && seen.afterSwitch > 0 && seen.changed && seen.oldAfterNew === 0,
    ],
    [
      'SSH handshakes per warm deploy',
      String(Math.max(...warm.map((m) => m.handshakes))),
      '0',
      warm.every((m) => m.handshakes === 0),
    ],
  ]
  console.log(`Deploy benchmark (${join(bed.server.host)}:${bed.server.port}, Caddy, busybox httpd app)`)
  for (const [name, value, goal, ok] of rows)
    console.log(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value}   target ${goal}`)
  console.log(`where a warm redeploy's time goes (medians): ${breakdown(warm)}`)
  console.log(`where the unchanged redeploy's time goes: ${breakdown([unchanged])}`)
}

/**
 * The floor of a redeploy's overhead: `docker create` + `docker start` of the app's current image with
 * nothing around them, timed on the server (no SSH in it), median of 3. The containers go at once.
 */
async function bareStart(bed: DeployBed, app: string): Promise<number> {
  const label = `dev.helvetia.prefix=${bed.prefix}`
  const times = await bed.run(
    sh`image=$(docker ps --filter ${label} --filter ${`dev.helvetia.app=${app}`} --format '{{.Image}}' | head -n 1)
    for i in 1 2 3; do
      t0=$(date +%s%N)
      id=$(docker create --label ${label} "$image")
      docker start "$id" >/dev/null
      t1=$(date +%s%N)
      docker rm -f "$id" >/dev/null
      echo $(((t1 - t0) / 1000000))
    done`,
  )
  const values = times.trim().split('\n').map(Number)
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v) || v <= 0))
    throw new Error(`deploy benchmark: the bare docker create + start did not time: ${times}`)
  return values.sort((a, b) => a - b)[1]!
}

try {
  await main()
} finally {
  for (const fn of after) await fn()
}
