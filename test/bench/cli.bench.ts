/**
 * CLI start-up (run by `npm run bench`; needs no test server): `helvetia app list` in an empty data
 * folder, as a user runs it (src-main/cli/bin.mjs and the bundle it loads), beside the floor of any
 * Node command, `node -e 0`. Warm: a few runs first, then the median of N wall times, and the mean
 * CPU time (user + system, from /proc: it moves less than wall time on a loaded machine). Prints
 * against issue 11:
 *   `helvetia app list` answers in                                            ≤ 0.2 s
 * Usage: node --import tsx test/bench/cli.bench.ts [N]   (default 15)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const count = Number(process.argv[2] ?? 15)
const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))
const BUILD = fileURLToPath(new URL('../../src-main/tooling/build-cli.mjs', import.meta.url))

/** CPU time of this process's finished children so far (cutime + cstime), in ms; Linux only. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100
}

/** Median wall time of `count` runs of `args` after 3 unmeasured ones, and their mean CPU time, in ms. */
function startUp(args: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const times: number[] = []
  let cpu = 0
  for (let i = 0; i < count + 3; i++) {
    const [began, cpuBefore] = [performance.now(), childrenCpuMs()]
    execFileSync(process.execPath, args, { env, stdio: 'ignore' })
    if (i < 3) continue
    times.push(performance.now() - began)
    cpu += childrenCpuMs() - cpuBefore
  }
  return { wall: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN, cpu: cpu / count }
}

const home = mkdtempSync(join(tmpdir(), 'helvetia-cli-bench-'))
try {
  execFileSync(process.execPath, [BUILD, '--if-stale'], { stdio: 'inherit' })
  // Without NODE_OPTIONS: `npm run bench` may run under a loader that the CLI does not use.
  const env = { ...process.env, HELVETIA_HOME: home, NODE_OPTIONS: '' }
  const cli = startUp([BIN, 'app', 'list'], env)
  const floor = startUp(['-e', '0'], env)
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`
  process.stdout.write(
    [
      `CLI benchmark: ${count} warm runs each, median wall time (mean CPU time)`,
      `${cli.wall <= 200 ? 'ok  ' : 'MISS'} helvetia app list: ${s(cli.wall)} (CPU ${s(cli.cpu)}), ` +
        `floor node -e 0: ${s(floor.wall)} (CPU ${s(floor.cpu)}), ${(cli.wall / floor.wall).toFixed(1)} × the floor   target ≤ 0.2 s`,
      '',
    ].join('\n'),
  )
} finally {
  rmSync(home, { recursive: true, force: true })
}
