/** How the catalogue reads to people: search, categories, versions, variables. Pure functions. */
import type { TemplateSummary, VariableGenerator } from '../../../src-main/api/contract'

/**
 * Orders two versions as semver does for what templates use: numeric parts compared as numbers
 * (1.10.0 after 1.9.2), a missing part as 0, and a pre-release (`2.0.0-rc.1`) before its release.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.trim().replace(/^v/, '').split('-', 2)
  const [coreB = '', preB] = b.trim().replace(/^v/, '').split('-', 2)
  const partsA = coreA.split('.').map(Number)
  const partsB = coreB.split('.').map(Number)
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0)
    if (diff !== 0 && !Number.isNaN(diff)) return Math.sign(diff)
  }
  if (preA === preB) return 0
  if (preA === undefined) return 1
  if (preB === undefined) return -1
  return preA.localeCompare(preB, undefined, { numeric: true })
}

/** The newer version an installed app can go to, or null when it runs the newest (or one unknown here). */
export function updateTo(installed: string, newest: string | undefined): string | null {
  return newest !== undefined && compareVersions(newest, installed) > 0 ? newest : null
}

/** The categories the templates fall in, alphabetically, with how many each. */
export function categoriesOf(templates: readonly TemplateSummary[]): { name: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const template of templates) counts.set(template.category, (counts.get(template.category) ?? 0) + 1)
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * The templates that match every word of `query` (in their name, id, description or category, any
 * case) and `category` (null: all), by name.
 */
export function filterTemplates(
  templates: readonly TemplateSummary[],
  query: string,
  category: string | null,
): TemplateSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return templates
    .filter((template) => category === null || template.category === category)
    .filter((template) => {
      const text = [template.name, template.id, template.description, template.category]
        .join(' ')
        .toLowerCase()
      return words.every((word) => text.includes(word))
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Where a variable's value comes from when the form leaves it empty, in a few words. */
export function describeGenerator(generator: VariableGenerator | null): string {
  if (generator === null) return 'You give it'
  switch (generator.kind) {
    case 'password':
      return `Generated: a password of ${generator.length} characters`
    case 'secret':
      return `Generated: ${generator.bytes} random bytes (${generator.encoding})`
    case 'domain':
      return 'The app’s domain (its sslip.io name unless you give one)'
    case 'value':
      return `Default: ${generator.value}`
    case 'database-url':
      return `The connection URL of its ${generator.database} database`
  }
}

/** A template's name as an app name: lowercase, dashes for anything else, at most 40 characters. */
export function suggestedAppName(id: string): string {
  const name = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return name || 'app'
}

/** A unified diff's lines, each with its kind, for colouring: `+` added, `-` removed, `@@` a hunk. */
export function diffLines(diff: string): { kind: 'add' | 'remove' | 'hunk' | 'context'; text: string }[] {
  return diff
    .split('\n')
    .filter((line, index, all) => line !== '' || index < all.length - 1)
    .map((text) => {
      if (text.startsWith('+++') || text.startsWith('---')) return { kind: 'hunk' as const, text }
      if (text.startsWith('+')) return { kind: 'add' as const, text }
      if (text.startsWith('-')) return { kind: 'remove' as const, text }
      if (text.startsWith('@@')) return { kind: 'hunk' as const, text }
      return { kind: 'context' as const, text }
    })
}
