import { UserError } from '../errors'
import { apiError, readJson, send } from './github-http'

/** The REST API version Helvetia is written against (sent as X-GitHub-Api-Version). */
export const GITHUB_API_VERSION = '2022-11-28'

/** A token goes into a header: printable ASCII without spaces, as GitHub's tokens are. */
const TOKEN = /^[\x21-\x7e]{1,1024}$/

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown
  signal?: AbortSignal
  /** What a 404 means for this call (GitHub answers 404 for what the token may not see). */
  notFound?: string
}

/** GitHub's REST API with one user's token. Paths are API-relative and already encoded. */
export interface GitHubApi {
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options?: RequestOptions): Promise<T>
  /** Every page of a list, following the Link header's rel="next". */
  paginate<T>(path: string, options?: RequestOptions): Promise<T[]>
}

export function createGitHubApi({ apiUrl, token }: { apiUrl: string; token: string }): GitHubApi {
  if (!TOKEN.test(token)) {
    throw new UserError(
      'GITHUB_TOKEN_INVALID',
      'The saved GitHub token is malformed.',
      'Sign in to GitHub again (`helvetia github login`).',
    )
  }
  const origin = new URL(apiUrl).origin
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${token}`,
    'X-GitHub-Api-Version': GITHUB_API_VERSION,
    // GitHub refuses requests without a User-Agent; it asks for the app's name.
    'User-Agent': 'Helvetia',
  }

  const call = async (method: string, url: string, options: RequestOptions) => {
    const json = options.body !== undefined
    const response = await send(
      url,
      {
        method,
        headers: json ? { ...headers, 'Content-Type': 'application/json' } : headers,
        body: json ? JSON.stringify(options.body) : undefined,
      },
      options.signal,
    )
    const body = await readJson(response)
    if (!response.ok) {
      throw apiError(response, body, options.notFound ?? `GitHub has nothing at ${new URL(url).pathname}.`)
    }
    return { body, response }
  }

  return {
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
      return (await call(method, `${apiUrl}${path}`, options)).body as T
    },
    async paginate<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
      const items: T[] = []
      let url: string | null = `${apiUrl}${path}`
      while (url) {
        const { body, response } = await call('GET', url, options)
        if (!Array.isArray(body)) throw unexpected(`a list from ${path}`)
        items.push(...(body as T[]))
        url = nextLink(response.headers.get('link'))
        // The token goes with every request: follow no link that leaves the API.
        if (url && new URL(url).origin !== origin) throw unexpected(`a next-page link on ${origin}`)
      }
      return items
    },
  }
}

/** The rel="next" target of a Link header: `<https://…?page=2>; rel="next", <…>; rel="last"`. */
export function nextLink(header: string | null): string | null {
  for (const part of header?.split(',') ?? []) {
    const match = /^\s*<([^>]+)>.*;\s*rel="([^"]*)"/.exec(part)
    if (match?.[1] && match[2]?.split(/\s+/).includes('next')) return match[1]
  }
  return null
}

export function unexpected(expected: string): UserError {
  return new UserError(
    'GITHUB_BAD_RESPONSE',
    `GitHub's answer was not what Helvetia expected (${expected}).`,
    'If HELVETIA_GITHUB_URL or HELVETIA_GITHUB_API_URL is set, check it; otherwise try again later.',
  )
}
