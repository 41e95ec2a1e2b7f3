import { UserError } from '../errors'
import { keyType } from './fingerprint'
import { ssh2 } from './ssh2-module'

export interface KeyPair {
  /** OpenSSH private key format, unencrypted: it goes straight into the OS keychain. */
  privateKey: string
  /** One authorized_keys line: `ssh-ed25519 AAAA… comment`. */
  publicKey: string
}

const COMMENT = /^[\x21-\x7e]([\x20-\x7e]{0,98}[\x21-\x7e])?$/
const PUBLIC_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) ([A-Za-z0-9+/]+={0,2})(?: [\x21-\x7e]([\x20-\x7e]{0,198}[\x21-\x7e])?)?$/

/** Draws before a generated key that does not parse is given out anyway (and refused where it is used). */
const GENERATE_ATTEMPTS = 10

/** A new ed25519 key pair for a server Helvetia logs into with a key of its own. */
export function generateKeyPair(comment: string): KeyPair {
  if (!COMMENT.test(comment)) {
    throw new TypeError(`A key comment is printable ASCII, 1 to 100 characters: ${JSON.stringify(comment)}`)
  }
  // ssh2 writes about one ed25519 key in two hundred that its own parser then calls malformed, and a
  // key is parsed again at every use (login, deploy key): such a key is drawn again.
  for (let attempt = 1; ; attempt++) {
    const pair = ssh2().utils.generateKeyPairSync('ed25519', { comment })
    if (!(ssh2().utils.parseKey(pair.private) instanceof Error) || attempt >= GENERATE_ATTEMPTS) {
      return { privateKey: pair.private, publicKey: pair.public.trim() }
    }
  }
}

/**
 * `publicKey` as one authorized_keys line and its key (base64), checked: one OpenSSH public key line
 * without options, whose key is of the type it names. Anything else is PUBLIC_KEY_INVALID.
 */
export function parsePublicKey(publicKey: string): { line: string; blob: string } {
  const line = publicKey.trim()
  const match = PUBLIC_KEY.exec(line)
  const blob = match?.[2] ?? ''
  if (!match || !blobNames(blob, match[1] as string)) {
    throw new UserError(
      'PUBLIC_KEY_INVALID',
      'That is not a single OpenSSH public key line.',
      'Give one line as in a .pub file: `ssh-ed25519 AAAA… comment`, without options.',
    )
  }
  return { line, blob }
}

function blobNames(base64: string, type: string): boolean {
  try {
    return keyType(Buffer.from(base64, 'base64')) === type
  } catch {
    return false
  }
}
