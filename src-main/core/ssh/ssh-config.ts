import { readdir, readFile } from 'node:fs/promises'
import { homedir, userInfo } from 'node:os'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type { SshConfigHost } from '../../api/contract'
import { isConcrete, matchPattern, matchPatternList } from './host-pattern'

export interface SshConfigOptions {
  /** Default ~/.ssh/config. */
  path?: string
  /** The local home folder, for `~` and `%d` (default: this user's). */
  home?: string
  /** The local user name, for `%u` and as the remote user when none is set (default: this user's). */
  localUser?: string
}

interface Block {
  /** The Host patterns; null for a Match block, which Helvetia cannot evaluate and so never applies. */
  patterns: string[] | null
  options: [keyword: string, args: string[]][]
}

/** OpenSSH's limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16

/**
 * The hosts named in ~/.ssh/config, to offer as servers: one entry per concrete alias of a `Host`
 * line (wildcard patterns are defaults, not hosts), with the settings OpenSSH would use for it, the
 * first value found winning. `Include` is followed (wildcards in the file name only); `Match` blocks
 * cannot be evaluated outside ssh and are left out. A missing file means no hosts.
 */
export async function readSshConfig(options: SshConfigOptions = {}): Promise<SshConfigHost[]> {
  const home = options.home ?? homedir()
  const localUser = options.localUser ?? localUserName()
  const blocks: Block[] = [{ patterns: ['*'], options: [] }]
  await readInto(blocks, options.path ?? join(home, '.ssh', 'config'), home, 0)

  const aliases = new Set(blocks.flatMap((block) => block.patterns?.filter(isConcrete) ?? []))
  return [...aliases].map((alias) => {
    const first = (keyword: string): string | null => {
      for (const block of blocks) {
        if (!block.patterns || !matchPatternList(alias, block.patterns)) continue
        const found = block.options.find(([k]) => k === keyword)
        if (found) return found[1][0] ?? null
      }
      return null
    }
    const host = expand(first('hostname') ?? alias, { h: alias })
    const user = first('user')
    const port = Number(first('port') ?? 22)
    const identityFile = first('identityfile')
    const proxyJump = first('proxyjump')
    return {
      alias,
      host,
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
      user,
      identityFile:
        identityFile &&
        expandHome(expand(identityFile, { d: home, u: localUser, h: host, r: user ?? localUser }), home),
      proxyJump: proxyJump && proxyJump.toLowerCase() !== 'none' ? proxyJump : null,
    }
  })
}

async function readInto(blocks: Block[], path: string, home: string, depth: number): Promise<void> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    // Like ssh for an Include that matches nothing: a missing or unreadable file adds nothing.
    return
  }
  for (const line of text.split(/\r?\n/)) {
    const parsed = parseLine(line)
    if (!parsed) continue
    const [keyword, args] = parsed
    if (keyword === 'host') blocks.push({ patterns: args, options: [] })
    else if (keyword === 'match') blocks.push({ patterns: null, options: [] })
    else if (keyword === 'include' && depth < MAX_INCLUDE_DEPTH) {
      const including = blocks.at(-1) as Block
      for (const pattern of args) {
        for (const file of await expandInclude(pattern, home)) await readInto(blocks, file, home, depth + 1)
      }
      // What follows the Include still belongs to the block it appeared in.
      if (blocks.at(-1) !== including) blocks.push({ patterns: including.patterns, options: [] })
    } else (blocks.at(-1) as Block).options.push([keyword, args])
  }
}

/** `keyword args…` or `keyword=args…`, with double- or single-quoted arguments; null for blanks and comments. */
function parseLine(line: string): [string, string[]] | null {
  const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s)(.*)$/.exec(line)
  if (!match || line.trim().startsWith('#')) return null
  const args = [...(match[2] as string).matchAll(/"([^"]*)"|'([^']*)'|([^\s"']+)/g)].map(
    (m) => m[1] ?? m[2] ?? (m[3] as string),
  )
  const comment = args.findIndex((arg) => arg.startsWith('#'))
  if (comment >= 0) args.length = comment
  return args.length > 0 ? [(match[1] as string).toLowerCase(), args] : null
}

async function expandInclude(pattern: string, home: string): Promise<string[]> {
  const path = expandHome(pattern, home)
  // Relative includes in the user's config are relative to ~/.ssh (ssh_config(5)).
  const absolute = isAbsolute(path) ? path : join(home, '.ssh', path)
  const name = basename(absolute)
  if (isConcrete(name)) return [absolute]
  const dir = dirname(absolute)
  const entries = await readdir(dir).catch(() => [] as string[])
  return entries
    .filter((entry) => matchPattern(entry, name))
    .sort()
    .map((entry) => join(dir, entry))
}

/** OpenSSH's `%` tokens, the few that make sense outside ssh; `%%` is a literal percent. */
function expand(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (whole, token: string) => (token === '%' ? '%' : (tokens[token] ?? whole)))
}

function localUserName(): string {
  try {
    return userInfo().username
  } catch {
    // A uid with no passwd entry (some containers): ssh would fail there too; guess from the environment.
    return process.env.USER ?? process.env.USERNAME ?? ''
  }
}

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path
}
