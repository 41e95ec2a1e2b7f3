import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { AppSummary, DatabaseSummary, ServerSummary } from '../../../src-main/api/contract'
import type { TerminalTarget } from '../../../src-main/api/terminals'
import { useApps } from '../apps/apps-store'
import { useDatabases } from '../databases/databases-store'
import { useServers } from '../servers/servers-store'
import { Button } from '../ui/button'
import { AppIcon, DatabaseIcon, MonitorIcon, PlusIcon, ServerIcon } from '../ui/icons'
import { useTerminals } from './terminals-store'

interface Item {
  label: string
  target: TerminalTarget
  Icon: () => React.JSX.Element
}

/** Where a shell can run, grouped: servers, app containers, databases' clients, this computer. */
function terminalGroups(
  servers: readonly ServerSummary[],
  apps: readonly AppSummary[],
  databases: readonly DatabaseSummary[],
): { title: string; items: Item[] }[] {
  return [
    {
      title: 'Servers',
      items: servers.map((s) => ({
        label: `Shell on ${s.name}`,
        target: { kind: 'server', server: s.name },
        Icon: ServerIcon,
      })),
    },
    {
      title: 'App containers',
      items: apps.map((a) => ({
        label: `Shell in ${a.name}`,
        target: { kind: 'container', app: a.name },
        Icon: AppIcon,
      })),
    },
    {
      title: 'Databases',
      items: databases.map((d) => ({
        label: `Client in ${d.name}`,
        target: { kind: 'database', name: d.name },
        Icon: DatabaseIcon,
      })),
    },
    {
      title: 'This computer',
      items: [{ label: 'Local shell', target: { kind: 'local' }, Icon: MonitorIcon }],
    },
  ].filter((group) => group.items.length > 0) as { title: string; items: Item[] }[]
}

/**
 * "New terminal": a menu of where a shell can run. Keyboard: Enter or ↓ opens it, ↑/↓/Home/End move,
 * Enter picks, Escape closes and returns to the button.
 */
export function NewTerminalMenu() {
  const servers = useServers((state) => state.servers) ?? []
  const apps = useApps((state) => state.apps) ?? []
  const databases = useDatabases((state) => state.databases) ?? []
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const id = useId()

  const groups = terminalGroups(servers, apps, databases)

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
  }, [open])

  const close = (refocus: boolean): void => {
    setOpen(false)
    if (refocus) button.current?.focus()
  }
  const pick = (target: TerminalTarget): void => {
    close(false)
    useTerminals.getState().open(target)
  }
  const onMenuKey = (event: KeyboardEvent): void => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    const move = (to: number): void => {
      event.preventDefault()
      items[(to + items.length) % items.length]?.focus()
    }
    if (event.key === 'ArrowDown') move(index + 1)
    else if (event.key === 'ArrowUp') move(index - 1)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(items.length - 1)
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault()
      close(event.key === 'Escape')
    }
  }

  return (
    <div
      className="terminal-menu-anchor"
      onBlur={(event) => {
        if (open && !event.currentTarget.contains(event.relatedTarget as Node | null)) close(false)
      }}
    >
      <Button
        ref={button}
        variant="primary"
        icon={<PlusIcon />}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault()
            setOpen(true)
          }
        }}
      >
        New terminal
      </Button>
      {open && (
        <div
          ref={menu}
          id={id}
          className="terminal-menu"
          role="menu"
          aria-label="New terminal"
          onKeyDown={onMenuKey}
        >
          {groups.map((group) => (
            <div key={group.title} role="group" aria-label={group.title}>
              <div className="terminal-menu-title" aria-hidden="true">
                {group.title}
              </div>
              {group.items.map((item) => (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="terminal-menu-item"
                  onClick={() => pick(item.target)}
                >
                  <item.Icon />
                  {item.label}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
