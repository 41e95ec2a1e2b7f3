import type { ParsedKey } from 'ssh2'
import type { DeployKeyInfo } from '../../api/apps'
import { UserError } from '../errors'
import { fingerprint } from '../ssh/fingerprint'
import { generateKeyPair, type KeyPair } from '../ssh/key-pair'
import { ssh2 } from '../ssh/ssh2-module'

/** The deploy key as the app's source keeps it. */
export type StoredDeployKey = { publicKey: string; githubKeyId?: number }

/** A private key file's content, or a new ed25519 key. */
export type DeployKeyInput = { privateKey: string } | { generate: true }

/** Forms OpenSSH reads, which is what runs the fetch on the server. */
const OPENSSH_READABLE = /^-----BEGIN (OPENSSH|RSA|EC) PRIVATE KEY-----/

/** The key pair of `input`: a new one, or the given private key (unencrypted) with its public half. */
export function deployKeyPair(input: DeployKeyInput, comment: string): KeyPair {
  if ('generate' in input) return generateKeyPair(comment)
  const text = input.privateKey.trim()
  const parsed = ssh2().utils.parseKey(text)
  if (parsed instanceof Error) {
    if (/passphrase/i.test(parsed.message)) {
      throw new UserError(
        'DEPLOY_KEY_ENCRYPTED',
        'The deploy key is protected by a passphrase.',
        'The server uses it unattended: give a key without a passphrase, or use --generate-deploy-key.',
      )
    }
    throw unreadable(parsed.message)
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed
  if (!key.isPrivateKey()) throw unreadable('it is a public key; give the private key file (without .pub)')
  if (!OPENSSH_READABLE.test(text)) throw unreadable('OpenSSH on the server cannot read this format')
  return {
    privateKey: `${text}\n`,
    publicKey: `${key.type} ${key.getPublicSSH().toString('base64')} ${comment}`,
  }
}

/** What the app's source says of its deploy key, with the key's fingerprint. */
export function deployKeyInfo(key: StoredDeployKey): DeployKeyInfo {
  const blob = Buffer.from(key.publicKey.split(' ')[1] ?? '', 'base64')
  return { publicKey: key.publicKey, fingerprint: fingerprint(blob), githubKeyId: key.githubKeyId ?? null }
}

function unreadable(reason: string): UserError {
  return new UserError(
    'KEY_UNREADABLE',
    `The deploy key cannot be used: ${reason}.`,
    'Give an OpenSSH private key file (`ssh-keygen -t ed25519 -N "" -f FILE` makes one), or use --generate-deploy-key.',
  )
}
