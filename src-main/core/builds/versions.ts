import type { BaseImage } from './base-images'

/**
 * Version rules as sources write them, checked against the pinned images' versions: an exact or
 * partial version (`20`, `v20.11.1`, `3.12`), wildcards (`20.x`), npm/Composer ranges (`>=18 <21`,
 * `^8.2`, `~3.2.1`, `18 || 20`) and Python's (`>=3.10,<3.13`, `~=3.11`).
 */

type Version = [number, number, number]

function parse(text: string): { v: Version; parts: number } | null {
  const m = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(text.trim())
  if (!m) return null
  const nums = [m[1], m[2], m[3]].filter((p) => p !== undefined && /^\d+$/.test(p)).map(Number)
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length }
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

/** The version just above everything `parts` leading parts of `v` name: 20 → 21.0.0, 3.12 → 3.13.0. */
function above(v: Version, parts: number): Version {
  if (parts <= 1) return [v[0] + 1, 0, 0]
  if (parts === 2) return [v[0], v[1] + 1, 0]
  return [v[0], v[1], v[2] + 1]
}

function comparatorHolds(comparator: string, version: Version): boolean | null {
  const m = /^(>=|<=|>|<|==|=|\^|~=|~)?\s*(.+)$/.exec(comparator.trim())
  if (!m) return null
  const target = parse(m[2]!)
  if (!target) return null
  const { v, parts } = target
  const c = compare(version, v)
  switch (m[1]) {
    case '>=':
      return c >= 0
    case '>':
      return c > 0
    case '<=':
      return c <= 0
    case '<':
      return c < 0
    case '^': {
      const upper: Version = v[0] > 0 || parts === 1 ? [v[0] + 1, 0, 0] : [0, v[1] + 1, 0]
      return c >= 0 && compare(version, upper) < 0
    }
    case '~':
      return c >= 0 && compare(version, above(v, Math.min(parts, 2))) < 0
    case '~=':
      return c >= 0 && compare(version, above(v, Math.max(parts - 1, 1))) < 0
    default:
      // `20`, `=20.1`, `==3.12`: every version those parts name.
      return c >= 0 && compare(version, above(v, parts)) < 0
  }
}

/** Whether `version` (x.y.z) meets `rule`; null when the rule cannot be read. */
export function satisfies(rule: string, version: string): boolean | null {
  const v = parse(version)?.v
  if (!v) return null
  const alternatives = rule.split('||')
  let any = false
  for (const alternative of alternatives) {
    const spaced = alternative.trim().replace(/(>=|<=|>|<|==|=|\^|~=|~)\s+/g, '$1')
    // ` - ` ranges: `18 - 20`.
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(spaced)
    const comparators = hyphen
      ? [
          `>=${hyphen[1]}`,
          `<${above(parse(hyphen[2]!)?.v ?? [0, 0, 0], parse(hyphen[2]!)?.parts ?? 3).join('.')}`,
        ]
      : spaced.split(/[\s,]+/).filter(Boolean)
    if (comparators.length === 0 || comparators.includes('*') || comparators.includes('x')) return true
    let all = true
    for (const comparator of comparators) {
      const holds = comparatorHolds(comparator, v)
      if (holds === null) return null
      all &&= holds
    }
    any ||= all
  }
  return any
}

/**
 * The newest pinned image whose version meets `rule` (no rule: the newest), or why none does.
 * `from` names where the rule was read, for the evidence (`.nvmrc: 20`).
 */
export function pickImage<I extends BaseImage>(
  images: readonly I[],
  rule: { text: string; from: string } | null,
): { image: I; evidence: string } | { error: string } {
  if (!rule)
    return { image: images[0]!, evidence: `no version asked for: the newest pinned, ${images[0]!.image}` }
  const fits = images.find((i) => satisfies(rule.text, i.version) === true)
  if (fits) return { image: fits, evidence: `${rule.from}: ${rule.text} → ${fits.image}` }
  const readable = images.some((i) => satisfies(rule.text, i.version) !== null)
  return {
    error: readable
      ? `${rule.from} asks for ${rule.text}; Helvetia's pinned images are ${images.map((i) => i.version).join(', ')}`
      : `${rule.from}: cannot read the version ${JSON.stringify(rule.text)}`,
  }
}
