/**
 * A unified diff of two small texts (rendered compose files of a few hundred lines at most): the
 * longest common subsequence of their lines, printed as hunks with `context` lines around changes.
 */
export function unifiedDiff(before: string, after: string, names: [string, string], context = 3): string {
  const a = before.split('\n')
  const b = after.split('\n')
  // lengths[i][j]: the LCS of a[i:] and b[j:].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lengths[i] as number[]
      row[j] =
        a[i] === b[j]
          ? (lengths[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lengths[i + 1]?.[j] ?? 0, row[j + 1] ?? 0)
    }
  }
  const ops: { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = []
  let [i, j] = [0, 0]
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j])
      ops.push({ kind: ' ', line: a[i++] as string, ai: i, bi: ++j })
    else if (i < a.length && (j >= b.length || (lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0)))
      ops.push({ kind: '-', line: a[i++] as string, ai: i, bi: j })
    else ops.push({ kind: '+', line: b[j++] as string, ai: i, bi: j })
  }
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0)
  if (changed.length === 0) return ''
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`]
  let k = 0
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] as number) - context)
    let end = (changed[k] as number) + context
    while (k + 1 < changed.length && (changed[k + 1] as number) - context <= end + 1)
      end = (changed[++k] as number) + context
    k++
    const hunk = ops.slice(start, Math.min(ops.length, end + 1))
    const first = hunk[0] as (typeof ops)[number]
    const aStart = first.kind === '+' ? first.ai : first.ai - 1
    const bStart = first.kind === '-' ? first.bi : first.bi - 1
    const aCount = hunk.filter((op) => op.kind !== '+').length
    const bCount = hunk.filter((op) => op.kind !== '-').length
    out.push(
      `@@ -${aStart + 1},${aCount} +${bStart + 1},${bCount} @@`,
      ...hunk.map((op) => `${op.kind}${op.line}`),
    )
  }
  return `${out.join('\n')}\n`
}
