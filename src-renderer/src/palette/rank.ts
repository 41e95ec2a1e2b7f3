import { GROUPS, type Command, type Group } from './commands'
import { fuzzyMatch } from './fuzzy'

export interface Result {
  command: Command
  /** Characters of the label to highlight. */
  indices: number[]
}

export interface ResultGroup {
  group: Group
  results: Result[]
}

/**
 * The commands that match the query, best first within each group, and the groups in the order of
 * their best match (the fixed order when the query is empty). A match only in the hidden keywords
 * counts half and highlights nothing.
 */
export function rank(commands: readonly Command[], query: string): ResultGroup[] {
  const scored: (Result & { score: number })[] = []
  for (const command of commands) {
    const onLabel = fuzzyMatch(query, command.label)
    if (onLabel) {
      scored.push({ command, indices: onLabel.indices, score: onLabel.score })
      continue
    }
    const onKeywords = command.keywords && fuzzyMatch(query, `${command.label} ${command.keywords}`)
    if (onKeywords) scored.push({ command, indices: [], score: onKeywords.score / 2 })
  }
  // Array.prototype.sort is stable: equal scores keep the order the commands were built in.
  scored.sort((a, b) => b.score - a.score)
  const groups = new Map<Group, Result[]>()
  for (const { command, indices } of scored) {
    const results = groups.get(command.group) ?? []
    results.push({ command, indices })
    groups.set(command.group, results)
  }
  const ordered = query.trim() ? [...groups.keys()] : GROUPS.filter((group) => groups.has(group))
  return ordered.map((group) => ({ group, results: groups.get(group) ?? [] }))
}
