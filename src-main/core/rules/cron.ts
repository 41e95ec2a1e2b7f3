/**
 * Cron expressions of scheduled jobs: five fields (minute 0-59, hour 0-23, day of month 1-31, month
 * 1-12, day of week 0-7, 0 and 7 Sunday), each `*` or a comma list of N, N-M, *\/S, N-M/S or N/S (N to
 * the field's end), numbers only. As in Vixie cron, when both day fields are restricted (neither starts
 * with `*`) a day matches either. The server's job agent applies the same rules
 * (remote-scripts/lib/cron.sh); test/unit/cron.test.ts runs both on one table of cases.
 */

const FIELDS = [
  { name: 'minute', lo: 0, hi: 59 },
  { name: 'hour', lo: 0, hi: 23 },
  { name: 'day of month', lo: 1, hi: 31 },
  { name: 'month', lo: 1, hi: 12 },
  { name: 'day of week', lo: 0, hi: 7 },
] as const

export interface Cron {
  /** The allowed values of each field; day of week 7 is folded into 0. */
  fields: Set<number>[]
  /** Both day fields restricted: a day matches either. */
  eitherDay: boolean
}

const NUMBER = /^\d{1,2}$/

/** The parsed expression, or a sentence saying what is wrong with it. */
export function parseCron(expression: string): Cron | string {
  if (/[^0-9*,/ -]/.test(expression)) return 'expected numbers, *, ranges, lists and steps only (no names)'
  const parts = expression.trim().split(/ +/)
  if (parts.length !== 5) return 'expected five fields: minute hour day-of-month month day-of-week'
  const fields: Set<number>[] = []
  for (const [i, spec] of parts.entries()) {
    const { name, lo, hi } = FIELDS[i]!
    const values = new Set<number>()
    for (const item of spec.split(',')) {
      const [range = '', stepText, extra] = item.split('/')
      let step = 1
      if (stepText !== undefined) {
        step = Number(stepText)
        if (!NUMBER.test(stepText) || step < 1 || step > hi - lo + 1 || extra !== undefined) {
          return `invalid step in the ${name} field: ${item}`
        }
      }
      let a: number = lo
      let b: number = hi
      if (range !== '*') {
        const [from = '', to, more] = range.split('-')
        if (!NUMBER.test(from) || (to !== undefined && !NUMBER.test(to)) || more !== undefined) {
          return `invalid ${name} field: ${spec}`
        }
        a = Number(from)
        b = to !== undefined ? Number(to) : stepText !== undefined ? hi : a
        if (a < lo || b > hi || a > b) return `${name} out of ${lo}-${hi}: ${item}`
      }
      for (let v = a; v <= b; v += step) values.add(i === 4 && v === 7 ? 0 : v)
    }
    fields.push(values)
  }
  return { fields, eitherDay: !parts[2]!.startsWith('*') && !parts[4]!.startsWith('*') }
}

/** Whether the job is due at this minute (the server's wall-clock fields). */
export function cronMatches(
  cron: Cron,
  at: { minute: number; hour: number; day: number; month: number; weekday: number },
): boolean {
  const [m, h, dom, mon, dow] = cron.fields as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ]
  const domHit = dom.has(at.day)
  const dowHit = dow.has(at.weekday % 7)
  const day = cron.eitherDay ? domHit || dowHit : domHit && dowHit
  return m.has(at.minute) && h.has(at.hour) && mon.has(at.month) && day
}

/**
 * The next minute after `fromMs` the job is due, for a server whose clock is `offsetMinutes` ahead of
 * UTC (a fixed offset: a daylight saving change on the way moves it by that hour); null when none
 * within about four years (a 31st of February).
 */
export function nextCronRun(cron: Cron, fromMs: number, offsetMinutes: number): Date | null {
  const offset = offsetMinutes * 60_000
  let t = Math.floor((fromMs + offset) / 60_000) * 60_000 + 60_000
  const end = t + 4 * 366 * 86_400_000
  while (t < end) {
    const d = new Date(t)
    const at = {
      minute: d.getUTCMinutes(),
      hour: d.getUTCHours(),
      day: d.getUTCDate(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
    }
    if (cronMatches(cron, at)) return new Date(t - offset)
    // Whole months, days and hours that cannot match are skipped.
    if (!cron.fields[3]!.has(at.month)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    else if (!cronMatches(cron, { ...at, hour: [...cron.fields[1]!][0]!, minute: [...cron.fields[0]!][0]! }))
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)
    else if (!cron.fields[1]!.has(at.hour)) t += (60 - at.minute) * 60_000
    else t += 60_000
  }
  return null
}
