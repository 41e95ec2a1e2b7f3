/**
 * The log view's engine, outside React: an xterm terminal fed from a ring of the newest lines.
 *
 * Throughput: lines are only queued as they arrive; once per animation frame the pump writes what is
 * new as ONE string, and the next write waits until xterm has parsed the last one. So xterm's own
 * queue holds one chunk at most, and a log of 100,000 lines a second costs a few writes a second.
 *
 * Back-pressure: the API client acknowledges a stream's items once `onItem` returns, and the feeds
 * return at once, so the producer is never held up by the view. Holding acknowledgements until a
 * frame is drawn was the other choice; the core's stream would then pause the log on the server
 * (src-main/core/bounded-stream.ts), and a view that fell behind would show an ever older log.
 * Instead the renderer bounds its memory itself: lines go into a ring of the newest RING_LINES, and when the view falls behind by more than
 * xterm can hold anyway (SCROLLBACK), it skips to the newest lines and says how many it skipped.
 * Skipped lines stay in the ring, so a filter can still find them.
 *
 * Live tail: at the bottom the view follows new lines. Scrolled up, it pauses: new lines are held
 * (and counted) so that what the user reads stays put, until they scroll back down or jump to live.
 */
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { Terminal } from '@xterm/xterm'
import { LineRing } from './line-ring'
import { lineMatcher, NO_FILTER, printable, type LineFilter } from './log-lines'
import { terminalColours, watchColourScheme, type TerminalColours } from './terminal-theme'

/** Lines kept for filtering and re-rendering. */
export const RING_LINES = 100_000
/** Rows xterm keeps (each costs about 12 bytes a column, so 20,000 rows of 120 columns: ~29 MB). */
export const SCROLLBACK = 20_000
/**
 * Most lines in one write: at 60 frames a second well above 100,000 lines a second, to catch up; and
 * few enough that xterm parses them in a part of a frame. (Sizing writes by the time xterm took
 * proved wrong: on a busy machine that time is mostly the frame's own rendering, which fewer lines
 * do not shorten, so writes shrank and throughput collapsed.)
 */
const WRITE_LINES = 4_000
/** How far the view may fall behind (about half a second of writes) before it skips to the newest lines. */
const MAX_LAG = Math.min(SCROLLBACK, 30 * WRITE_LINES)

export interface LogViewState {
  /** live: follows new lines; paused: scrolled up, new lines held; top: reading from the start. */
  mode: 'live' | 'paused' | 'top'
  /** Lines (that pass the filter) that arrived while paused. */
  held: number
  /** Lines never shown because the view fell behind (or was paused) by more than it can hold. */
  skipped: number
  /** The search's current match (1-based, 0 when beyond the highlight limit) and the number of matches. */
  search: { index: number; count: number } | null
  /** The terminal's background, for the frame around it. */
  background: string
}

/** The search addon highlights at most this many matches (its count stops there too). */
export const SEARCH_LIMIT = 1000

export class LogPump {
  private readonly terminal: Terminal
  private readonly fit = new FitAddon()
  private readonly searcher = new SearchAddon({ highlightLimit: SEARCH_LIMIT })
  private readonly ring = new LineRing(RING_LINES)
  private colours: TerminalColours
  private matcher = lineMatcher(NO_FILTER)
  /** Sequence number of the next ring line to consider writing. */
  private next = 0
  private writing = false
  private rerender = false
  private needsNewline = false
  /** In `top` mode, whether the view was taken to the top after the first lines. */
  private atTop = false
  private frame: number | null = null
  private state: LogViewState
  private stateChanged = false
  private readonly listeners = new Set<() => void>()
  private readonly cleanups: (() => void)[] = []

  constructor(
    private readonly host: HTMLElement,
    options: { label: string; follow: boolean },
  ) {
    this.colours = terminalColours(host)
    this.state = {
      mode: options.follow ? 'live' : 'top',
      held: 0,
      skipped: 0,
      search: null,
      background: this.colours.theme.background ?? '',
    }
    this.terminal = new Terminal({
      scrollback: SCROLLBACK,
      disableStdin: true,
      cursorInactiveStyle: 'none',
      cursorWidth: 1,
      // The search addon's highlights are decorations, a proposed API.
      allowProposedApi: true,
      fontFamily: getComputedStyle(host).getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: 13,
      lineHeight: 1.3,
      // Keeps ANSI colours readable (WCAG AA) on either theme's background.
      minimumContrastRatio: 4.5,
      theme: this.colours.theme,
      // OSC 8 hyperlinks in the output.
      linkHandler: { activate: (_event, uri) => openLink(uri) },
    })
    this.terminal.loadAddon(this.fit)
    this.terminal.loadAddon(this.searcher)
    this.terminal.loadAddon(new WebLinksAddon((_event, uri) => openLink(uri)))
    this.terminal.open(host)
    this.terminal.textarea?.setAttribute('aria-label', `${options.label}, read-only`)
    this.terminal.attachCustomKeyEventHandler((event) => this.onKey(event))
    this.fitToHost()

    const subscriptions = [
      this.terminal.onScroll(() => this.onScroll()),
      this.searcher.onDidChangeResults(({ resultIndex, resultCount }) =>
        this.update({ search: { index: resultIndex + 1, count: resultCount } }),
      ),
    ]
    const resizes = new ResizeObserver(() => this.fitToHost())
    resizes.observe(host)
    this.cleanups.push(
      () => subscriptions.forEach((s) => s.dispose()),
      () => resizes.disconnect(),
      watchColourScheme(() => this.applyColours()),
    )
  }

  // --- for React (useSyncExternalStore) ---

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getState = (): LogViewState => this.state

  // --- the feed's side ---

  write(lines: readonly string[]): void {
    const cleaned = lines.map(printable)
    this.ring.push(cleaned)
    if (this.state.mode === 'paused') {
      const held = this.matcher ? cleaned.filter(this.matcher).length : cleaned.length
      if (held > 0) this.update({ held: this.state.held + held }, { batched: true })
    }
    this.schedule()
  }

  // --- the user's side ---

  /** Shows only the lines that pass `filter`, re-rendered from the ring; the view goes live. */
  setFilter(filter: LineFilter): void {
    this.matcher = lineMatcher(filter)
    this.rerender = true
    this.schedule()
  }

  jumpToLive(): void {
    this.terminal.scrollToBottom()
    // Already at the bottom (e.g. reading from the top of a short log): no scroll event comes.
    this.goLive()
  }

  /** Moves to the next (or previous) match of `term`, highlighting all; false when there is none. */
  find(term: string, direction: 'next' | 'previous', { incremental = false } = {}): boolean {
    const options = { decorations: this.colours.search, incremental }
    const found =
      direction === 'next' ? this.searcher.findNext(term, options) : this.searcher.findPrevious(term, options)
    // The match stays where it was found: new lines wait, as when the user scrolls up.
    if (found && this.state.mode === 'live') this.update({ mode: 'paused', held: 0 })
    return found
  }

  clearSearch(): void {
    this.searcher.clearDecorations()
    this.terminal.clearSelection()
    this.update({ search: null })
  }

  /** The selected text, or else every line the view holds (as shown: filtered, without colours). */
  copyText(): { text: string; what: 'selection' | 'lines'; lines: number } {
    const selection = this.terminal.getSelection()
    if (selection) return { text: selection, what: 'selection', lines: selection.split('\n').length }
    const lines = this.lines()
    return { text: lines.join('\n'), what: 'lines', lines: lines.length }
  }

  /** The lines in the terminal's buffer, wrapped rows joined back: what the view shows. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active
    const lines: string[] = []
    for (let row = 0; row < buffer.length; row++) {
      const line = buffer.getLine(row)
      if (!line) continue
      const text = line.translateToString(true)
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text
      else lines.push(text)
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
    return lines
  }

  focus(): void {
    this.terminal.focus()
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame)
    this.cleanups.forEach((cleanup) => cleanup())
    this.listeners.clear()
    this.terminal.dispose()
  }

  // --- inside ---

  private schedule(): void {
    this.frame ??= requestAnimationFrame(() => this.flush())
  }

  /** Once a frame: report what changed, then write what is new as one string (unless held). */
  private flush(): void {
    this.frame = null
    if (this.stateChanged) this.emit()
    if (this.writing || this.state.mode === 'paused') return
    if (this.rerender) this.restart()

    const end = this.ring.end
    let seq = Math.max(this.next, this.ring.start, end - MAX_LAG)
    if (seq > this.next) this.update({ skipped: this.state.skipped + seq - this.next })
    const chunk: string[] = []
    for (; seq < end && chunk.length < WRITE_LINES; seq++) {
      const line = this.ring.at(seq)
      // A line that leaves a colour on must not tint the next, which a filter may have brought next to it.
      if (!this.matcher || this.matcher(line)) chunk.push(line.includes('\x1b') ? `${line}\x1b[0m` : line)
    }
    this.next = seq
    if (chunk.length === 0) {
      if (seq < end) this.schedule()
      return
    }
    const data = (this.needsNewline ? '\r\n' : '') + chunk.join('\r\n')
    this.needsNewline = true
    this.writing = true
    this.terminal.write(data, () => {
      this.writing = false
      if (this.state.mode === 'top' && !this.atTop) {
        this.atTop = true
        this.terminal.scrollToTop()
      }
      if (this.next < this.ring.end || this.rerender) this.schedule()
    })
  }

  /** Clears the terminal and starts again from the oldest ring line whose filtered rest fits the scrollback. */
  private restart(): void {
    this.rerender = false
    this.searcher.clearDecorations()
    this.terminal.reset()
    this.needsNewline = false
    let seq = this.ring.end
    for (let shown = 0; seq > this.ring.start && shown < SCROLLBACK;) {
      seq--
      if (!this.matcher || this.matcher(this.ring.at(seq))) shown++
    }
    this.next = seq
    this.update({ mode: 'live', held: 0, skipped: 0, search: null })
  }

  private onScroll(): void {
    // Reading from the top: the first lines scroll the view before it is taken to the top.
    if (this.state.mode === 'top' && this.writing) return
    const buffer = this.terminal.buffer.active
    if (buffer.viewportY >= buffer.baseY) this.goLive()
    else if (this.state.mode === 'live') this.update({ mode: 'paused', held: 0 })
  }

  private goLive(): void {
    if (this.state.mode === 'live') return
    this.update({ mode: 'live', held: 0 })
    this.schedule()
  }

  /** The view takes no input, so the reading keys scroll without Shift. */
  private onKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown' || event.ctrlKey || event.metaKey || event.altKey) return true
    const scroll: Record<string, () => void> = {
      PageUp: () => this.terminal.scrollPages(-1),
      PageDown: () => this.terminal.scrollPages(1),
      ArrowUp: () => this.terminal.scrollLines(-1),
      ArrowDown: () => this.terminal.scrollLines(1),
      Home: () => this.terminal.scrollToTop(),
      End: () => this.jumpToLive(),
    }
    const action = scroll[event.key]
    if (!action) return true
    event.preventDefault()
    action()
    return false
  }

  private fitToHost(): void {
    // A hidden view (display: none, a closed tab) has no size to fit to.
    if (this.host.clientWidth > 0 && this.host.clientHeight > 0) this.fit.fit()
  }

  private applyColours(): void {
    this.colours = terminalColours(this.host)
    this.terminal.options.theme = this.colours.theme
    this.update({ background: this.colours.theme.background ?? '' })
  }

  /** Changes the state; `batched` changes (counts while lines stream) are reported once a frame. */
  private update(change: Partial<LogViewState>, { batched = false } = {}): void {
    this.state = { ...this.state, ...change }
    if (batched) {
      this.stateChanged = true
      this.schedule()
    } else this.emit()
  }

  private emit(): void {
    this.stateChanged = false
    this.listeners.forEach((listener) => listener())
  }
}

/** Web links open outside the app, in the browser; only http(s) ones. */
function openLink(uri: string): void {
  if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer')
}
