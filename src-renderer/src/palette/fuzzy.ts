/**
 * Fuzzy matching for the command palette. Each word of the query must be found in the text, in any
 * order: as a word's start (best), inside a word, or as scattered letters (worst). The score ranks
 * results; the indices say which characters to highlight.
 */
export interface Match {
  score: number
  /** Positions in the text of the matched characters, ascending. */
  indices: number[]
}

const isWordStart = (text: string, i: number): boolean => i === 0 || /[\s:/._-]/.test(text[i - 1] ?? '')

/** One query word in the lowercased text, or null. */
function matchWord(text: string, word: string): Match | null {
  const range = (start: number): number[] => Array.from({ length: word.length }, (_, k) => start + k)
  let inside = -1
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (isWordStart(text, at)) return { score: 10 + 3 * word.length + (at === 0 ? 5 : 0), indices: range(at) }
    if (inside < 0) inside = at
  }
  if (inside >= 0) return { score: 2 * word.length, indices: range(inside) }
  // Scattered letters: each at the earliest place after the previous one, a word's start earning more.
  const indices: number[] = []
  let score = 0
  let from = 0
  for (const char of word) {
    const at = text.indexOf(char, from)
    if (at < 0) return null
    const previous = indices.at(-1)
    score += isWordStart(text, at) ? 2 : previous === at - 1 ? 1 : 0
    indices.push(at)
    from = at + 1
  }
  const first = indices[0] ?? 0
  const spread = (indices.at(-1) ?? first) - first + 1 - word.length
  return { score: score - spread * 0.1, indices }
}

/** Matches `query` against `text`; null when some word of it is not there. An empty query matches all. */
export function fuzzyMatch(query: string, text: string): Match | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const lower = text.toLowerCase()
  const indices = new Set<number>()
  let score = 0
  for (const word of words) {
    const match = matchWord(lower, word)
    if (!match) return null
    score += match.score
    for (const i of match.indices) indices.add(i)
  }
  return { score, indices: [...indices].sort((a, b) => a - b) }
}

/** The text cut into runs, each marked when its characters matched: what the highlight draws. */
export function highlightRuns(text: string, indices: readonly number[]): { text: string; hit: boolean }[] {
  const hits = new Set(indices)
  const runs: { text: string; hit: boolean }[] = []
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i)
    const last = runs.at(-1)
    if (last && last.hit === hit) last.text += text[i]
    else runs.push({ text: text[i] ?? '', hit })
  }
  return runs
}
