import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { UserError } from '../errors'
import { createHostKeyPolicy } from '../ssh/host-key-policy'
import { probeHostKey } from '../ssh/probe-host-key'
import type { SshAuth } from '../ssh/ssh-auth'
import { SshConnection } from '../ssh/ssh-connection'
import type { ServerRecord } from '../store/server-store'
import type { Target } from '../targets/target'
import { serverSecrets } from '../vault/accounts'
import type { Vault } from '../vault/vault'
import type { ServerSpec } from './server-input'

/** How Helvetia logs in to a server: the host key it pins, the login it uses, the key it installs. */
export function createServerLogin(deps: { vault: Vault; knownHostsPath?: string }) {
  const { vault, knownHostsPath } = deps

  async function keyFileAuth(keyPath: string | null, passphrase: string | null): Promise<SshAuth> {
    const path = (keyPath ?? '').replace(/^~(?=\/|$)/, homedir())
    const privateKey = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        'KEY_UNREADABLE',
        `Cannot read the key file ${path}: ${error.code ?? error.message}.`,
        'Check the path and its permissions, or pick another key file.',
      )
    })
    return { kind: 'key', privateKey, ...(passphrase ? { passphrase } : {}) }
  }

  return {
    keyFileAuth,

    /**
     * The fingerprint to pin: the one the user confirmed (the server must present exactly it), or the
     * one known_hosts vouches for. An unknown key is never accepted without the user's word.
     */
    async confirmedFingerprint(spec: ServerSpec): Promise<string> {
      if (spec.fingerprint) return spec.fingerprint
      const probe = await probeHostKey(spec.host, spec.port, { knownHostsPath })
      if (probe.status === 'known') return probe.fingerprint
      if (probe.status === 'mismatch') {
        throw new UserError(
          'HOST_KEY_MISMATCH',
          `${spec.host}:${spec.port} presented ${probe.fingerprint}, but ~/.ssh/known_hosts lists another key for it.`,
          'Someone may be intercepting the connection, or the server was reinstalled. Check the key with the server’s administrator; nothing was sent.',
        )
      }
      throw new UserError(
        'HOST_KEY_UNKNOWN',
        `${spec.host}:${spec.port} presented an unknown host key: ${probe.keyType} ${probe.fingerprint}`,
        `Check it with the server's administrator (\`ssh-keygen -lf /etc/ssh/ssh_host_${probe.keyType.replace(/^ssh-/, '')}_key.pub\` on the server), then confirm it (--fingerprint ${probe.fingerprint}).`,
      )
    },

    /** How to log in to install a generated key: a one-time password, else the user's agent. */
    installAuth(spec: ServerSpec): SshAuth {
      return spec.password ? { kind: 'password', password: spec.password } : { kind: 'agent' }
    },

    /** A login for the stored server: its key from the file or the vault, or the agent. */
    async credentials(server: ServerRecord): Promise<SshAuth> {
      const secrets = serverSecrets(server.id)
      switch (server.auth) {
        case 'agent':
          return { kind: 'agent' }
        case 'key-file':
          return keyFileAuth(server.keyPath, await vault.get(secrets.passphrase))
        case 'generated-key': {
          const privateKey = await vault.get(secrets.privateKey)
          if (!privateKey) {
            throw new UserError(
              'KEY_MISSING',
              `The key Helvetia generated for ${server.name} is not in this keychain.`,
              'Remove the server and add it again to generate a new key.',
            )
          }
          return { kind: 'key', privateKey }
        }
        case 'local':
          throw new Error('"This computer" needs no SSH login')
      }
    },

    /** A short-lived connection for adding a server: the pool only holds servers that are stored. */
    async withConnection<T>(
      server: ServerRecord,
      auth: SshAuth,
      work: (target: Target) => Promise<T>,
    ): Promise<T> {
      const connection = new SshConnection({
        host: server.host,
        port: server.port,
        user: server.user,
        auth,
        hostKey: createHostKeyPolicy({ pinned: server.hostKeyFingerprint, knownHostsPath }),
        reconnect: { giveUpAfterMs: 0 },
      })
      try {
        return await work(connection)
      } finally {
        connection.close()
      }
    },
  }
}
