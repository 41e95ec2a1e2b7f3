/**
 * Reads what remote-scripts/metrics-stream.sh prints: per sample a `host` line of counters, an `app`
 * line per container, `docker stats` JSON per container, then `end`. Anything malformed is skipped:
 * a sample with a bad line still counts, with that reading missing.
 */

/** The server's counters at one moment (cumulative ones since boot). Null: not available there. */
export interface HostReading {
  cpuTotal: number
  cpuIdle: number
  memTotal: number
  memAvailable: number
  diskTotal: number | null
  diskUsed: number | null
  netRx: number | null
  netTx: number | null
}

/** One container at one moment; network counters are cumulative since it started. */
export interface ContainerReading {
  id: string
  app: string
  /** % of one core, as docker stats reports it. */
  cpu: number | null
  memUsed: number | null
  memLimit: number | null
  netRx: number | null
  netTx: number | null
}

export interface Snapshot {
  /** When it was complete, ms since the epoch (this computer's clock). */
  at: number
  host: HostReading | null
  containers: ContainerReading[]
}

/** go-units' suffixes: binary for memory (`BytesSize`), decimal for I/O (`HumanSize`). */
const UNIT_FACTORS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
}

/** `12.3MiB`, `1.2kB`, `0B` → bytes; `--` (not measured) or anything unknown → null. */
export function parseSize(text: string): number | null {
  const match = /^([0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*([A-Za-z]*)$/.exec(text.trim())
  if (!match) return null
  const factor = UNIT_FACTORS[match[2] || 'B']
  return factor === undefined ? null : Number(match[1]) * factor
}

/** `12.5%` → 12.5; `--` → null. */
export function parsePercent(text: string): number | null {
  const match = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(text.trim())
  return match ? Number(match[1]) : null
}

/** `used / limit` (MemUsage, NetIO: received / sent) → both sides. */
export function parsePair(text: string): [number | null, number | null] {
  const [left = '', right = ''] = text.split('/')
  return [parseSize(left), parseSize(right)]
}

/** `docker stats --format '{{json .}}'`'s line → a reading for `app`, or null when it is not one. */
export function parseDockerStats(json: string): Omit<ContainerReading, 'app'> | null {
  let stats: Record<string, unknown>
  try {
    stats = JSON.parse(json) as Record<string, unknown>
  } catch {
    return null
  }
  const text = (key: string): string => (typeof stats[key] === 'string' ? (stats[key] as string) : '')
  const id = text('Container') || text('ID')
  if (!id) return null
  const [memUsed, memLimit] = parsePair(text('MemUsage'))
  const [netRx, netTx] = parsePair(text('NetIO'))
  return { id, cpu: parsePercent(text('CPUPerc')), memUsed, memLimit, netRx, netTx }
}

const count = (text: string | undefined): number | null =>
  text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : null

function parseHost(fields: string[]): HostReading | null {
  const [cpuTotal, cpuIdle, memTotal, memAvailable, diskTotal, diskUsed, netRx, netTx] = fields.map(count)
  if (cpuTotal == null || cpuIdle == null || memTotal == null || memAvailable == null) return null
  return {
    cpuTotal,
    cpuIdle,
    memTotal,
    memAvailable,
    diskTotal: diskTotal ?? null,
    diskUsed: diskUsed ?? null,
    netRx: netRx ?? null,
    netTx: netTx ?? null,
  }
}

/**
 * Assembles the stream's lines into snapshots: `line` for each line as it arrives, `onSnapshot`
 * called at each `end`. `now` stamps a snapshot when it completes.
 */
export function snapshotReader(onSnapshot: (snapshot: Snapshot) => void, now: () => number = Date.now) {
  let host: HostReading | null = null
  const apps = new Map<string, string>()
  const containers: ContainerReading[] = []
  return (line: string): void => {
    const [kind, ...fields] = line.split('\t')
    switch (kind) {
      case 'host':
        host = parseHost(fields)
        return
      case 'app': {
        const [id, app] = fields
        if (id && app) apps.set(id, app)
        return
      }
      case 'stats': {
        const reading = parseDockerStats(fields.join('\t'))
        const app = reading && apps.get(reading.id)
        if (reading && app) containers.push({ ...reading, app })
        return
      }
      case 'end':
        onSnapshot({ at: now(), host, containers: containers.splice(0) })
        host = null
        apps.clear()
    }
  }
}
