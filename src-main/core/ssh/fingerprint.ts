import { createHash } from 'node:crypto'
import { UserError } from '../errors'

/** OpenSSH's fingerprint of a raw public key blob: `SHA256:` and the unpadded base64 of its SHA-256. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The key type a blob names in its first field (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …). */
export function keyType(keyBlob: Buffer): string {
  // The wire format starts with a uint32 length and that many bytes of type name (RFC 4253 §6.6).
  if (keyBlob.length < 4) throw new TypeError('A public key blob is at least 4 bytes long')
  const length = keyBlob.readUInt32BE(0)
  if (length === 0 || 4 + length > keyBlob.length) throw new TypeError('Malformed public key blob')
  return keyBlob.subarray(4, 4 + length).toString('latin1')
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/

/**
 * A fingerprint as typed or pasted by the user, in the one form Helvetia compares and stores. Padding
 * (`=`) and surrounding blanks are forgiven, since some tools print them; anything else is refused.
 */
export function parseFingerprint(text: string): string {
  const normalized = text.trim().replace(/=+$/, '')
  if (!FINGERPRINT.test(normalized)) {
    throw new UserError(
      'FINGERPRINT_INVALID',
      `"${text}" is not an SSH host key fingerprint.`,
      'Give it in OpenSSH form, `SHA256:` and 43 base64 characters, as `ssh-keygen -lf` prints it.',
      { field: 'fingerprint' },
    )
  }
  return normalized
}
