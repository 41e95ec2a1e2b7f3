import { UserError } from '../errors'

/** The relay's address, checked and without a trailing slash (the form stored and used as a key). */
export function normalizeRelayUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    url = new URL('invalid:')
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new UserError(
      'INVALID_OPTION',
      `${JSON.stringify(text)} is not a relay address.`,
      'Give the address `helvetia relay serve` listens on, like http://127.0.0.1:8787 or https://relay.example.com.',
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
