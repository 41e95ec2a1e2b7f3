/** What the log view does to a line of text: make it safe to print, read its level, match a filter. */
/* eslint-disable no-control-regex -- finding terminal control characters is what this module is for */

/** SGR (colour and style) sequences: the only escape sequences a log line keeps. */
const SGR = /\x1b\[[0-9;:]*m/g
const IS_SGR = /^\x1b\[[0-9;:]*m$/
/**
 * Everything else that could move the cursor, clear the screen, switch buffers or set the title:
 * CSI and OSC sequences, other ESC sequences, and C0 controls but tab (and ESC, handled above).
 */
const UNSAFE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^[\]]?|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g
const NEEDS_CLEANING = /[\x00-\x08\x0a-\x1f\x7f]/

/**
 * A line as the view prints it: colours kept, any other control removed, so that a log cannot redraw
 * the view. A carriage return (a progress bar redrawing its line) keeps what was drawn last.
 */
export function printable(line: string): string {
  if (!NEEDS_CLEANING.test(line)) return line
  const lastDraw = line.replace(/\r+$/, '').lastIndexOf('\r')
  const drawn = lastDraw >= 0 ? line.slice(lastDraw + 1) : line
  return drawn.replace(UNSAFE, (sequence) => (IS_SGR.test(sequence) ? sequence : ''))
}

/** The text of a line without its colours: what filters and copies see. */
export const plainText = (line: string): string => (line.includes('\x1b') ? line.replace(SGR, '') : line)

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

/**
 * The first level word standing alone near the start of a line (`ERROR`, `[warn]`, `level=info`,
 * `"level":"error"`, `npm ERR!`); a failed step's `✗` counts as an error.
 */
const LEVEL_WORD =
  /(?:^|[^\p{L}\p{N}_])(fatal|panic|crit(?:ical)?|emerg(?:ency)?|alert|err(?:or)?|✗|warn(?:ing)?|info|notice|debug|trace)(?![\p{L}\p{N}_])/iu
const LEVEL_OF: Record<string, LogLevel> = {
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  notice: 'info',
  debug: 'debug',
  trace: 'debug',
}

/** The level a line declares, or null when it declares none (a continuation, plain output). */
export function levelOf(line: string): LogLevel | null {
  const word = LEVEL_WORD.exec(plainText(line).slice(0, 160))?.[1]
  if (word === undefined) return null
  return LEVEL_OF[word.toLowerCase()] ?? 'error'
}

/** What the view shows: lines containing `text` (any case) at `minLevel` or above. */
export interface LineFilter {
  text: string
  /** null: every line, with or without a level. */
  minLevel: LogLevel | null
}

export const NO_FILTER: LineFilter = { text: '', minLevel: null }

export const isFiltering = (filter: LineFilter): boolean => filter.text !== '' || filter.minLevel !== null

/** A predicate for `filter`, built once per filter change rather than per line. */
export function lineMatcher(filter: LineFilter): ((line: string) => boolean) | null {
  if (!isFiltering(filter)) return null
  const needle = filter.text.toLowerCase()
  const floor = filter.minLevel === null ? null : SEVERITY[filter.minLevel]
  return (line) => {
    if (needle && !plainText(line).toLowerCase().includes(needle)) return false
    if (floor === null) return true
    const level = levelOf(line)
    return level !== null && SEVERITY[level] >= floor
  }
}
