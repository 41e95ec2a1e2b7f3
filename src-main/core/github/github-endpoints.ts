import { UserError } from '../errors'

/**
 * Helvetia's public OAuth app on GitHub. The device flow needs no client secret, so this id is public
 * by design. PLACEHOLDER: replace it with the real app's client id at release (the app must have
 * "Enable Device Flow" ticked). HELVETIA_GITHUB_CLIENT_ID overrides it.
 */
export const HELVETIA_GITHUB_CLIENT_ID = 'helvetia-placeholder-client-id'

/** Creating webhooks needs admin:repo_hook; deploy keys and commit statuses need repo. */
export const GITHUB_SCOPES = 'repo admin:repo_hook'

export interface GitHubEndpoints {
  /** Where the OAuth device flow runs: https://github.com. */
  webUrl: string
  /** The REST API: https://api.github.com (GitHub Enterprise: https://HOST/api/v3). */
  apiUrl: string
  clientId: string
}

/**
 * GitHub's addresses and Helvetia's client id, each overridable from the environment
 * (HELVETIA_GITHUB_URL, HELVETIA_GITHUB_API_URL, HELVETIA_GITHUB_CLIENT_ID): for GitHub Enterprise,
 * for another OAuth app, and for tests against a local stand-in.
 */
export function githubEndpoints(env: NodeJS.ProcessEnv = process.env): GitHubEndpoints {
  return {
    webUrl: baseUrl(env.HELVETIA_GITHUB_URL || 'https://github.com', 'HELVETIA_GITHUB_URL'),
    apiUrl: baseUrl(env.HELVETIA_GITHUB_API_URL || 'https://api.github.com', 'HELVETIA_GITHUB_API_URL'),
    clientId: clientId(env.HELVETIA_GITHUB_CLIENT_ID?.trim() || HELVETIA_GITHUB_CLIENT_ID),
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/

/** The token travels to these addresses: HTTPS only, except plain HTTP to this machine. */
function baseUrl(value: string, name: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(name, value)
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))
  if (!secure || url.username || url.password || url.search || url.hash) throw invalid(name, value)
  return url.toString().replace(/\/+$/, '')
}

function clientId(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw invalid('HELVETIA_GITHUB_CLIENT_ID', value)
  return value
}

function invalid(name: string, value: string): UserError {
  return new UserError(
    'GITHUB_CONFIG_INVALID',
    `${name} is not usable: ${JSON.stringify(value)}.`,
    name === 'HELVETIA_GITHUB_CLIENT_ID'
      ? 'Set it to the client id of a GitHub OAuth app (letters, digits, dot, dash, underscore), or unset it.'
      : 'Set it to an https:// address without credentials or query (plain http:// only to this machine), or unset it.',
  )
}
