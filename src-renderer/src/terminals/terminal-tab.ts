/**
 * One terminal tab: its xterm, and the `terminals:open` stream behind it. It lives outside React so
 * that leaving the Terminals page keeps the shell running: the page moves the tab's element into its
 * panel when it mounts, and the output keeps arriving meanwhile.
 */
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import type { ApiClient, Subscription } from '../../../src-main/api/client'
import type { TerminalEvent, TerminalTarget } from '../../../src-main/api/terminals'
import { terminalColours } from '../logs/terminal-theme'
import { toFailure, type Failure } from '../ui/task'

export type TabState =
  | { phase: 'starting' }
  | { phase: 'open' }
  | { phase: 'exited'; code: number | null }
  | { phase: 'failed'; failure: Failure }

/** Output events the client may hold before acknowledging: each waits until xterm has parsed it. */
const CREDIT = 8

export class TerminalTab {
  /** The xterm's own element, moved into whichever panel shows the tab. */
  readonly element = document.createElement('div')
  readonly terminal: Terminal
  readonly #fit = new FitAddon()
  readonly #api: ApiClient
  readonly #target: TerminalTarget
  readonly #onState: (state: TabState) => void
  readonly #label: string
  #subscription: Subscription | null = null
  #id: string | null = null
  /** Keys typed before the shell was there: sent once it is. */
  #pending = ''
  #state: TabState = { phase: 'starting' }

  constructor(api: ApiClient, target: TerminalTarget, label: string, onState: (state: TabState) => void) {
    this.#api = api
    this.#target = target
    this.#onState = onState
    this.element.className = 'terminal-screen'
    this.terminal = new Terminal({
      scrollback: 5000,
      fontSize: 13,
      lineHeight: 1.2,
      cursorBlink: true,
      // Keeps ANSI colours readable (WCAG AA) on either theme's background.
      minimumContrastRatio: 4.5,
    })
    this.terminal.loadAddon(this.#fit)
    this.terminal.onData((data) => this.#input(data))
    this.terminal.onResize(({ rows, cols }) => {
      if (this.#id) void this.#api.call('terminals:resize', { id: this.#id, rows, cols }).catch(() => {})
    })
    // Tab switching belongs to the page, not the shell.
    this.terminal.attachCustomKeyEventHandler((event) => !isTabSwitch(event))
    this.#label = label
  }

  get state(): TabState {
    return this.#state
  }

  /** Shows the tab in `panel`; the first time, sizes the terminal to it and opens the shell. */
  attach(panel: HTMLElement): void {
    if (this.element.parentElement !== panel) panel.appendChild(this.element)
    if (!this.terminal.element) {
      const fontFamily = getComputedStyle(panel).getPropertyValue('--font-mono').trim()
      if (fontFamily) this.terminal.options.fontFamily = fontFamily
      this.terminal.open(this.element)
      this.terminal.textarea?.setAttribute('aria-label', `Terminal: ${this.#label}`)
      this.applyTheme()
    }
    this.fit()
    if (!this.#subscription) this.#start()
  }

  /** Sizes the terminal to its panel (a hidden panel has no size: it is fitted when shown). */
  fit(): void {
    if (this.element.clientWidth > 0 && this.element.clientHeight > 0) this.#fit.fit()
  }

  focus(): void {
    this.terminal.focus()
  }

  /** The colours of the theme in effect; a shell needs a cursor, unlike the log view. */
  applyTheme(): void {
    if (!this.element.isConnected) return
    const { theme } = terminalColours(this.element)
    this.terminal.options.theme = { ...theme, cursor: theme.foreground, cursorAccent: theme.background }
  }

  /** Closes the shell (cancelling the stream ends it in the core) and frees the terminal. */
  dispose(): void {
    this.#subscription?.cancel()
    this.terminal.dispose()
    this.element.remove()
  }

  #start(): void {
    const { rows, cols } = this.terminal
    const subscription = this.#api.subscribe(
      'terminals:open',
      { ...this.#target, rows, cols },
      (event) => this.#event(event),
      { credit: CREDIT },
    )
    this.#subscription = subscription
    subscription.done.catch((error: unknown) => {
      const failure = toFailure(error)
      this.terminal.write(`\r\n\x1b[31m${failure.message}\x1b[0m\r\n${failure.hint ?? ''}\r\n`)
      this.#setState({ phase: 'failed', failure })
    })
  }

  #event(event: TerminalEvent): void | Promise<void> {
    switch (event.type) {
      case 'opened':
        this.#id = event.id
        this.#setState({ phase: 'open' })
        // The panel may have changed size while the shell started.
        void this.#api.call('terminals:resize', { id: event.id, ...this.#size() }).catch(() => {})
        if (this.#pending) this.#input(this.#pending)
        this.#pending = ''
        return
      case 'data':
        // Acknowledged once xterm has taken it in: a flood waits in the core, not in this page.
        return new Promise((resolve) => this.terminal.write(event.data, resolve))
      case 'exit':
        this.#id = null
        this.terminal.write(
          `\r\n\x1b[2m[${event.code === null ? 'The connection closed' : `Exited with code ${event.code}`}]\x1b[0m\r\n`,
        )
        this.#setState({ phase: 'exited', code: event.code })
    }
  }

  #input(data: string): void {
    if (this.#state.phase === 'starting') this.#pending += data
    else if (this.#id) void this.#api.call('terminals:input', { id: this.#id, data }).catch(() => {})
  }

  #size(): { rows: number; cols: number } {
    return { rows: this.terminal.rows, cols: this.terminal.cols }
  }

  #setState(state: TabState): void {
    this.#state = state
    this.#onState(state)
  }
}

/** Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+PageUp and Ctrl+PageDown: the page switches tabs with them. */
export function isTabSwitch(event: KeyboardEvent | { key: string; ctrlKey: boolean }): boolean {
  return event.ctrlKey && (event.key === 'Tab' || event.key === 'PageUp' || event.key === 'PageDown')
}
