import { UserError } from '../errors'
import { fingerprint, keyType, parseFingerprint } from './fingerprint'
import { hostPortName, readKnownHosts } from './known-hosts'

export interface HostKeyPolicyOptions {
  /**
   * The fingerprint the server must present: the one stored for the server, or the one the user
   * just confirmed. When set, known_hosts can no longer vouch for another key.
   */
  pinned?: string | null
  /** OpenSSH's known_hosts (default ~/.ssh/known_hosts), read afresh for each connection. */
  knownHostsPath?: string
}

export interface HostKeyPolicy {
  /** Resolves if the key may be trusted; otherwise rejects with a UserError that names the fix. */
  verify(host: string, port: number, keyBlob: Buffer): Promise<void>
}

/**
 * Decides whether to trust the key a server presents, before anything (no user name, no key, no
 * password) is sent. Nothing is ever accepted silently: a key is trusted only when it equals the
 * pinned fingerprint or, with nothing pinned, when known_hosts lists it for this host. An `@revoked`
 * key is refused even when pinned: revocation is the user's explicit word that the key is compromised.
 */
export function createHostKeyPolicy(options: HostKeyPolicyOptions = {}): HostKeyPolicy {
  const pinned = options.pinned ? parseFingerprint(options.pinned) : null
  return {
    async verify(host, port, keyBlob) {
      const presented = fingerprint(keyBlob)
      const type = keyType(keyBlob)
      const where = `${host}:${port}`
      const status = (await readKnownHosts(options.knownHostsPath)).lookup(host, port, type, keyBlob)
      if (status === 'revoked') throw hostKeyRevoked(host, port, keyBlob)
      if (pinned) {
        if (presented === pinned) return
        throw new UserError(
          'HOST_KEY_MISMATCH',
          `${where} presented the host key ${presented} (${type}), but ${pinned} was expected. Nothing was sent.`,
          'Someone may be intercepting the connection (a man-in-the-middle attack), or the server was ' +
            'reinstalled and got new host keys. Check the fingerprint on the server itself ' +
            '(`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`). Only if the change is expected, re-pin ' +
            'it deliberately: remove the server and add it again, confirming the new fingerprint.',
        )
      }
      if (status === 'known') return
      if (status === 'mismatch') {
        throw new UserError(
          'HOST_KEY_MISMATCH',
          `${where} presented the host key ${presented} (${type}), but known_hosts lists another ${type} ` +
            'key for it. Nothing was sent.',
          'Someone may be intercepting the connection (a man-in-the-middle attack), or the server was ' +
            'reinstalled and got new host keys. Check the fingerprint on the server itself. Only if the ' +
            `change is expected, remove the old entry (\`ssh-keygen -R '${hostPortName(host, port)}'\`) ` +
            'and confirm the new fingerprint by passing it as --fingerprint.',
        )
      }
      throw new UserError(
        'HOST_KEY_UNKNOWN',
        `${where} presented a host key that is not known yet: ${presented} (${type}). Nothing was sent.`,
        'Check that it is the server’s key (on the server: `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`), ' +
          'then confirm it and pass it as --fingerprint.',
      )
    },
  }
}

/** The refusal for a key that known_hosts marks `@revoked`. */
export function hostKeyRevoked(host: string, port: number, keyBlob: Buffer): UserError {
  return new UserError(
    'HOST_KEY_REVOKED',
    `${host}:${port} presented the ${keyType(keyBlob)} host key ${fingerprint(keyBlob)}, which known_hosts ` +
      'marks as @revoked. Nothing was sent.',
    'Do not connect: that key was declared compromised. Ask whoever runs the server to install new host ' +
      'keys, then add the server with the new fingerprint.',
  )
}
