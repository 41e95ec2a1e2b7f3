import type { ConnectConfig } from 'ssh2'
import { UserError } from '../errors'
import type { Endpoint } from './ssh-errors'
import { ssh2 } from './ssh2-module'

/** How to log in: the user's SSH agent (Pageant on Windows), a private key, or a one-time password. */
export type SshAuth =
  | { kind: 'agent'; socket?: string }
  | { kind: 'key'; privateKey: string | Buffer; passphrase?: string }
  | { kind: 'password'; password: string }

/** What ssh2 needs for `auth`; refuses unusable credentials before any connection is made. */
export function authConfig(
  auth: SshAuth,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Pick<ConnectConfig, 'agent' | 'privateKey' | 'passphrase' | 'password' | 'tryKeyboard'> {
  switch (auth.kind) {
    case 'agent': {
      // ssh2 speaks to Pageant by that name; OpenSSH's agent for Windows is reached through its pipe
      // path, as SSH_AUTH_SOCK or `socket`.
      const agent = auth.socket ?? env.SSH_AUTH_SOCK ?? (platform === 'win32' ? 'pageant' : undefined)
      if (!agent) {
        throw new UserError(
          'SSH_AGENT_UNAVAILABLE',
          'SSH_AUTH_SOCK is not set: no SSH agent is running for this session.',
          'Start ssh-agent and `ssh-add` your key (then start Helvetia from that session), or pick a key file.',
        )
      }
      return { agent }
    }
    case 'key':
      checkPrivateKey(auth.privateKey, auth.passphrase)
      return { privateKey: auth.privateKey, passphrase: auth.passphrase }
    case 'password':
      // Servers that take passwords through PAM ask for them as keyboard-interactive prompts.
      return { password: auth.password, tryKeyboard: true }
  }
}

function checkPrivateKey(privateKey: string | Buffer, passphrase: string | undefined): void {
  const parsed = ssh2().utils.parseKey(privateKey, passphrase)
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new UserError(
        'KEY_PASSPHRASE_NEEDED',
        'The private key is protected by a passphrase.',
        'Enter the key’s passphrase (it is kept in the OS keychain), or pick another key.',
      )
    }
    if (/bad passphrase/i.test(parsed.message)) {
      throw new UserError(
        'KEY_PASSPHRASE_WRONG',
        'The passphrase does not unlock the private key.',
        'Enter the passphrase again (`ssh-keygen -y -f KEYFILE` checks it), or pick another key.',
      )
    }
    throw new UserError(
      'KEY_UNREADABLE',
      `The private key cannot be read: ${parsed.message}`,
      'Pick an OpenSSH, PEM or PuTTY private key file (not the .pub file); `ssh-keygen -y -f KEYFILE` checks it.',
    )
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (!key?.isPrivateKey()) {
    throw new UserError(
      'KEY_UNREADABLE',
      'The key given is a public key, not a private key.',
      'Pick the private key file: the one without .pub at the end.',
    )
  }
}

/** The server refused the credential: say which one and where its public half must go. */
export function authFailed(auth: SshAuth, user: string, { host, port }: Endpoint): UserError {
  const where = `${user}@${host}:${port}`
  switch (auth.kind) {
    case 'agent':
      return new UserError(
        'SSH_AUTH_FAILED',
        `${where} refused every key the SSH agent offered.`,
        `Add your public key to ~/.ssh/authorized_keys of ${user} on the server, load the right key into ` +
          'the agent (`ssh-add`, check with `ssh-add -l`), or pick a key file. An agent holding many keys ' +
          'can also use up the server’s MaxAuthTries before it offers the right one.',
      )
    case 'key':
      return new UserError(
        'SSH_AUTH_FAILED',
        `${where} refused the key.`,
        `Add the public key to ~/.ssh/authorized_keys of ${user} on the server, or pick another key.`,
      )
    case 'password':
      return new UserError(
        'SSH_AUTH_FAILED',
        `${where} refused the password.`,
        'Check the user name and password. If the server allows no password logins ' +
          '(PasswordAuthentication no), add the public key to ~/.ssh/authorized_keys there yourself.',
      )
  }
}

/** The agent could not be asked for keys or signatures (socket gone, agent locked, Pageant closed). */
export function agentUnavailable(error: Error): UserError {
  return new UserError(
    'SSH_AGENT_UNAVAILABLE',
    `The SSH agent could not be used: ${error.message}`,
    'Start ssh-agent (or Pageant) and `ssh-add` your key, or pick a key file.',
  )
}
