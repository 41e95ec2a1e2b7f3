/**
 * The part of TOML that Dokploy's template.toml files use: tables and arrays of tables, keys (bare or
 * quoted, dotted), basic, literal and multi-line strings, integers, booleans, and arrays and inline
 * tables of these. Anything else is refused with its line number, never guessed.
 */
import { UserError } from '../errors'

type Value = string | number | boolean | Value[] | Table
export interface Table {
  [key: string]: Value
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }

class Reader {
  at = 0
  line = 1
  constructor(readonly text: string) {}

  invalid(what: string): UserError {
    return new UserError(
      'TEMPLATE_INVALID',
      `template.toml line ${this.line}: ${what}.`,
      'Fix the file (TOML).',
    )
  }
  peek(): string {
    return this.text[this.at] ?? ''
  }
  step(): string {
    const c = this.peek()
    this.at++
    if (c === '\n') this.line++
    return c
  }
  skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.peek()
      if (c === ' ' || c === '\t' || c === '\r' || (c === '\n' && newlines)) this.step()
      else if (c === '#') while (this.at < this.text.length && this.peek() !== '\n') this.step()
      else return
    }
  }
  expect(c: string): void {
    this.skipSpace(false)
    if (this.peek() !== c) throw this.invalid(`${c} expected`)
    this.step()
  }
  key(): string[] {
    const parts: string[] = []
    for (;;) {
      this.skipSpace(false)
      const c = this.peek()
      if (c === '"' || c === "'") parts.push(this.string())
      else {
        const bare = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.at))?.[0]
        if (!bare) throw this.invalid('a key expected')
        parts.push(bare)
        this.at += bare.length
      }
      this.skipSpace(false)
      if (this.peek() !== '.') return parts
      this.step()
    }
  }
  string(): string {
    const quote = this.peek()
    const multi = this.text.startsWith(quote.repeat(3), this.at)
    const end = multi ? quote.repeat(3) : quote
    this.at += end.length
    if (multi && this.peek() === '\n') this.step()
    let out = ''
    while (!this.text.startsWith(end, this.at)) {
      const c = this.peek()
      if (c === '' || (c === '\n' && !multi)) throw this.invalid('an unterminated string')
      if (c === '\\' && quote === '"') out += this.escape(multi)
      else out += this.step()
    }
    this.at += end.length
    return out
  }
  escape(multi: boolean): string {
    this.step()
    const e = this.step()
    if (ESCAPES[e] !== undefined) return ESCAPES[e]
    if (e === 'u') {
      const code = parseInt(this.text.slice(this.at, this.at + 4), 16)
      this.at += 4
      return String.fromCharCode(code)
    }
    if (e === '\n' && multi) {
      while (/\s/.test(this.peek())) this.step()
      return ''
    }
    throw this.invalid(`an unknown escape \\${e}`)
  }
  value(): Value {
    this.skipSpace(false)
    const c = this.peek()
    if (c === '"' || c === "'") return this.string()
    if (c === '[') return this.array()
    if (c === '{') return this.inlineTable()
    const word = /^[^\s,\]}#]+/.exec(this.text.slice(this.at))?.[0] ?? ''
    this.at += word.length
    if (word === 'true' || word === 'false') return word === 'true'
    if (/^[+-]?\d[\d_]*$/.test(word)) return Number(word.replaceAll('_', ''))
    throw this.invalid(`an unsupported value ${JSON.stringify(word)}`)
  }
  array(): Value[] {
    this.step()
    const items: Value[] = []
    for (;;) {
      this.skipSpace(true)
      if (this.peek() === ']') break
      items.push(this.value())
      this.skipSpace(true)
      if (this.peek() === ',') this.step()
      else if (this.peek() !== ']') throw this.invalid('a , or ] expected in an array')
    }
    this.step()
    return items
  }
  inlineTable(): Table {
    this.step()
    const table: Table = {}
    for (;;) {
      this.skipSpace(false)
      if (this.peek() === '}') break
      const path = this.key()
      this.expect('=')
      this.assign(table, path, this.value())
      this.skipSpace(false)
      if (this.peek() === ',') this.step()
    }
    this.step()
    return table
  }
  assign(into: Table, path: string[], value: Value): void {
    const last = path.at(-1) as string
    const parent = this.descend(into, path.slice(0, -1))
    if (last in parent) throw this.invalid(`${path.join('.')} is defined twice`)
    parent[last] = value
  }
  /** The table at `path` (made when missing; the last of an array of tables). */
  descend(from: Table, path: string[]): Table {
    let table = from
    for (const part of path) {
      table[part] ??= {}
      const next = table[part]
      const target = Array.isArray(next) ? next.at(-1) : next
      if (typeof target !== 'object' || target === null || Array.isArray(target))
        throw this.invalid(`${part} is not a table`)
      table = target
    }
    return table
  }
  /** `[a.b]` or `[[a.b]]`: the table the following keys go into. */
  header(root: Table): Table {
    const arrayOf = this.text.startsWith('[[', this.at)
    this.at += arrayOf ? 2 : 1
    const path = this.key()
    this.expect(']')
    if (!arrayOf) return this.descend(root, path)
    this.expect(']')
    const parent = this.descend(root, path.slice(0, -1))
    const last = path.at(-1) as string
    parent[last] ??= []
    const list = parent[last]
    if (!Array.isArray(list)) throw this.invalid(`${path.join('.')} is not an array of tables`)
    const table: Table = {}
    list.push(table)
    return table
  }
}

export function parseToml(text: string): Table {
  const reader = new Reader(text)
  const root: Table = {}
  let table = root
  for (;;) {
    reader.skipSpace(true)
    if (reader.at >= text.length) return root
    if (reader.peek() === '[') table = reader.header(root)
    else {
      const path = reader.key()
      reader.expect('=')
      reader.assign(table, path, reader.value())
    }
    reader.skipSpace(false)
    if (reader.at < text.length && reader.peek() !== '\n') throw reader.invalid('one key = value a line')
  }
}
