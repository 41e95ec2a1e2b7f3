import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useApps } from '../apps/apps-store'
import { catalogCommands } from '../catalog/catalog-commands'
import { useCatalog } from '../catalog/catalog-store'
import { databasesCommands } from '../databases/database-commands'
import { useDatabases } from '../databases/databases-store'
import { useServers } from '../servers/servers-store'
import { useTheme } from '../theme/theme-store'
import { Button } from '../ui/button'
import { SearchIcon } from '../ui/icons'
import { buildCommands, type Command } from './commands'
import { highlightRuns } from './fuzzy'
import { usePalette, SHORTCUT_LABEL } from './palette-store'
import { rank, type Result, type ResultGroup } from './rank'
import './palette.css'

/**
 * The command palette: Cmd/Ctrl+K anywhere opens it (except inside a terminal, where Ctrl+K belongs to
 * the shell; the top bar's button still works there). Mount once, in the shell.
 */
export function CommandPalette() {
  const open = usePalette((state) => state.open)
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent): void => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey) return
      if (event.target instanceof Element && event.target.closest('.xterm')) return
      event.preventDefault()
      const palette = usePalette.getState()
      palette.setOpen(!palette.open)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return open ? <PaletteDialog onClose={() => usePalette.getState().setOpen(false)} /> : null
}

/** The top bar's way in, for the mouse and for anyone who does not know the shortcut. */
export function PaletteButton() {
  return (
    <button
      type="button"
      className="button button-secondary palette-button"
      aria-haspopup="dialog"
      aria-keyshortcuts="Control+K Meta+K"
      onClick={() => usePalette.getState().setOpen(true)}
    >
      <SearchIcon />
      <span className="palette-button-label">Search and run…</span>
      <kbd className="palette-kbd" aria-hidden="true">
        {SHORTCUT_LABEL}
      </kbd>
    </button>
  )
}

/** Every command for the data the stores hold now, ranked and grouped for `query`. */
function useRankedCommands(query: string): ResultGroup[] {
  const servers = useServers((state) => state.servers)
  const apps = useApps((state) => state.apps)
  const databases = useDatabases((state) => state.databases)
  const catalog = useCatalog((state) => state.list)
  const theme = useTheme((state) => state.preference)
  return useMemo(
    () =>
      rank(
        [
          ...buildCommands({ servers: servers ?? [], apps: apps ?? [], theme }),
          ...databasesCommands(databases ?? []),
          ...catalogCommands(catalog?.status === 'done' ? catalog.value : []),
        ],
        query,
      ),
    [servers, apps, databases, catalog, theme, query],
  )
}

/**
 * A modal <dialog> (focus stays inside, the page behind is inert) holding an ARIA combobox: the input
 * keeps focus and points at the active option with aria-activedescendant.
 */
function PaletteDialog({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const input = useRef<HTMLInputElement>(null)
  // Where focus goes back to on close, as a menu's button gets it back.
  const [opener] = useState(() => document.activeElement)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const [confirming, setConfirming] = useState<Command | null>(null)
  const listId = useId()
  const titleId = useId()

  const groups = useRankedCommands(query)
  const flat = groups.flatMap((group) => group.results)
  const current = Math.min(active, flat.length - 1)
  const optionId = (result: Result): string => `${listId}-${result.command.id}`
  const activeResult = flat[current]

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus()
    }
  }, [opener])

  useEffect(() => {
    if (activeResult) document.getElementById(optionId(activeResult))?.scrollIntoView({ block: 'nearest' })
  })

  const choose = (command: Command): void => {
    if (command.confirm) {
      setConfirming(command)
      return
    }
    onClose()
    command.run()
  }

  const back = (): void => {
    setConfirming(null)
    requestAnimationFrame(() => input.current?.focus())
  }

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    const next = flat.length > 0 ? moveTo(event.key, current, flat.length - 1) : null
    if (next !== null) {
      event.preventDefault()
      setActive(next)
    } else if (event.key === 'Enter' && activeResult) {
      event.preventDefault()
      choose(activeResult.command)
    }
  }

  // Escape steps back out of a confirmation, else closes; the dialog's own cancel is ours to decide.
  const onEscape = (event: { key?: string; preventDefault(): void }): void => {
    if (event.key !== undefined && event.key !== 'Escape') return
    event.preventDefault()
    if (confirming) back()
    else onClose()
  }

  return (
    <dialog
      ref={ref}
      className="palette"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onEscape}
      onCancel={onEscape}
      onClose={onClose}
      onMouseDown={(event) => event.target === ref.current && onClose()}
    >
      <h2 id={titleId} className="visually-hidden">
        Command palette
      </h2>
      {confirming?.confirm ? (
        <PaletteConfirm
          confirm={confirming.confirm}
          onBack={back}
          onRun={() => {
            onClose()
            confirming.run()
          }}
        />
      ) : (
        <>
          <div className="palette-search">
            <SearchIcon />
            <input
              ref={input}
              className="palette-input"
              role="combobox"
              aria-label="Search servers, apps and actions"
              aria-expanded={flat.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={activeResult ? optionId(activeResult) : undefined}
              placeholder="Search servers, apps and actions…"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={query}
              onChange={(event) => {
                setQuery(event.target.value)
                setActive(0)
              }}
              onKeyDown={onInputKey}
            />
          </div>
          <PaletteOptions
            groups={groups}
            listId={listId}
            current={current}
            optionId={optionId}
            onHover={setActive}
            onChoose={choose}
          />
          {flat.length === 0 && <p className="palette-empty">Nothing matches “{query}”.</p>}
          <p className="visually-hidden" role="status">
            {flat.length === 1 ? '1 result' : `${flat.length} results`}
          </p>
          <PaletteKeys />
        </>
      )}
    </dialog>
  )
}

/** A command's question before it runs, in place of the search: Cancel goes back to it. */
function PaletteConfirm(props: { confirm: NonNullable<Command['confirm']>; onBack(): void; onRun(): void }) {
  const { confirm } = props
  return (
    <div className="palette-confirm">
      <h3 className="dialog-title">{confirm.title}</h3>
      <p className="dialog-body">{confirm.body}</p>
      <div className="dialog-actions">
        <Button onClick={props.onBack} autoFocus>
          Cancel
        </Button>
        <Button variant="primary" onClick={props.onRun}>
          {confirm.action}
        </Button>
      </div>
    </div>
  )
}

/** The results, grouped, as the combobox's listbox; `current` is the active option. */
function PaletteOptions({
  groups,
  listId,
  current,
  optionId,
  onHover,
  onChoose,
}: {
  groups: ResultGroup[]
  listId: string
  current: number
  optionId(result: Result): string
  onHover(position: number): void
  onChoose(command: Command): void
}) {
  let index = -1
  return (
    <div
      id={listId}
      role="listbox"
      aria-label="Results"
      className="palette-list"
      hidden={groups.every((group) => group.results.length === 0)}
    >
      {groups.map(({ group, results }) => (
        <div key={group} role="group" aria-labelledby={`${listId}-${group}`} className="palette-group">
          <div id={`${listId}-${group}`} role="presentation" className="palette-group-label">
            {group}
          </div>
          {results.map((result) => {
            index++
            const position = index
            const { command } = result
            return (
              <div
                key={command.id}
                id={optionId(result)}
                role="option"
                aria-selected={position === current}
                className="palette-option"
                // The input keeps focus (and with it the keyboard) when an option is clicked.
                onMouseDown={(event) => event.preventDefault()}
                onMouseMove={() => position !== current && onHover(position)}
                onClick={() => onChoose(command)}
              >
                <command.Icon />
                <span className="palette-option-text">
                  <span className="palette-option-label">
                    {highlightRuns(command.label, result.indices).map((run, i) =>
                      run.hit ? <mark key={i}>{run.text}</mark> : run.text,
                    )}
                  </span>
                  {command.detail && <span className="palette-option-detail">{command.detail}</span>}
                </span>
              </div>
            )
          })}
        </div>
      ))}
    </div>
  )
}

/** The option a key moves to among 0..last (wrapping around), or null for another key. */
function moveTo(key: string, current: number, last: number): number | null {
  const moves: Record<string, number> = {
    ArrowDown: current >= last ? 0 : current + 1,
    ArrowUp: current <= 0 ? last : current - 1,
    Home: 0,
    End: last,
  }
  return moves[key] ?? null
}

/** The keys the palette answers to, for the eye (a screen reader has the combobox's own). */
function PaletteKeys() {
  return (
    <p className="palette-footer" aria-hidden="true">
      <span>
        <kbd>↑</kbd> <kbd>↓</kbd> move
      </span>
      <span>
        <kbd>Enter</kbd> run
      </span>
      <span>
        <kbd>Esc</kbd> close
      </span>
    </p>
  )
}
