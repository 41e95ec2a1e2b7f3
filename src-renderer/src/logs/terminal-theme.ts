/**
 * xterm's colours from the design tokens (theme/tokens.css), resolved for the scheme in effect, and
 * a watch that reports when the scheme changes (the theme switch, or the OS when following it).
 */
import type { ITheme } from '@xterm/xterm'
import type { ISearchOptions } from '@xterm/addon-search'

export interface TerminalColours {
  theme: ITheme
  /** The addon wants opaque #RRGGBB colours for its highlights. */
  search: NonNullable<ISearchOptions['decorations']>
}

/**
 * Reads the tokens as they resolve inside `within` (the view) and flattens the translucent ones onto
 * the background the view draws on: xterm needs opaque colours to keep text at the contrast it is
 * asked for.
 */
export function terminalColours(within: HTMLElement): TerminalColours {
  const probe = within.appendChild(document.createElement('span'))
  try {
    return coloursFrom((name) => {
      probe.style.color = `var(${name})`
      return getComputedStyle(probe).color
    })
  } finally {
    probe.remove()
  }
}

function coloursFrom(token: (name: string) => string): TerminalColours {
  const background = flatten([token('--bg'), token('--surface'), token('--surface-sunken')])
  const over = (colour: string, alpha = 1): string => flatten([background, colour], alpha)
  const text = over(token('--text'))
  const faint = over(token('--text-faint'))
  const ansi = {
    black: faint,
    red: over(token('--danger')),
    green: over(token('--success')),
    yellow: over(token('--warning')),
    blue: over(token('--accent')),
    magenta: over(token('--ansi-magenta')),
    cyan: over(token('--ansi-cyan')),
    white: text,
  }
  const accent = ansi.blue
  return {
    theme: {
      background,
      foreground: text,
      // The view takes no input: no cursor to draw.
      cursor: background,
      cursorAccent: background,
      selectionBackground: over(token('--accent'), 0.32),
      selectionInactiveBackground: over(token('--accent'), 0.2),
      scrollbarSliderBackground: over(token('--border-strong')),
      scrollbarSliderHoverBackground: faint,
      scrollbarSliderActiveBackground: token('--text-muted'),
      overviewRulerBorder: background,
      ...ansi,
      brightBlack: faint,
      brightRed: ansi.red,
      brightGreen: ansi.green,
      brightYellow: ansi.yellow,
      brightBlue: ansi.blue,
      brightMagenta: ansi.magenta,
      brightCyan: ansi.cyan,
      brightWhite: text,
    },
    search: {
      matchBackground: over(token('--warning'), 0.3),
      matchOverviewRuler: ansi.yellow,
      activeMatchBackground: over(token('--accent'), 0.45),
      activeMatchBorder: accent,
      activeMatchColorOverviewRuler: accent,
    },
  }
}

let canvas: CanvasRenderingContext2D | null = null

/** Paints the colours over each other (the last at `alpha`) and returns the result as #RRGGBB. */
function flatten(layers: string[], alpha = 1): string {
  if (!canvas) {
    const element = document.createElement('canvas')
    element.width = element.height = 1
    canvas = element.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D
  }
  canvas.globalAlpha = 1
  canvas.fillStyle = '#000'
  canvas.fillRect(0, 0, 1, 1)
  layers.forEach((colour, i) => {
    if (!canvas) return
    canvas.globalAlpha = i === layers.length - 1 ? alpha : 1
    canvas.fillStyle = colour
    canvas.fillRect(0, 0, 1, 1)
  })
  const [r = 0, g = 0, b = 0] = canvas.getImageData(0, 0, 1, 1).data
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

/** Calls `onChange` when the colour scheme may have changed; returns the unsubscribe. */
export function watchColourScheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  const media = matchMedia('(prefers-color-scheme: dark)')
  media.addEventListener('change', onChange)
  return () => {
    observer.disconnect()
    media.removeEventListener('change', onChange)
  }
}
