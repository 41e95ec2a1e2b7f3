import { UserError } from '../errors'
import { sh } from '../shell/quote'
import type { Target } from '../targets/target'
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

/** A new ed25519 key pair for a server Helvetia logs into with a key of its own. */
export function generateKeyPair(comment: string): KeyPair {
  if (!COMMENT.test(comment)) {
    throw new TypeError(`A key comment is printable ASCII, 1 to 100 characters: ${JSON.stringify(comment)}`)
  }
  const pair = ssh2().utils.generateKeyPairSync('ed25519', { comment })
  return { privateKey: pair.private, publicKey: pair.public.trim() }
}

/**
 * Appends `publicKey` to ~/.ssh/authorized_keys on `target` unless a line there already has the same
 * key, creating ~/.ssh (700) and the file (600) when missing and leaving existing ones as they are.
 * Resolves true when it added the key. Typically run over a one-time password login.
 */
export async function installPublicKey(target: Target, publicKey: string): Promise<boolean> {
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
  // POSIX sh that the user's login shell runs. A file not ending in a newline gets one first, so the
  // key never joins the last line. umask 077 makes what is created private, as sshd's StrictModes wants.
  const script = [
    'umask 077',
    'd="$HOME/.ssh" && f="$d/authorized_keys"',
    '{ [ -d "$d" ] || mkdir "$d"; } && { [ -f "$f" ] || : >"$f"; }',
    sh`if grep -qF -e ${blob} "$f"; then echo present; exit 0; fi`,
    'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >>"$f"; fi',
    sh`printf '%s\n' ${line} >>"$f" && echo added`,
  ].join('\n')
  const result = await target.exec(script)
  const outcome = result.stdout.trim()
  if (result.code !== 0 || (outcome !== 'added' && outcome !== 'present')) {
    throw new UserError(
      'KEY_INSTALL_FAILED',
      `The key could not be added to ~/.ssh/authorized_keys: ${result.stderr.trim() || `exit code ${result.code}`}`,
      'Check that the user’s home directory and ~/.ssh on the server belong to that user and are writable.',
    )
  }
  return outcome === 'added'
}

function blobNames(base64: string, type: string): boolean {
  try {
    return keyType(Buffer.from(base64, 'base64')) === type
  } catch {
    return false
  }
}
