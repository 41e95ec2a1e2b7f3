import { UserError } from '../errors'
import type { GitHubApi } from './github-api'
import { repoPath, type RepoRef } from './repo-ref'

export interface WebhookInput extends RepoRef {
  /** Where GitHub delivers: the relay's per-app URL. */
  url: string
  /** Signs each delivery (X-Hub-Signature-256). */
  secret: string
  /** Recognizes the URL of an earlier registration: that hook is moved to `url`, not left behind. */
  previous?: (url: string) => boolean
}

export interface Webhook {
  id: number
  /** False when a hook with the same URL existed and was updated instead. */
  created: boolean
}

interface ApiHook {
  id: number
  name: string
  config: { url?: string }
}

/**
 * Makes sure the repository has one `push` webhook to `url`, sending JSON signed with `secret`.
 * Idempotent: a hook already pointing at that URL (or one `previous` recognizes) is updated (new
 * secret, events, active) rather than duplicated, so connecting an app again, or rotating its secret,
 * is the same call.
 */
export async function ensureWebhook(
  api: GitHubApi,
  input: WebhookInput,
  signal?: AbortSignal,
): Promise<Webhook> {
  const url = webhookUrl(input.url)
  if (!input.secret) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      'A webhook needs a secret.',
      'Generate one for the app first.',
    )
  }
  const path = `${repoPath(input)}/hooks`
  const notFound = `GitHub has no repository ${input.owner}/${input.repo} whose webhooks this account can manage.`
  const hook = {
    config: { url, content_type: 'json', secret: input.secret, insecure_ssl: '0' },
    events: ['push'],
    active: true,
  }
  const hooks = await api.paginate<ApiHook>(`${path}?per_page=100`, { signal, notFound })
  const existing = hooks.find(
    (h) =>
      h.name === 'web' &&
      h.config.url !== undefined &&
      (h.config.url === url || input.previous?.(h.config.url)),
  )
  if (existing) {
    // PATCH replaces the whole config, so the secret is sent again with it.
    await api.request('PATCH', `${path}/${existing.id}`, { body: hook, signal, notFound })
    return { id: existing.id, created: false }
  }
  const created = await api.request<ApiHook>('POST', path, {
    body: { name: 'web', ...hook },
    signal,
    notFound,
  })
  return { id: created.id, created: true }
}

function webhookUrl(value: string): string {
  let url: URL | null = null
  try {
    url = new URL(value)
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new UserError(
      'GITHUB_INPUT_INVALID',
      `Not a webhook address: ${JSON.stringify(value)}.`,
      'Give the relay’s https:// URL for the app.',
    )
  }
  return value
}
