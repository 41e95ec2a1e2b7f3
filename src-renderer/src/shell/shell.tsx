import { useEffect, useRef, useState, type ReactNode } from 'react'
import { CommandPalette, PaletteButton } from '../palette/command-palette'
import { useSession } from '../session-store'
import { ThemeSwitch } from '../theme/theme-switch'
import { CloseIcon, MenuIcon } from '../ui/icons'
import { Brand } from './brand'
import { Breadcrumbs } from './breadcrumbs'
import type { Route } from './router'
import { Sidebar } from './sidebar'

const MENU_ID = 'main-menu'

/** The frame around every page: navigation, breadcrumbs, theme switch. */
export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  // The menu belongs to the page it was opened on: any navigation closes it.
  const [menuRoute, setMenuRoute] = useState<Route | null>(null)
  const menuOpen = menuRoute === route
  const setMenuOpen = (open: boolean): void => setMenuRoute(open ? route : null)
  const main = useRef<HTMLElement>(null)
  const menuButton = useRef<HTMLButtonElement>(null)
  const shownRoute = useRef(route)
  const insecure = useSession((state) => state.info?.insecure === true)

  // A new page: start it at the top and move focus there, as a page load would.
  useEffect(() => {
    if (shownRoute.current === route) return
    shownRoute.current = route
    window.scrollTo(0, 0)
    main.current?.focus({ preventScroll: true })
  }, [route])

  useEffect(() => {
    if (!menuOpen) return
    document.querySelector<HTMLElement>(`#${MENU_ID} a`)?.focus()
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return
      setMenuRoute(null)
      menuButton.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [menuOpen])

  return (
    <div className="shell" data-menu-open={menuOpen || undefined}>
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <Sidebar route={route} id={MENU_ID} onNavigate={() => setMenuOpen(false)} />
      {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} />}
      <div className="workspace">
        <header className="topbar">
          <div className="topbar-brand">
            <Brand />
          </div>
          <Breadcrumbs route={route} />
          <div className="topbar-tools">
            <PaletteButton />
            <ThemeSwitch />
            <button
              ref={menuButton}
              type="button"
              className="button button-ghost menu-button"
              aria-expanded={menuOpen}
              aria-controls={MENU_ID}
              onClick={() => setMenuOpen(!menuOpen)}
            >
              {menuOpen ? <CloseIcon /> : <MenuIcon />}
              <span className="visually-hidden">Menu</span>
            </button>
          </div>
        </header>
        {insecure && (
          <p className="note note-warning insecure-note" role="status">
            Served without TLS (<code>helvetia ui --insecure</code>): anyone on this network can read this
            page’s traffic, its access token included.
          </p>
        )}
        <main ref={main} className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <CommandPalette />
    </div>
  )
}
