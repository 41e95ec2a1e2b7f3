/**
 * #/terminals: shells in tabs. A tab is a shell on a server (a pty channel of its SSH connection),
 * in an app's container, or on this computer; closing the tab ends the shell.
 *
 * Keyboard: in the tab list ←/→/Home/End move between tabs (Delete closes one); anywhere on the
 * page, also inside a terminal, Ctrl+Tab / Ctrl+Shift+Tab (or Ctrl+PageDown / Ctrl+PageUp) switch.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react'
import { watchColourScheme } from '../logs/terminal-theme'
import { CloseIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { Panel } from '../ui/panel'
import { NewTerminalMenu } from './new-terminal-menu'
import type { TabState } from './terminal-tab'
import { isTabSwitch } from './terminal-tab'
import { terminalTab, useTerminals, type TabInfo } from './terminals-store'
import '@xterm/xterm/css/xterm.css'
import './terminals.css'

export function TerminalsPage() {
  const tabs = useTerminals((state) => state.tabs)
  const active = useTerminals((state) => state.active)
  const list = useRef<HTMLDivElement>(null)

  // Every tab follows the theme, shown or not.
  useEffect(() => watchColourScheme(() => tabs.forEach((tab) => terminalTab(tab.key)?.applyTheme())), [tabs])

  const focusTab = (key: string | null): void => {
    if (key) requestAnimationFrame(() => document.getElementById(tabId(key))?.focus())
  }
  const onPageKey = (event: KeyboardEvent): void => {
    if (!isTabSwitch(event.nativeEvent)) return
    event.preventDefault()
    const store = useTerminals.getState()
    store.cycle(event.key === 'PageUp' || (event.key === 'Tab' && event.shiftKey) ? -1 : 1)
    const key = useTerminals.getState().active
    if (key) requestAnimationFrame(() => terminalTab(key)?.focus())
  }
  const onListKey = (event: KeyboardEvent): void => {
    const store = useTerminals.getState()
    const index = tabs.findIndex((tab) => tab.key === active)
    const go = (to: number): void => {
      event.preventDefault()
      const tab = tabs[(to + tabs.length) % tabs.length]
      if (!tab) return
      store.select(tab.key)
      focusTab(tab.key)
    }
    if (event.key === 'ArrowRight') go(index + 1)
    else if (event.key === 'ArrowLeft') go(index - 1)
    else if (event.key === 'Home') go(0)
    else if (event.key === 'End') go(tabs.length - 1)
    else if (event.key === 'Delete' && active) {
      event.preventDefault()
      store.close(active)
      focusTab(useTerminals.getState().active)
    }
  }

  return (
    <div className="terminals-page" onKeyDown={onPageKey}>
      <PageHeader
        title="Terminals"
        description="Shells on your servers, inside your apps’ containers and on this computer."
        actions={<NewTerminalMenu />}
      />
      {tabs.length === 0 ? (
        <Panel>
          <p className="muted">
            No terminal is open. Pick <strong>New terminal</strong> for a shell on a server, inside an app’s
            container or on this computer. Closing a tab ends its shell.
          </p>
        </Panel>
      ) : (
        <section className="terminals" aria-label="Open terminals">
          <div
            ref={list}
            className="terminal-tabs"
            role="tablist"
            aria-label="Terminals"
            onKeyDown={onListKey}
          >
            {tabs.map((tab) => (
              <TabButton key={tab.key} tab={tab} selected={tab.key === active} />
            ))}
          </div>
          {tabs.map((tab) => (
            <TerminalPanel key={tab.key} tab={tab} shown={tab.key === active} />
          ))}
        </section>
      )}
    </div>
  )
}

const tabId = (key: string): string => `terminal-tab-${key}`
const panelId = (key: string): string => `terminal-panel-${key}`

function stateText(state: TabState): string {
  switch (state.phase) {
    case 'starting':
      return 'starting'
    case 'open':
      return ''
    case 'exited':
      return state.code === null ? 'disconnected' : `exited ${state.code}`
    case 'failed':
      return 'failed'
  }
}

function TabButton({ tab, selected }: { tab: TabInfo; selected: boolean }) {
  const status = stateText(tab.state)
  const ended = tab.state.phase === 'exited' || tab.state.phase === 'failed'
  return (
    <div className={`terminal-tab${selected ? ' terminal-tab-selected' : ''}`} role="presentation">
      <button
        type="button"
        role="tab"
        id={tabId(tab.key)}
        aria-selected={selected}
        aria-controls={panelId(tab.key)}
        tabIndex={selected ? 0 : -1}
        className="terminal-tab-button"
        onClick={() => useTerminals.getState().select(tab.key)}
      >
        <span className={`terminal-tab-dot terminal-tab-dot-${tab.state.phase}`} aria-hidden="true" />
        <span className="terminal-tab-label">{tab.label}</span>
        {status && (
          <span className={`terminal-tab-status${ended ? ' terminal-tab-ended' : ''}`}>{status}</span>
        )}
      </button>
      <button
        type="button"
        className="terminal-tab-close"
        aria-label={`Close ${tab.label}`}
        title="Close (ends the shell)"
        tabIndex={selected ? 0 : -1}
        onClick={() => useTerminals.getState().close(tab.key)}
      >
        <CloseIcon />
      </button>
    </div>
  )
}

function TerminalPanel({ tab, shown }: { tab: TabInfo; shown: boolean }) {
  const host = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const panel = host.current
    const session = terminalTab(tab.key)
    if (!panel || !session || !shown) return
    session.attach(panel)
    // Into the shell, after the move of focus to a new page's start (which runs after this effect);
    // not while the user walks the tab list with the arrow keys.
    const focusing = requestAnimationFrame(() => {
      if (!document.activeElement?.closest('[role="tablist"]')) session.focus()
    })
    const resizes = new ResizeObserver(() => session.fit())
    resizes.observe(panel)
    return () => {
      cancelAnimationFrame(focusing)
      resizes.disconnect()
    }
  }, [tab.key, shown])

  return (
    <div
      ref={host}
      id={panelId(tab.key)}
      className="terminal-panel"
      role="tabpanel"
      aria-labelledby={tabId(tab.key)}
      hidden={!shown}
    />
  )
}
