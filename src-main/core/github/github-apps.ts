import type { CreatedFromGitHub, CreateFromGitHubInput, PushConnection } from '../../api/contract'
import type { Apps } from '../apps/apps'
import { validateAppName } from '../deploy/app-spec'
import { UserError } from '../errors'
import type { Push } from '../push/push'
import type { RelayHosts } from '../relay-host/relay-hosts'
import type { Servers } from '../servers/servers'
import type { GitHub } from './github'
import type { RepoRef } from './repo-ref'
import { githubRepoOf, githubSshUrl, parseFullName } from './repo-url'

export interface GitHubAppsDeps {
  apps: Apps
  github: GitHub
  push: Push
  servers: Servers
  relayHosts: RelayHosts
}

/**
 * Where apps and GitHub meet: an app created from a repository picked in the list (deploy key and
 * webhook added through GitHub's API), and a webhook that Helvetia adds to the repository itself
 * instead of showing the secret to paste.
 */
export function createGitHubApps(deps: GitHubAppsDeps) {
  const { apps, github, push, servers, relayHosts } = deps
  const webHost = new URL(github.endpoints.webUrl).hostname

  /** The app's repository on GitHub, when it has one and Helvetia is signed in. */
  const repoOf = async (name: string): Promise<RepoRef | null> => {
    const source = apps.list().find((a) => a.name === name)?.source
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
    input: { relay: string; token?: string },
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
      if (apps.list().some((a) => a.name === name)) {
        throw new UserError('APP_EXISTS', `An app named "${name}" already exists.`, 'Pick another name.')
      }
      const branch = givenBranch ?? (await defaultBranch(ref, signal))
      const key = await github.addDeployKey({ ...ref, title: `Helvetia: ${name} on ${input.server}` }, signal)
      const app = await apps.createWithDeployKey(
        { ...rest, name, source: { kind: 'git', url: githubSshUrl(ref), branch } },
        { privateKey: key.privateKey },
      )
      const target = relay ?? defaultRelay(input.server)
      return { app, webhook: target ? await connectWebhook(name, { relay: target }) : null }
    },
  }

  async function defaultBranch(ref: RepoRef, signal?: AbortSignal): Promise<string> {
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
}

export type GitHubApps = ReturnType<typeof createGitHubApps>
