import { UserError } from '../errors'

/**
 * fetch, with a network failure turned into a UserError and an abort rejecting with the signal's
 * reason. Messages name the host, never the request: headers carry the token.
 */
export async function send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal })
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    throw new UserError(
      'GITHUB_UNREACHABLE',
      `GitHub could not be reached at ${new URL(url).host}: ${cause?.code ?? cause?.message ?? String(error)}.`,
      'Check the internet connection (and the proxy, if there is one), then try again.',
    )
  }
}

/** The body as JSON, or null when there is none or it is not JSON (an HTML error page, say). */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  try {
    return text ? (JSON.parse(text) as unknown) : null
  } catch {
    return null
  }
}

/** GitHub's error body: `message`, and for 422 the `errors` that say which field failed. */
interface ErrorBody {
  message?: unknown
  errors?: unknown
}

/**
 * A failed REST call as the user should see it. `notFound` says what a 404 means for this call:
 * GitHub answers 404, not 403, for a private repository the token may not see or administer.
 */
export function apiError(response: Response, body: unknown, notFound: string): UserError {
  const { status, headers } = response
  const message = githubMessage(body)
  if (status === 401) {
    return new UserError(
      'GITHUB_TOKEN_INVALID',
      `GitHub no longer accepts Helvetia's sign-in (${message || 'Bad credentials'}).`,
      'The token was revoked or has expired: sign in to GitHub again (`helvetia github login`).',
    )
  }
  if ((status === 403 || status === 429) && headers.get('x-ratelimit-remaining') === '0') {
    const reset = new Date(Number(headers.get('x-ratelimit-reset')) * 1000)
    const valid = !Number.isNaN(reset.getTime())
    const minutes = valid ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 60_000)) : null
    return new UserError(
      'GITHUB_RATE_LIMITED',
      valid
        ? `GitHub's API rate limit for this account is used up until ${reset.toISOString()} (in about ${minutes} min).`
        : "GitHub's API rate limit for this account is used up.",
      valid ? `Try again after ${reset.toISOString()}.` : 'Try again in an hour.',
    )
  }
  const retryAfter = headers.get('retry-after')
  if ((status === 403 || status === 429) && retryAfter) {
    return new UserError(
      'GITHUB_RATE_LIMITED',
      `GitHub asks for a pause (secondary rate limit): ${message || 'too many requests'}.`,
      `Wait ${retryAfter} seconds, then try again.`,
    )
  }
  if (status === 403) {
    return new UserError(
      'GITHUB_FORBIDDEN',
      `GitHub refused the request: ${message || 'Forbidden'}.`,
      'Check that your account has admin access to the repository and that the organization allows ' +
        'Helvetia (Settings → Third-party access); sign in again if the token lacks a scope.',
    )
  }
  if (status === 404) {
    return new UserError(
      'GITHUB_NOT_FOUND',
      notFound,
      'Check the owner and repository name, and that your GitHub account has admin access to it ' +
        '(webhooks and deploy keys need admin).',
    )
  }
  if (status === 422) {
    return new UserError(
      'GITHUB_VALIDATION_FAILED',
      `GitHub refused the request: ${[message || 'Validation Failed', ...fieldErrors(body)].join(': ')}.`,
      'Correct what GitHub names, then try again.',
    )
  }
  return new UserError(
    'GITHUB_REQUEST_FAILED',
    `GitHub answered ${status}${message ? `: ${message}` : ''}.`,
    status >= 500
      ? 'GitHub may be having trouble (https://www.githubstatus.com): try again in a moment.'
      : 'Try again; if it keeps failing, report it with this message.',
  )
}

function githubMessage(body: unknown): string {
  const message = (body as ErrorBody | null)?.message
  return typeof message === 'string' ? message : ''
}

/** 422 details: `{resource, field, code}`, or `{code: "custom", message}`. */
function fieldErrors(body: unknown): string[] {
  const errors = (body as ErrorBody | null)?.errors
  if (!Array.isArray(errors)) return []
  return errors.map((e: { message?: unknown; resource?: unknown; field?: unknown; code?: unknown }) =>
    typeof e?.message === 'string'
      ? e.message
      : [e?.resource, e?.field, e?.code].filter((part) => typeof part === 'string').join(' '),
  )
}
