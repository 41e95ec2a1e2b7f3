import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { UserError } from '../errors'
import { matchPatternList } from './host-pattern'

/**
 * What an OpenSSH known_hosts file says about a host's key: `known` (listed for this host),
 * `mismatch` (another key of the same type is listed: it changed, or someone is in the middle),
 * `revoked` (an `@revoked` line names it: never accept it) or `unknown` (nothing about it).
 */
export type KnownHostsStatus = 'known' | 'unknown' | 'mismatch' | 'revoked'

export interface KnownHosts {
  lookup(host: string, port: number, keyType: string, keyBlob: Buffer): KnownHostsStatus
}

interface Entry {
  revoked: boolean
  matches: (name: string) => boolean
  keyType: string
  keyBlob: Buffer
}

const defaultKnownHostsPath = (): string => join(homedir(), '.ssh', 'known_hosts')

/** Reads a known_hosts file; a missing file is an empty one, as for OpenSSH. */
export async function readKnownHosts(path: string = defaultKnownHostsPath()): Promise<KnownHosts> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseKnownHosts('')
    throw new UserError(
      'KNOWN_HOSTS_UNREADABLE',
      `${path} could not be read: ${(error as Error).message}`,
      `Make ${path} readable by you (it is OpenSSH's list of trusted host keys), or move it away.`,
    )
  }
  return parseKnownHosts(text)
}

export function parseKnownHosts(text: string): KnownHosts {
  const entries = text.split(/\r?\n/).flatMap((line) => {
    const entry = parseLine(line)
    return entry ? [entry] : []
  })
  return {
    lookup(host, port, keyType, keyBlob) {
      const name = hostPortName(host, port)
      const forHost = entries.filter((entry) => entry.matches(name))
      if (forHost.some((e) => e.revoked && e.keyBlob.equals(keyBlob))) return 'revoked'
      const trusted = forHost.filter((e) => !e.revoked)
      if (trusted.some((e) => e.keyBlob.equals(keyBlob))) return 'known'
      // Only a different key of the same type means it changed: a server offers several key types
      // and the client may negotiate one that known_hosts does not list yet (OpenSSH asks then too).
      if (trusted.some((e) => e.keyType === keyType)) return 'mismatch'
      return 'unknown'
    },
  }
}

/** The name known_hosts lists a host under: plain for port 22, `[host]:port` otherwise. */
export function hostPortName(host: string, port: number): string {
  const lower = host.toLowerCase()
  return port === 22 ? lower : `[${lower}]:${port}`
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function parseLine(line: string): Entry | null {
  const fields = line.trim().split(/[ \t]+/)
  if (fields[0] === '' || fields[0]?.startsWith('#')) return null
  let revoked = false
  if (fields[0]?.startsWith('@')) {
    // `@cert-authority` lines vouch for host certificates, which Helvetia does not use: skip them.
    if (fields[0] !== '@revoked') return null
    revoked = true
    fields.shift()
  }
  const [hosts, keyType, key] = fields
  if (!hosts || !keyType || !key || !BASE64.test(key)) return null
  return { revoked, matches: hostMatcher(hosts), keyType, keyBlob: Buffer.from(key, 'base64') }
}

function hostMatcher(hosts: string): (name: string) => boolean {
  // A hashed entry (`ssh-keygen -H`, HashKnownHosts) is `|1|salt|HMAC-SHA1(salt, name)`, one name.
  const hashed = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts)
  if (hashed) {
    const salt = Buffer.from(hashed[1] as string, 'base64')
    const hash = Buffer.from(hashed[2] as string, 'base64')
    return (name) => createHmac('sha1', salt).update(name).digest().equals(hash)
  }
  const patterns = hosts.split(',')
  return (name) => matchPatternList(name, patterns)
}
