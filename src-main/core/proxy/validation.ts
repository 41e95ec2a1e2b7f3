import { isIP } from 'node:net'
import { invalidOption } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'

/**
 * The provisioning inputs are checked against the shared patterns (core/rules/patterns.ts), which the
 * server's scripts get too (remote-scripts/lib/rules.sh), so a script refuses what this refuses even
 * when called by something other than Helvetia.
 */
export { PATTERNS }

const IMAGE = whole(PATTERNS.image)
const PREFIX = whole(PATTERNS.prefix)
const IPV4 = whole(PATTERNS.ipv4)
// Deliberately narrower than RFC 5322: what a Let's Encrypt account needs, nothing a config file could misread.
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/

export function validateImage(value: unknown): string {
  if (typeof value !== 'string' || value.length > 255 || !IMAGE.test(value)) {
    throw invalidOption(
      'proxy image',
      value,
      'an image reference such as traefik:v3.3 or registry.example.com/caddy:2',
      'proxyImage',
    )
  }
  return value
}

export function validatePort(what: string, value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalidOption(what, value, 'a port number from 1 to 65535', field)
  }
  return value
}

export function validateEmail(value: unknown): string {
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value)) {
    throw invalidOption('email', value, 'an email address such as you@example.com', 'email')
  }
  return value
}

/** An IPv4 or IPv6 literal, without an IPv6 zone (`%eth0`), which Docker does not take. */
export function validateBindAddress(value: unknown): string {
  const ok = typeof value === 'string' && (IPV4.test(value) || (isIP(value) === 6 && !value.includes('%')))
  if (!ok) {
    throw invalidOption(
      'bind address',
      value,
      'an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::',
      'bind',
    )
  }
  return value as string
}

export function validatePrefix(value: unknown): string {
  if (typeof value !== 'string' || !PREFIX.test(value)) {
    throw invalidOption(
      'prefix',
      value,
      'lowercase letters, digits and dashes, starting with a letter',
      'prefix',
    )
  }
  return value
}
