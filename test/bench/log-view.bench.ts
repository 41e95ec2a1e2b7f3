/**
 * The log view under a flood (run by `npm run bench`; needs no test server): LogView in Chromium, fed
 * by a feed in the page that writes RATE lines a second for SECONDS seconds, in batches of 2,000 as
 * the core's line batcher sends them, some lines coloured. Prints the frames per second and the
 * longest frame while it streams, the lines generated over the measured flood time, the lines that
 * reached xterm (counted at xterm's write; the rest were skipped to keep up) per second until the
 * last one was shown.
 * Usage: node --import tsx test/bench/log-view.bench.ts [RATE] [SECONDS]   (default 100000 5)
 */
import type { TestContext } from 'node:test'
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { launchBrowser } from '../support/browser'

const rate = Number(process.argv[2] ?? 100_000)
const seconds = Number(process.argv[3] ?? 5)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const after: (() => unknown)[] = []

/** The page: LogView with a generating feed, and a frame clock; `window.bench` reports. */
const HARNESS = `
import { createRoot } from 'react-dom/client'
import { Terminal } from '@xterm/xterm'
import { LogView } from './src-renderer/src/logs/log-view'
import './src-renderer/src/theme/tokens.css'
import './src-renderer/src/ui/ui.css'
import './src-renderer/src/ui/fields.css'
import './src-renderer/src/ui/notes.css'
import './src-renderer/src/ui/facts.css'
import './src-renderer/src/ui/steps.css'
import './src-renderer/src/ui/dialog.css'

const rate = ${rate}
const seconds = ${seconds}
const BATCH = 2000
const paths = ['/api/items', '/healthz', '/login', '/static/app.js', '/api/orders/42']
const line = (n) => {
  const time = new Date(1_800_000_000_000 + n).toISOString()
  if (n % 50 === 0) return time + ' \\x1b[33mWARN\\x1b[0m slow request ' + n + ' took ' + (n % 900) + ' ms'
  if (n % 10 === 0) return time + ' \\x1b[32mINFO\\x1b[0m GET ' + paths[n % 5] + ' 200 ' + (n % 97) + ' ms'
  return time + ' INFO request ' + n + ' GET ' + paths[n % 5] + '?page=' + (n % 13) + ' 200 ' + (n % 97) + ' ms from 10.0.0.' + (n % 250)
}

const report = {
  generated: 0, written: 0, idle: [], frames: [], done: false, doneAt: 0, last: '',
  flood: { from: 0, writtenBefore: 0, startedAt: 0 },
}
window.bench = report

// Counts the lines that reach xterm: the pump writes them joined by CRLF, a write after the first
// starting with one.
const write = Terminal.prototype.write
Terminal.prototype.write = function (data, callback) {
  if (typeof data === 'string' && data.length > 0) {
    let lines = data.startsWith('\\r\\n') ? 0 : 1
    for (let at = data.indexOf('\\r\\n'); at >= 0; at = data.indexOf('\\r\\n', at + 2)) lines++
    report.written += lines
  }
  return write.call(this, data, callback)
}

// Frame clock: while the view sits idle (the machine's own pace), then while the flood runs.
let frames = null
let previous = 0
const tick = (now) => {
  frames?.push(now - previous)
  previous = now
  if (!report.done) requestAnimationFrame(tick)
}
requestAnimationFrame(tick)
const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes \`perSecond\` lines a second for \`ms\`: one batch a task, as the API's messages arrive. */
const stream = (sink, perSecond, ms) =>
  new Promise((resolve) => {
    const started = performance.now()
    const from = report.generated
    const total = Math.round((perSecond * ms) / 1000)
    const step = () => {
      const due = Math.min(total, Math.floor((perSecond * (performance.now() - started)) / 1000))
      if (report.generated - from < due) {
        const lines = []
        const end = Math.min(from + due, report.generated + BATCH)
        for (let n = report.generated; n < end; n++) lines.push(line(n))
        report.generated = end
        sink.write(lines)
      }
      if (report.generated - from >= total) resolve()
      else setTimeout(step, report.generated - from < due ? 0 : 4)
    }
    step()
  })

// Warm-up (xterm's code compiled, the fonts measured), a second idle, then the flood.
const feed = (sink) => {
  void (async () => {
    await stream(sink, 1000, 1000)
    await later(200)
    frames = report.idle
    await later(1000)
    frames = report.frames
    report.flood = { from: report.generated, writtenBefore: report.written, startedAt: performance.now() }
    await stream(sink, rate, seconds * 1000)
    report.last = line(report.generated - 1)
    report.done = true
    report.doneAt = performance.now()
    sink.end()
  })()
  return () => {}
}

const root = document.getElementById('root')
createRoot(root).render(<LogView feed={feed} label="Benchmark log" />)
`

async function bundle(): Promise<{ js: string; css: string }> {
  const result = await build({
    stdin: { contents: HARNESS, resolveDir: ROOT, loader: 'tsx', sourcefile: 'harness.tsx' },
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    write: false,
    outdir: '/bench-out',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  const text = (ext: string) => result.outputFiles.find((file) => file.path.endsWith(ext))?.text ?? ''
  return { js: text('.js'), css: text('.css') }
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const total = values.reduce((sum, v) => sum + v, 0)
  return {
    fps: values.length / (total / 1000),
    p95: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
    longest: sorted.at(-1) ?? NaN,
  }
}

async function main(): Promise<void> {
  const { js, css } = await bundle()
  // launchBrowser wants a test's context for skipping and clean-up; a benchmark fails instead.
  const context = {
    skip: (reason: string) => {
      throw new Error(reason)
    },
    after: (fn: () => unknown) => after.push(fn),
  } as unknown as TestContext
  const browser = await launchBrowser(context)
  const page = await (
    await browser?.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })
  )?.newPage()
  if (!page) throw new Error('no browser')
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.setContent(
    `<!doctype html><html><head><style>${css}</style><style>.log-view{height:760px}</style></head>` +
      `<body><div id="root"></div><script type="module">${js.replaceAll('</script', '<\\/script')}</script></body></html>`,
  )
  await page.waitForFunction(() => (window as unknown as { bench?: { done: boolean } }).bench?.done, null, {
    timeout: (seconds + 120) * 1000,
    polling: 200,
  })
  // Drained: the view has written everything it is going to (its last line is the last generated one).
  await page.waitForFunction(
    () => {
      const host = document.querySelector('.log-terminal') as HTMLElement & {
        helvetiaLog?: { lines(): string[] }
      }
      const bench = (window as unknown as { bench: { last: string } }).bench
      return host.helvetiaLog?.lines().at(-1)?.includes(bench.last.slice(0, 24))
    },
    null,
    { timeout: 60_000, polling: 250 },
  )
  const drained = await page.evaluate(() => performance.now())
  const report = await page.evaluate(() => {
    const bench = (
      window as unknown as {
        bench: {
          generated: number
          written: number
          doneAt: number
          flood: { from: number; writtenBefore: number; startedAt: number }
          idle: number[]
          frames: number[]
        }
      }
    ).bench
    const host = document.querySelector('.log-terminal') as HTMLElement & {
      helvetiaLog: { getState(): { skipped: number } }
    }
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
    return {
      idle: bench.idle.slice(1),
      frames: bench.frames.slice(1),
      generated: bench.generated,
      written: bench.written,
      doneAt: bench.doneAt,
      flood: bench.flood,
      skipped: host.helvetiaLog.getState().skipped,
      heap: memory?.usedJSHeapSize ?? NaN,
    }
  })
  if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`)
  const idle = stats(report.idle)
  const frames = stats(report.frames)
  // All measured: the lines the feed generated during the flood and how long it took, the lines that
  // reached xterm (counted at its write), until the last one was on screen.
  const generated = report.generated - report.flood.from
  const floodS = (report.doneAt - report.flood.startedAt) / 1000
  const written = report.written - report.flood.writtenBefore
  const drain = (drained - report.doneAt) / 1000
  const warmUpLeft = report.flood.from - report.flood.writtenBefore
  const n = (value: number) => Math.round(value).toLocaleString('en')
  const frameLine = (f: ReturnType<typeof stats>) =>
    `${f.fps.toFixed(1)} fps, p95 ${f.p95.toFixed(1)} ms, longest ${f.longest.toFixed(1)} ms`
  process.stdout.write(
    [
      `log view benchmark: ${n(rate)} lines/s asked for ${seconds} s into LogView (Chromium, 1280×800)`,
      `  lines generated               ${n(generated)} in ${floodS.toFixed(2)} s (${n(generated / floodS)} a second)`,
      `  frames, idle (this machine)   ${frameLine(idle)}`,
      `  frames while streaming        ${frameLine(frames)}`,
      `  lines written to xterm        ${n(written)} of ${n(generated)} (the view reports ${n(report.skipped)} skipped to keep up)` +
        (warmUpLeft === 0
          ? ''
          : `; ${n(warmUpLeft)} warm-up lines were still unwritten when the flood began`),
      `  lines rendered per second     ${n(written / (floodS + drain))} (the last line shown ${drain.toFixed(2)} s after the flood)`,
      `  JS heap at the end            ${(report.heap / 2 ** 20).toFixed(0)} MiB`,
      '',
    ].join('\n'),
  )
}

try {
  await main()
} finally {
  for (const fn of after.reverse()) await fn()
}
