/**
 * A build or runtime log in an xterm view: a live tail that pauses when scrolled up, search, filters
 * by text and level, copy, clickable links, ANSI colours, the theme's colours.
 *
 * Contract for the views that show logs:
 *
 *   export function LogView(props: { feed: LogFeed; label: string; follow?: boolean }): JSX.Element
 *   export type LogFeed = (sink: {
 *     write(lines: string[]): void
 *     end(error?: { message: string; hint?: string }): void
 *   }) => () => void
 *
 * - `feed` starts when the view mounts and is unsubscribed when it unmounts. A feed of another
 *   identity starts a fresh view, so memoize it: `useMemo(() => runtimeLogFeed(api, name), [api, name])`.
 *   Ready-made feeds: `deploymentLogFeed(api, app, id)` (a deployment's log, its steps as coloured
 *   status lines) and `runtimeLogFeed(api, app, { tail })` (the live container's output, followed).
 * - `label` names the log for assistive technology ("Build log of web").
 * - `follow` (default true) starts at the live tail; false starts at the top (a finished log read from
 *   its start). Either way, scrolling to the bottom goes live.
 * - The view is clamp(18rem, 65vh, 48rem) tall; a container may set `.log-view { height: … }`.
 *
 * Keyboard: Ctrl/Cmd+F searches, Enter and Shift+Enter go to the next and previous match, Escape
 * closes the search. In the log: PageUp/PageDown, ↑/↓ and Home scroll, End jumps to live.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type RefObject,
} from 'react'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { AlertIcon, ArrowDownIcon, ArrowUpIcon, CloseIcon, CopyIcon, SearchIcon } from '../ui/icons'
import type { LogFeed } from './log-feed'
import type { LogLevel } from './log-lines'
import { LogPump, RING_LINES, SEARCH_LIMIT, type LogViewState } from './log-pump'
import '@xterm/xterm/css/xterm.css'
import './logs.css'

export { deploymentLogFeed, runtimeLogFeed, type LogFeed } from './log-feed'

export interface LogViewProps {
  feed: LogFeed
  label: string
  follow?: boolean
}

/** Test hook: the DOM node of a log's terminal carries its pump (`lines()` reads what it shows). */
export interface LogViewElement extends HTMLElement {
  helvetiaLog?: LogPump
}

type Ending = { error?: { message: string; hint?: string } } | null

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+'
const numbers = new Intl.NumberFormat('en')
const plural = (n: number, one: string, many: string): string =>
  `${numbers.format(n)} ${n === 1 ? one : many}`

const LEVELS: { value: LogLevel | ''; label: string }[] = [
  { value: '', label: 'All levels' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors' },
]

const STARTING: LogViewState = { mode: 'live', held: 0, skipped: 0, search: null, background: '' }
const noChanges = () => () => {}

export function LogView({ feed, label, follow = true }: LogViewProps) {
  const hostRef = useRef<HTMLDivElement & LogViewElement>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const [pump, setPump] = useState<LogPump | null>(null)
  const [ending, setEnding] = useState<Ending>(null)
  const [filterText, setFilterText] = useState('')
  const [level, setLevel] = useState<LogLevel | ''>('')
  const [searching, setSearching] = useState(false)
  const [term, setTerm] = useState('')
  const [notice, setNotice] = useState('')
  // Where the view starts and what its terminal is called are read once, when it starts.
  const start = useRef({ label, follow })
  const state = useSyncExternalStore(pump?.subscribe ?? noChanges, pump?.getState ?? (() => STARTING))
  const ids = useId()

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const pump = new LogPump(host, start.current)
    host.helvetiaLog = pump
    setPump(pump)
    setEnding(null)
    const stop = feed({ write: (lines) => pump.write(lines), end: (error) => setEnding({ error }) })
    return () => {
      stop()
      delete host.helvetiaLog
      pump.dispose()
      setPump(null)
    }
  }, [feed])

  useFilter(pump, filterText, level)
  useFading(notice, setNotice)

  // A new search field takes focus as it mounts (autoFocus); an open one is selected again.
  const openSearch = () => {
    setSearching(true)
    searchRef.current?.select()
  }
  const closeSearch = () => {
    setSearching(false)
    setTerm('')
    pump?.clearSearch()
    pump?.focus()
  }
  const search = (value: string) => {
    setTerm(value)
    if (!value) pump?.clearSearch()
    else pump?.find(value, 'next', { incremental: true })
  }
  const step = (direction: 'next' | 'previous') => term && pump?.find(term, direction)

  const copy = async () => {
    if (!pump) return
    const { text, what, lines } = pump.copyText()
    try {
      await navigator.clipboard.writeText(text)
      setNotice(what === 'selection' ? 'Copied the selection.' : `Copied ${plural(lines, 'line', 'lines')}.`)
    } catch (error) {
      setNotice(`Could not copy: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
      event.preventDefault()
      event.stopPropagation()
      openSearch()
    }
  }

  return (
    <section className="log-view" aria-label={label} onKeyDownCapture={onKeyDown}>
      <div className="log-toolbar">
        <LogFilters text={filterText} onText={setFilterText} level={level} onLevel={setLevel} />
        <div className="log-actions">
          <Button
            variant="ghost"
            icon={<SearchIcon />}
            aria-expanded={searching}
            aria-controls={`${ids}-search`}
            title={`Search the log (${MOD}F)`}
            onClick={searching ? closeSearch : openSearch}
          >
            Search
          </Button>
          <Button
            variant="ghost"
            icon={<CopyIcon />}
            title="Copy the selection, or else every line shown"
            onClick={() => void copy()}
          >
            Copy
          </Button>
          <LogStatus mode={state.mode} ending={ending} />
        </div>
      </div>

      {searching && (
        <LogSearchBar
          id={`${ids}-search`}
          inputRef={searchRef}
          term={term}
          found={state.search}
          onTerm={search}
          onStep={step}
          onClose={closeSearch}
        />
      )}

      {state.skipped > 0 && <SkippedNote skipped={state.skipped} />}

      <div className="log-screen" style={{ background: state.background || undefined }}>
        <div className="log-terminal" ref={hostRef} />
        {state.mode !== 'live' && <JumpToLive state={state} onJump={() => pump?.jumpToLive()} />}
      </div>

      <p className="log-notice muted" role="status">
        {notice}
      </p>
      {ending?.error && <ErrorNote failure={ending.error} />}
    </section>
  )
}

/** Which lines show: those containing a text, at a level or above. */
function LogFilters(props: {
  text: string
  onText(text: string): void
  level: LogLevel | ''
  onLevel(level: LogLevel | ''): void
}) {
  const { text, level, onText, onLevel } = props
  return (
    <>
      <label className="log-filter">
        <span className="visually-hidden">Filter lines</span>
        <input
          className="input"
          type="search"
          placeholder="Filter lines"
          value={text}
          onChange={(event) => onText(event.target.value)}
        />
      </label>
      <label className="log-level">
        <span className="visually-hidden">Level</span>
        <select
          className="input"
          value={level}
          onChange={(event) => onLevel(event.target.value as LogLevel | '')}
        >
          {LEVELS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </>
  )
}

/** The search bar under the toolbar: the term, its matches, previous, next and close. */
function LogSearchBar(props: {
  id: string
  inputRef: RefObject<HTMLInputElement | null>
  term: string
  found: LogViewState['search']
  onTerm(term: string): void
  onStep(direction: 'next' | 'previous'): void
  onClose(): void
}) {
  const { id, inputRef, term, found, onTerm, onStep, onClose } = props
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault()
      onStep(event.shiftKey ? 'previous' : 'next')
    } else if (event.key === 'Escape') {
      event.preventDefault()
      onClose()
    }
  }
  return (
    <div className="log-search" id={id} role="search">
      <label className="log-search-field">
        <span className="visually-hidden">Search the log</span>
        <input
          ref={inputRef}
          autoFocus
          className="input"
          type="text"
          placeholder="Search"
          value={term}
          onChange={(event) => onTerm(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={`${id}-matches`}
        />
      </label>
      <span id={`${id}-matches`} className="log-matches" aria-live="polite">
        {term && matches(found)}
      </span>
      <Button
        variant="ghost"
        className="log-icon-button"
        icon={<ArrowUpIcon />}
        title="Previous match (Shift+Enter)"
        aria-label="Previous match"
        onClick={() => onStep('previous')}
      />
      <Button
        variant="ghost"
        className="log-icon-button"
        icon={<ArrowDownIcon />}
        title="Next match (Enter)"
        aria-label="Next match"
        onClick={() => onStep('next')}
      />
      <Button
        variant="ghost"
        className="log-icon-button"
        icon={<CloseIcon />}
        title="Close the search (Escape)"
        aria-label="Close the search"
        onClick={onClose}
      />
    </div>
  )
}

/** Typing in the filter re-renders the log once the typing pauses, not at every key. */
function useFilter(pump: LogPump | null, text: string, level: LogLevel | ''): void {
  const filtered = useRef(false)
  useEffect(() => {
    if (!pump || (!filtered.current && !text && !level)) return
    filtered.current = true
    const timer = setTimeout(() => pump.setFilter({ text, minLevel: level || null }), 150)
    return () => clearTimeout(timer)
  }, [pump, text, level])
}

/** A notice goes again after a few seconds. */
function useFading(notice: string, setNotice: (notice: string) => void): void {
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(''), 4000)
    return () => clearTimeout(timer)
  }, [notice, setNotice])
}

function SkippedNote({ skipped }: { skipped: number }) {
  return (
    <p className="note note-warning log-note">
      <AlertIcon />
      <span>
        {plural(skipped, 'line', 'lines')} skipped to keep up, showing the newest. A filter still finds them
        among the last {numbers.format(RING_LINES)}.
      </span>
    </p>
  )
}

/** Shown while the view is not at the live tail: what arrived meanwhile, and the way back. */
function JumpToLive({ state, onJump }: { state: LogViewState; onJump(): void }) {
  return (
    <div className="log-jump">
      {state.mode === 'paused' && <span>Paused — {plural(state.held, 'new line', 'new lines')}</span>}
      <Button variant="primary" icon={<ArrowDownIcon />} title="Jump to live (End)" onClick={onJump}>
        Jump to live
      </Button>
    </div>
  )
}

function matches(search: LogViewState['search']): string {
  if (!search || search.count === 0) return 'No matches'
  const more = search.count >= SEARCH_LIMIT ? '+' : ''
  if (search.index === 0) return `${numbers.format(search.count)}${more} matches`
  return `${numbers.format(search.index)} of ${numbers.format(search.count)}${more}`
}

function LogStatus({ mode, ending }: { mode: LogViewState['mode']; ending: Ending }) {
  const [text, tone] = ending
    ? ending.error
      ? ['Failed', 'danger']
      : ['Ended', 'idle']
    : mode === 'live'
      ? ['Live', 'live']
      : mode === 'paused'
        ? ['Paused', 'paused']
        : ['From the start', 'idle']
  return (
    <span className={`log-status log-status-${tone}`}>
      <span className="log-status-dot" aria-hidden="true" />
      {text}
    </span>
  )
}
