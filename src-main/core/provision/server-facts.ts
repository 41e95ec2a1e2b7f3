import type { ServerFacts } from '../../api/contract'
import { UserError } from '../errors'

/** ServerFacts from the `fact` lines of remote-scripts/lib/system.sh (emit_facts). */
export function toServerFacts(facts: Record<string, string>): ServerFacts {
  const text = (key: string): string => {
    const value = facts[key]
    if (value === undefined) throw unreadable(`it did not report "${key}"`)
    return value
  }
  const count = (key: string): number => {
    const value = text(key)
    if (!/^[0-9]+$/.test(value)) throw unreadable(`${key} is ${JSON.stringify(value)}`)
    return Number(value)
  }
  const privilege = text('privilege')
  if (privilege !== 'root' && privilege !== 'sudo' && privilege !== 'none') {
    throw unreadable(`privilege is ${JSON.stringify(privilege)}`)
  }
  return {
    os: text('os'),
    osVersion: text('os-version'),
    arch: text('arch'),
    privilege,
    dockerVersion: text('docker-version') || null,
    cpus: count('cpus'),
    memoryBytes: count('memory-bytes'),
    diskFreeBytes: count('disk-free-bytes'),
  }
}

function unreadable(why: string): UserError {
  return new UserError(
    'FACTS_UNREADABLE',
    `The server's facts could not be read: ${why}.`,
    'Helvetia supports Linux servers with /proc, /etc/os-release and a POSIX shell.',
  )
}
