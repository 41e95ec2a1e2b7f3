import { setTimeout as sleep } from 'node:timers/promises'
import { UserError } from '../errors'
import { unexpected } from './github-api'
import { readJson, send } from './github-http'

/** What the user is shown: the code to enter, and where. */
export interface DeviceCode {
  userCode: string
  verificationUri: string
  /** Seconds until the code expires (GitHub: 900). */
  expiresIn: number
}

export interface DeviceFlowOptions {
  /** https://github.com, or a stand-in. */
  webUrl: string
  clientId: string
  /** Space-separated OAuth scopes. */
  scope: string
  /** Called once, with the code to show; the flow then polls until the user has answered. */
  onCode: (code: DeviceCode) => void
  signal?: AbortSignal
}

export interface DeviceFlowToken {
  accessToken: string
  /** The scopes GitHub granted, as it lists them. */
  scopes: string[]
}

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code'

/**
 * Sign-in with GitHub's OAuth device flow, which needs no client secret: ask for a device code, show
 * the user code, then poll for the token no faster than GitHub's `interval` (5 s more after each
 * `slow_down`) until the user authorizes, refuses, or the code expires. Abort with `signal`.
 */
export async function runDeviceFlow(options: DeviceFlowOptions): Promise<DeviceFlowToken> {
  const { webUrl, clientId, scope, signal } = options
  const start = await post(`${webUrl}/login/device/code`, { client_id: clientId, scope }, signal)
  const { device_code, user_code, verification_uri, expires_in, interval } = start
  if (
    typeof device_code !== 'string' ||
    typeof user_code !== 'string' ||
    // Shown to the user, and opened by the desktop app: a web address only.
    typeof verification_uri !== 'string' ||
    !/^https?:\/\//.test(verification_uri) ||
    typeof expires_in !== 'number'
  ) {
    throw signInError(start, 'a device code')
  }
  const expiresAt = Date.now() + expires_in * 1000
  let seconds = typeof interval === 'number' && interval > 0 ? interval : 5
  options.onCode({ userCode: user_code, verificationUri: verification_uri, expiresIn: expires_in })

  for (;;) {
    await sleep(seconds * 1000, undefined, { signal }).catch((error: unknown) => {
      throw signal?.aborted ? signal.reason : error
    })
    if (Date.now() >= expiresAt) throw expired(expires_in)
    const answer = await post(
      `${webUrl}/login/oauth/access_token`,
      { client_id: clientId, device_code, grant_type: GRANT_TYPE },
      signal,
    )
    if (typeof answer.access_token === 'string' && answer.access_token) {
      return {
        accessToken: answer.access_token,
        scopes: typeof answer.scope === 'string' ? answer.scope.split(/[\s,]+/).filter(Boolean) : [],
      }
    }
    switch (answer.error) {
      case 'authorization_pending':
        continue
      case 'slow_down':
        // GitHub adds 5 s and says the new interval; keep whichever is longer.
        seconds = Math.max(seconds + 5, typeof answer.interval === 'number' ? answer.interval : 0)
        continue
      case 'expired_token':
        throw expired(expires_in)
      case 'access_denied':
        throw new UserError(
          'GITHUB_ACCESS_DENIED',
          'The GitHub sign-in was cancelled on GitHub.',
          'Sign in again and choose “Authorize” on GitHub’s page.',
        )
      default:
        throw signInError(answer, 'an access token')
    }
  }
}

/** A form POST that asks for JSON (GitHub answers these endpoints form-encoded by default). */
async function post(
  url: string,
  fields: Record<string, string>,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const response = await send(
    url,
    { method: 'POST', headers: { Accept: 'application/json' }, body: new URLSearchParams(fields) },
    signal,
  )
  const body = await readJson(response)
  if (!response.ok && !(body as { error?: unknown } | null)?.error) {
    throw new UserError(
      'GITHUB_SIGN_IN_FAILED',
      `GitHub's sign-in answered ${response.status} at ${new URL(url).pathname}.`,
      'Check that HELVETIA_GITHUB_CLIENT_ID, if set, names an OAuth app with the device flow enabled; ' +
        'otherwise try again later.',
    )
  }
  return (body ?? {}) as Record<string, unknown>
}

function expired(seconds: number): UserError {
  return new UserError(
    'GITHUB_CODE_EXPIRED',
    'The GitHub sign-in code expired before it was entered.',
    `Sign in again and enter the new code within ${Math.round(seconds / 60) || 1} minutes.`,
  )
}

/** device_flow_disabled, incorrect_client_credentials, unsupported_grant_type, incorrect_device_code, … */
function signInError(body: Record<string, unknown>, expected: string): UserError {
  const { error, error_description } = body
  if (typeof error !== 'string') return unexpected(expected)
  const appProblem = error === 'device_flow_disabled' || error === 'incorrect_client_credentials'
  return new UserError(
    'GITHUB_SIGN_IN_FAILED',
    `GitHub refused the sign-in: ${typeof error_description === 'string' ? error_description : error} (${error}).`,
    appProblem
      ? 'The OAuth app is not set up for the device flow: set HELVETIA_GITHUB_CLIENT_ID to an OAuth app ' +
          'with “Enable Device Flow” ticked.'
      : 'Sign in again; if it keeps failing, report it with this message.',
  )
}
