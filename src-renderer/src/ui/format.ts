import type {
  AuthMethod,
  ProxyKind,
  ServerFacts,
  ServerProxy,
  ServerSummary,
} from '../../../src-main/api/contract'

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** 25165824000 → "23.4 GiB": binary units, three significant digits at most. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${Number(value.toFixed(digits))} ${UNITS[unit]}`
}

export const AUTH_LABELS: Record<AuthMethod, string> = {
  agent: 'SSH agent',
  'key-file': 'Private key file',
  'generated-key': 'Generated key',
  local: 'This computer',
}

export const PROXY_LABELS: Record<ProxyKind, string> = { traefik: 'Traefik', caddy: 'Caddy' }

/** A server's proxy in a few words: "Caddy · ports 80/443", or "Not provisioned". */
export const describeProxy = (proxy: ServerProxy | null): string =>
  proxy ? `${PROXY_LABELS[proxy.kind]} · ports ${proxy.httpPort}/${proxy.httpsPort}` : 'Not provisioned'

const PRIVILEGE_LABELS: Record<ServerFacts['privilege'], string> = {
  root: 'Root login',
  sudo: 'Passwordless sudo',
  none: 'None',
}

/** Where a server is, for people: `user@host:port`, or this computer. */
export const location = (server: ServerSummary): string =>
  server.auth === 'local' ? `${server.user} on this computer` : address(server)

/** `user@host:port`, with an IPv6 host in brackets; without `user@` when the user is not known. */
export const address = ({ user, host, port }: { user: string | null; host: string; port: number }): string =>
  `${user ? `${user}@` : ''}${host.includes(':') ? `[${host}]` : host}:${port}`

export const formatDate = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))

/** Names for the os-release IDs servers report most (`debian` → Debian); others show as reported. */
const OS_NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  centos: 'CentOS',
  rhel: 'Red Hat Enterprise Linux',
  rocky: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  alpine: 'Alpine Linux',
  arch: 'Arch Linux',
  amzn: 'Amazon Linux',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap',
  sles: 'SUSE Linux Enterprise',
  raspbian: 'Raspberry Pi OS',
}

const formatOs = (facts: Pick<ServerFacts, 'os' | 'osVersion'>): string =>
  [OS_NAMES[facts.os] ?? facts.os, facts.osVersion].filter(Boolean).join(' ')

/** The facts as label and value, in the order people read them. */
export function describeFacts(facts: ServerFacts): [label: string, value: string][] {
  return [
    ['Operating system', formatOs(facts)],
    ['Architecture', facts.arch],
    ['Root access', PRIVILEGE_LABELS[facts.privilege]],
    ['Docker', facts.dockerVersion ?? 'Not installed'],
    ['CPUs', String(facts.cpus)],
    ['Memory', formatBytes(facts.memoryBytes)],
    ['Disk free', formatBytes(facts.diskFreeBytes)],
  ]
}
