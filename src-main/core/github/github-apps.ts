import type {
  CreatedFromGitHub,
  CreateFromGitHubInput,
  DeployKeyRotation,
  PushConnection,
} from '../../api/contract'
import { deployKeyComment, type Apps } from '../apps/apps'
import { deployKeyInfo, deployKeyPair } from '../apps/deploy-key'
import { validateAppName } from '../deploy/app-spec'
import { fieldsAt, UserError } from '../errors'
import type { Push } from '../push/push'
import type { RelayHosts } from '../relay-host/relay-hosts'
import type { Servers } from '../servers/servers'
import type { GitHub } from './github'
import type { RepoRef } from './repo-ref'
import { githubRepoOf, githubSshUrl, parseFullName } from './repo-url'

/** Deleting a key Helvetia no longer needs waits this long at most: it never holds up the result. */
const CLEANUP_TIMEOUT_MS = 15_000

export interface GitHubAppsDeps {
  apps: Apps
  github: GitHub
  push: Push
  servers: Servers
  relayHosts: RelayHosts
}

/**
 * Where apps and GitHub meet: an app created from a repository picked in the list (deploy key and
 * webhook added through GitHub's API), a webhook that Helvetia adds to the repository itself
 * instead of showing the secret to paste, and deploy keys replaced on GitHub by Helvetia.
 */
export function createGitHubApps(deps: GitHubAppsDeps) {
  const { apps, github, push, servers, relayHosts } = deps
  const webHost = new URL(github.endpoints.webUrl).hostname

  /** The app's repository on GitHub, when it has one and Helvetia is signed in. */
  const repoOf = async (name: string): Promise<RepoRef | null> => {
    const source = apps.find(name)?.source
    const repo = source?.kind === 'git' ? githubRepoOf(source.url, webHost) : null
    return repo && (await github.signedIn()) ? repo : null
  }

  /**
   * Registers the app with the relay; on GitHub (signed in), adds or updates the repository's webhook
   * with the new secret, which then is not shown. When GitHub refuses, the secret is returned for the
   * user to paste, with GitHub's reason.
   */
  const connectWebhook = async (
    name: string,
    input: { relay: string; token?: string; branch?: string },
  ): Promise<PushConnection> => {
    const previous = push.webhook(name)?.hookId
    const hook = await push.connectWebhook(name, input)
    const base = { url: hook.url, relay: hook.relay, branch: hook.branch, serverSide: hook.serverSide }
    const repo = await repoOf(name)
    if (!repo) return { ...base, secret: hook.secret, github: null }
    try {
      const webhook = await github.ensureWebhook({
        ...repo,
        url: hook.url,
        secret: hook.secret,
        // The relay gave a new URL: the hook of the last registration moves to it.
        previous: previous ? (url) => url.endsWith(`/hooks/${previous}`) : undefined,
      })
      return { ...base, secret: null, github: { created: webhook.created } }
    } catch (error) {
      return {
        ...base,
        secret: hook.secret,
        github: { error: error instanceof Error ? error.message : String(error) },
      }
    }
  }

  /** The relay a new app on `server` uses: the one on that server, else the only one apps use. */
  const defaultRelay = (server: string): string | undefined => {
    const relays = push.relays()
    return (
      relays.find((relay) => relayHosts.serverOf(relay)?.name === server) ??
      (relays.length === 1 ? relays[0] : undefined)
    )
  }

  return {
    connectWebhook,
    rotateDeployKey,

    /**
     * Creates the app from a repository the user administers: source `git@github.com:OWNER/REPO.git`
     * on its default branch (unless `branch`), a new read-only deploy key whose private half goes to
     * the keychain, and, when a relay is known, the webhook on the repository.
     */
    async createApp(input: CreateFromGitHubInput, signal?: AbortSignal): Promise<CreatedFromGitHub> {
      const { repo: fullName, branch: givenBranch, relay, ...rest } = input
      const ref = parseFullName(fullName)
      // Checked before GitHub is asked for a key, so a clash leaves no stray key on the repository.
      const name = validateAppName(input.name)
      servers.get(input.server)
      if (apps.find(name)) {
        throw new UserError('APP_EXISTS', `An app named "${name}" already exists.`, 'Pick another name.', {
          field: 'name',
        })
      }
      const branch = givenBranch ?? (await defaultBranch(github, ref, signal))
      const key = await github.addDeployKey({ ...ref, title: `Helvetia: ${name} on ${input.server}` }, signal)
      let app
      try {
        // The branch is this input's own, not a source's.
        app = await fieldsAt(
          () =>
            apps.createWithDeployKey(
              { ...rest, name, source: { kind: 'git', url: githubSshUrl(ref), branch } },
              { privateKey: key.privateKey },
              key.id,
            ),
          (field) => (field === 'source.branch' ? 'branch' : field),
        )
      } catch (error) {
        // No app holds the key: it leaves the repository again.
        throw withWarning(error, await withdrawKey(github, ref, key.id, deployKeyInfo(key).fingerprint))
      }
      const target = relay ?? defaultRelay(input.server)
      return { app, webhook: target ? await connectWebhook(name, { relay: target }) : null }
    },
  }

  /**
   * Replaces the app's deploy key with a new one. Added by Helvetia on GitHub: the new key is added
   * there first (nothing changes if GitHub refuses), then it replaces the old one in the keychain and
   * the store, then the old key is deleted on GitHub (a failure to is a warning: the new key works).
   * Added by hand: the new key replaces the old one at once, and the result says to add it to the
   * repository and remove the old one there; deploys fail until the user has. A server that deploys
   * the app's pushes by itself gets the new key too (if it cannot be reached, the old key stays on
   * GitHub for it, with a warning).
   */
  async function rotateDeployKey(name: string, signal?: AbortSignal): Promise<DeployKeyRotation> {
    const app = apps.record(name)
    const current = apps.deployKey(app.name)
    const repo = app.source.kind === 'git' ? githubRepoOf(app.source.url, webHost) : null
    const rotated = (action: string | null, warnings: string[]): DeployKeyRotation => ({
      key: apps.deployKey(app.name),
      previousFingerprint: current.fingerprint,
      action,
      warnings,
    })
    if (current.githubKeyId === null || !repo) {
      const pair = deployKeyPair({ generate: true }, deployKeyComment(app.name))
      await apps.replaceDeployKey(app.name, pair)
      const stale = await refreshServerKey(deps, app.name, app.serverId, pair.privateKey)
      return rotated(
        `Add the new key to the repository's deploy keys (read-only) and remove the old one (${current.fingerprint}): deploys of ${app.name} fail until the new key is there.`,
        stale ? [stale] : [],
      )
    }
    const server = apps.find(app.name)?.server ?? ''
    const added = await github.addDeployKey({ ...repo, title: `Helvetia: ${app.name} on ${server}` }, signal)
    try {
      await apps.replaceDeployKey(app.name, added, added.id)
    } catch (error) {
      // The old key stays the app's: the new one leaves GitHub again.
      throw withWarning(error, await withdrawKey(github, repo, added.id, deployKeyInfo(added).fingerprint))
    }
    const stale = await refreshServerKey(deps, app.name, app.serverId, added.privateKey)
    if (stale) {
      return rotated(null, [
        `${stale} The old key (${current.fingerprint}) stays on GitHub for it until then: delete it afterwards in the repository's Settings → Deploy keys.`,
      ])
    }
    const left = await withdrawKey(github, repo, current.githubKeyId, current.fingerprint)
    return rotated(null, left ? [left] : [])
  }
}

export type GitHubApps = ReturnType<typeof createGitHubApps>

/** `error`, with `warning` (what was left behind) added to its hint. */
function withWarning(error: unknown, warning: string | null): unknown {
  if (warning === null || !(error instanceof UserError)) return error
  return new UserError(error.code, error.message, [error.hint, warning].filter(Boolean).join(' '), {
    field: error.field,
  })
}

/**
 * Deletes a deploy key Helvetia added to `repo`, best effort: null once it is gone, else a warning
 * that says what is left on GitHub and how to remove it by hand.
 */
async function withdrawKey(
  github: GitHub,
  repo: RepoRef,
  id: number,
  fingerprint: string,
): Promise<string | null> {
  try {
    await github.deleteDeployKey({ ...repo, id }, AbortSignal.timeout(CLEANUP_TIMEOUT_MS))
    return null
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `The deploy key ${fingerprint} is still on ${repo.owner}/${repo.repo} (${reason}): delete it in the repository's Settings → Deploy keys.`
  }
}

/**
 * Gives the app's server its new deploy key when the server deploys the app's pushes by itself (its
 * relay runs there and keeps a copy): null once done, or when there is none; else a warning.
 */
async function refreshServerKey(
  { push, relayHosts }: Pick<GitHubAppsDeps, 'push' | 'relayHosts'>,
  name: string,
  serverId: string,
  privateKey: string,
): Promise<string | null> {
  const relay = push.webhook(name)?.relayUrl
  const host = relay ? relayHosts.serverOf(relay) : null
  if (!host || host.id !== serverId) return null
  try {
    await relayHosts.keepDeployKey(host, name, privateKey)
    return null
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `${host.name} still has the old key for the deploys it starts on push (${reason}): connect the webhook again (\`helvetia app connect-webhook ${name} --relay ${relay}\`) to give it the new one.`
  }
}

async function defaultBranch(github: GitHub, ref: RepoRef, signal?: AbortSignal): Promise<string> {
  const full = `${ref.owner}/${ref.repo}`.toLowerCase()
  const repo = (await github.listAdminRepos(signal)).find((r) => r.fullName.toLowerCase() === full)
  if (!repo) {
    throw new UserError(
      'GITHUB_NOT_FOUND',
      `${ref.owner}/${ref.repo} is not among the repositories this GitHub account administers.`,
      'Pick a repository from the list: Helvetia adds a deploy key and a webhook, which need admin access.',
    )
  }
  return repo.defaultBranch
}
