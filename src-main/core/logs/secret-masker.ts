import { StringDecoder } from 'node:string_decoder'
import { BASE64_ALIGNMENTS, DEFAULT_MASK, MIN_LINE_LENGTH, MIN_SECRET_LENGTH } from '../rules/secret-forms'

/**
 * Masks secret values in build and runtime logs before they are stored or shown. Each secret is
 * looked for as itself, line by line, base64-encoded at any byte alignment and URL-encoded. A stream
 * may split any of these across chunks, so `push` holds back only the shortest tail that could still
 * grow into a match and returns everything before it at once. The mask and the forms' limits are
 * rules the server's filter shares (core/rules/secret-forms.ts).
 */

export { DEFAULT_MASK, MIN_LINE_LENGTH, MIN_SECRET_LENGTH }

export interface SecretMaskerOptions {
  /** Text shown in place of a secret; default {@link DEFAULT_MASK}. */
  readonly mask?: string
}

export interface SecretMasker {
  /** Takes the next chunk (bytes may end mid-character) and returns the masked text safe to show now. */
  push(chunk: string | Uint8Array): string
  /** Ends the stream: returns the held-back tail, masked. The masker is then ready for a new stream. */
  flush(): string
  /** Masks a complete text in one go, independent of the stream state. */
  maskAll(text: string): string
}

export function createSecretMasker(
  secrets: readonly string[],
  options: SecretMaskerOptions = {},
): SecretMasker {
  const automaton = compile(secretPatterns(secrets))
  const mask = options.mask ?? DEFAULT_MASK
  const stream = maskStream(automaton, mask)
  return {
    push: stream.push,
    flush: stream.flush,
    maskAll(text) {
      const once = maskStream(automaton, mask)
      return once.push(text) + once.flush()
    },
  }
}

/** Every string that reveals a secret: the forms a log may print it in. */
export function secretPatterns(secrets: readonly string[]): string[] {
  const patterns = new Set<string>()
  for (const secret of secrets) {
    if (secret.trim().length < MIN_SECRET_LENGTH) continue
    // A value read from a file often carries a trailing newline the log will not show.
    for (const value of new Set([secret, secret.trim()])) {
      patterns.add(value)
      for (const form of base64Forms(value)) patterns.add(form)
      for (const form of urlForms(value)) patterns.add(form)
    }
    // A PEM key or a JSON credential is printed line by line, often with \r\n from a pty.
    for (const line of secret.split(/\r\n|\r|\n/)) {
      const trimmed = line.trim()
      if (trimmed.length >= MIN_LINE_LENGTH) patterns.add(trimmed)
    }
  }
  return [...patterns]
}

/**
 * The part of the base64 (and base64url) encoding that is the same wherever the value sits in a larger
 * encoded blob: for each of the three byte alignments, the characters that carry only the value's own
 * bits. The one or two characters at each end that mix in neighbouring bytes reveal at most a few bits.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const forms: string[] = []
  for (const offset of BASE64_ALIGNMENTS) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    const stable = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6))
    forms.push(stable, stable.replaceAll('+', '-').replaceAll('/', '_'))
  }
  return forms
}

/** encodeURIComponent, its form variant with `+` for space, and URLSearchParams' stricter form encoding. */
function urlForms(value: string): string[] {
  // The UTF-8 round trip replaces lone surrogates, on which encodeURIComponent would throw.
  const component = encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'))
  return [component, component.replaceAll('%20', '+'), new URLSearchParams([['', value]]).toString().slice(1)]
}

/**
 * An Aho–Corasick automaton over UTF-16 code units. Characters that occur in no pattern share class 0,
 * which always leads back to the root. Goto is stored compactly: the root and branching nodes have a
 * dense row indexed by class; the many nodes along a single pattern's tail store their one child.
 */
interface Automaton {
  /** Code unit → class; 0 for characters in no pattern. */
  readonly classOf: Uint16Array
  /** The node reached from `state` on a character of class `cls` (≥ 1), following failure links. */
  readonly next: (state: number, cls: number) => number
  /** Length of the longest pattern ending at this node, or 0. */
  readonly matchLength: Int32Array
  /** Length of the longest tail of the text so far that is the start of a pattern: what to hold back. */
  readonly depth: Int32Array
}

function compile(patterns: readonly string[]): Automaton {
  const classOf = new Uint16Array(0x10000)
  let classes = 1
  for (const pattern of patterns) {
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i)
      if (classOf[code] === 0) classOf[code] = classes++
    }
  }

  // The trie, with Maps only while building.
  const children: Map<number, number>[] = [new Map()]
  const depths = [0]
  const terminal = [false]
  for (const pattern of patterns) {
    let node = 0
    for (let i = 0; i < pattern.length; i++) {
      const cls = classOf[pattern.charCodeAt(i)]!
      let child = children[node]!.get(cls)
      if (child === undefined) {
        child = children.length
        children[node]!.set(cls, child)
        children.push(new Map())
        depths.push(depths[node]! + 1)
        terminal.push(false)
      }
      node = child
    }
    terminal[node] = true
  }

  const nodes = children.length
  const rowOf = new Int32Array(nodes).fill(-1)
  const onlyClass = new Int32Array(nodes)
  const onlyChild = new Int32Array(nodes)
  let rowCount = 0
  for (let node = 0; node < nodes; node++) {
    const kids = children[node]!
    if (node === 0 || kids.size > 1) rowOf[node] = rowCount++
    else {
      for (const [cls, child] of kids) {
        onlyClass[node] = cls
        onlyChild[node] = child
      }
    }
  }
  // 0 marks "no child": no edge leads back to the root.
  const rows = new Int32Array(rowCount * classes)
  for (let node = 0; node < nodes; node++) {
    const row = rowOf[node]!
    if (row >= 0) for (const [cls, child] of children[node]!) rows[row * classes + cls] = child
  }

  const fail = new Int32Array(nodes)
  const next = (start: number, cls: number): number => {
    for (let state = start; ; state = fail[state]!) {
      const row = rowOf[state]!
      if (row >= 0) {
        const child = rows[row * classes + cls]!
        if (child !== 0 || state === 0) return child
      } else if (onlyClass[state] === cls) {
        return onlyChild[state]!
      }
    }
  }

  // Breadth-first, so a node's failure target is complete before the node.
  const matchLength = new Int32Array(nodes)
  const queue = [0]
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!
    matchLength[node] = terminal[node] ? depths[node]! : matchLength[fail[node]!]!
    for (const [cls, child] of children[node]!) {
      fail[child] = node === 0 ? 0 : next(fail[node]!, cls)
      queue.push(child)
    }
  }
  return { classOf, next, matchLength, depth: Int32Array.from(depths) }
}

function maskStream({ classOf, next, matchLength, depth }: Automaton, mask: string) {
  const decoder = new StringDecoder('utf8')
  let state = 0
  // Text scanned but not yet returned; the positions in `spans` are relative to its start.
  let held = ''
  // Merged [start, end) pairs of secret text still to be masked. A start below 0 continues a mask
  // already returned, which is only possible while `inMask`.
  let spans: number[] = []
  // The last thing returned was a mask, so a span touching position 0 extends it rather than adding one.
  let inMask = false

  const addSpan = (start: number, end: number) => {
    // Spans arrive in order of end; a longer match may swallow several earlier ones.
    let n = spans.length
    while (n > 0 && spans[n - 1]! >= start) {
      n -= 2
      start = Math.min(start, spans[n]!)
    }
    spans[n] = start
    spans[n + 1] = end
    if (spans.length > n + 2) spans.length = n + 2
  }

  const scan = (text: string, from: number) => {
    for (let i = from; i < text.length; i++) {
      const cls = classOf[text.charCodeAt(i)]!
      state = cls === 0 ? 0 : next(state, cls)
      const length = matchLength[state]!
      if (length !== 0) addSpan(i + 1 - length, i + 1)
    }
  }

  /** Returns `text` up to `safe`, masked, and keeps the rest. A span starting by `safe` is certain. */
  const release = (text: string, safe: number): string => {
    let out = ''
    let pos = 0
    let k = 0
    for (; k < spans.length && spans[k]! <= safe; k += 2) {
      const start = spans[k]!
      if (start > pos || !inMask) out += text.slice(pos, Math.max(pos, start)) + mask
      pos = Math.max(pos, spans[k + 1]!)
      inMask = true
    }
    if (pos < safe) {
      out += text.slice(pos, safe)
      pos = safe
      inMask = false
    }
    spans = spans.slice(k).map((at) => at - pos)
    held = text.slice(pos)
    return out
  }

  return {
    push(chunk: string | Uint8Array): string {
      // A string after bytes first completes (or gives up on) a pending partial character.
      const text = held + (typeof chunk === 'string' ? decoder.end() + chunk : decoder.write(chunk))
      scan(text, held.length)
      // Only the tail that is the start of a pattern waits. A complete match at the end begins exactly at
      // the cut and is released as certain, so at most (longest pattern − 1) characters stay behind.
      return release(text, text.length - depth[state]!)
    },
    flush(): string {
      const text = held + decoder.end()
      scan(text, held.length)
      const out = release(text, text.length)
      state = 0
      inMask = false
      return out
    },
  }
}
