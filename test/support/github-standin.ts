/**
 * A stand-in for GitHub: GitHub itself cannot be reached from the test machine (no internet), so
 * the GitHub client is tested over real HTTP against this small node:http server, which implements
 * only the endpoints Helvetia calls, with the shapes, status codes and headers GitHub documents:
 *
 * - OAuth device flow (docs: "Authorizing OAuth apps", device flow): POST /login/device/code and
 *   POST /login/oauth/access_token, JSON when asked with Accept: application/json (form-encoded
 *   otherwise), errors as HTTP 200 `{error, error_description, error_uri}`; a poll sooner than the
 *   interval is answered `slow_down` with the interval raised by 5 s.
 * - REST API under /api (as on GitHub Enterprise): GET /user, GET /user/repos (sort, direction,
 *   per_page ≤ 100, page, Link header), GET/POST /repos/{o}/{r}/hooks, PATCH …/hooks/{id},
 *   POST …/keys, DELETE …/keys/{id} (204), POST …/statuses/{sha}; 401 `Bad credentials`, 404 `Not Found` for repositories
 *   the token may not administer, 422 `Validation Failed` with `errors`, x-ratelimit-* headers on
 *   every answer and 403 with x-ratelimit-remaining: 0 once the limit is used up, 403 without a
 *   User-Agent.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'

/** What one token poll answers. */
export type DevicePoll =
  'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'approved'

export interface StandInRepo {
  owner: string
  name: string
  private: boolean
  permission: 'admin' | 'push' | 'pull'
  pushedAt: string
  /** Commits a status may be set on. */
  commits: Set<string>
}

export interface StandInHook {
  id: number
  name: string
  active: boolean
  events: string[]
  config: { url: string; content_type: string; secret?: string; insecure_ssl: string }
}

export interface StandInKey {
  id: number
  title: string
  key: string
  read_only: boolean
}

export interface StandInStatus {
  sha: string
  state: string
  context: string
  description: string | null
  target_url: string | null
}

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

const DOCS = 'https://docs.github.com/rest'
const API_VERSIONS = ['2022-11-28']
/** The stand-in forgives this much timer jitter before it calls a poll early. */
export const POLL_JITTER_MS = 25

export class GitHubStandIn {
  readonly clientId = 'Ov23liStandIn0000001'
  readonly user = { login: 'octo-helvetia', id: 4242, name: 'Octo Helvetia' }
  /** The next device authorization answers its polls with these, in order; the last one repeats. */
  devicePlan: DevicePoll[] = ['approved']
  /** Seconds, as GitHub sends them (GitHub: 5 and 900). */
  deviceInterval = 1
  deviceExpiresIn = 900
  /** When the last device code was issued, and every poll since: when and what it was answered. */
  codeIssuedAt = 0
  lastUserCode = ''
  readonly polls: Array<{ at: number; answer: string }> = []
  /** Polls that came sooner than the interval allows. */
  earlyPolls = 0
  readonly tokens = new Set<string>()
  readonly repos: StandInRepo[] = []
  readonly hooks = new Map<string, StandInHook[]>()
  readonly keys = new Map<string, StandInKey[]>()
  readonly statuses = new Map<string, StandInStatus[]>()
  rateLimitRemaining = 5000
  readonly rateLimitReset = Math.floor(Date.now() / 1000) + 3600
  /** Every REST request, as received. */
  readonly requests: RecordedRequest[] = []
  /** REST calls answered 503 (GitHub having trouble), as `METHOD /path` patterns; a test sets them. */
  unavailable: RegExp[] = []
  /** Where Link headers point; a test changes it to play a misbehaving server. */
  linkOrigin = ''
  webUrl = ''
  apiUrl = ''

  #nextId = 1000
  #devices = new Map<
    string,
    { scope: string; step: number; interval: number; last: number; expiresAt: number }
  >()

  /** A token as an approved sign-in would have produced. */
  issueToken(): string {
    const token = `gho_${randomBytes(18).toString('hex')}`
    this.tokens.add(token)
    return token
  }

  addRepo(repo: Partial<StandInRepo> & { owner: string; name: string }): StandInRepo {
    const full: StandInRepo = {
      private: false,
      permission: 'admin',
      pushedAt: new Date().toISOString(),
      commits: new Set(),
      ...repo,
    }
    this.repos.push(full)
    return full
  }

  hooksOf(fullName: string): StandInHook[] {
    return this.hooks.get(fullName.toLowerCase()) ?? []
  }
  keysOf(fullName: string): StandInKey[] {
    return this.keys.get(fullName.toLowerCase()) ?? []
  }
  statusesOf(fullName: string): StandInStatus[] {
    return this.statuses.get(fullName.toLowerCase()) ?? []
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const url = new URL(req.url ?? '/', this.webUrl)
    if (req.method === 'POST' && url.pathname === '/login/device/code')
      return this.#deviceCode(req, res, body)
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token')
      return this.#poll(req, res, body)
    if (url.pathname.startsWith('/api/')) return this.#api(req, res, url, body)
    send(res, 404, { message: 'Not Found' })
  }

  #deviceCode(req: IncomingMessage, res: ServerResponse, body: string): void {
    const fields = formOrJson(req, body)
    if (fields.client_id !== this.clientId) return oauthError(req, res, 'incorrect_client_credentials')
    const deviceCode = randomBytes(20).toString('hex')
    const userCode = `${code4()}-${code4()}`
    this.codeIssuedAt = Date.now()
    this.lastUserCode = userCode
    this.polls.length = 0
    this.earlyPolls = 0
    this.#devices.set(deviceCode, {
      scope: fields.scope ?? '',
      step: 0,
      interval: this.deviceInterval,
      last: this.codeIssuedAt,
      expiresAt: this.codeIssuedAt + this.deviceExpiresIn * 1000,
    })
    oauthAnswer(req, res, {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: `${this.webUrl}/login/device`,
      expires_in: this.deviceExpiresIn,
      interval: this.deviceInterval,
    })
  }

  #poll(req: IncomingMessage, res: ServerResponse, body: string): void {
    const fields = formOrJson(req, body)
    const now = Date.now()
    const device = this.#devices.get(fields.device_code ?? '')
    const answer = (name: string, extra: Record<string, unknown> = {}): void => {
      this.polls.push({ at: now, answer: name })
      if (name !== 'approved') return oauthError(req, res, name, extra)
      // GitHub lists the granted scopes comma-separated.
      const scope = (device?.scope ?? '').split(' ').filter(Boolean).join(',')
      oauthAnswer(req, res, { access_token: this.issueToken(), token_type: 'bearer', scope })
    }
    if (fields.grant_type !== 'urn:ietf:params:oauth:grant-type:device_code')
      return answer('unsupported_grant_type')
    if (fields.client_id !== this.clientId) return answer('incorrect_client_credentials')
    if (!device) return answer('incorrect_device_code')
    if (now >= device.expiresAt) {
      this.#devices.delete(fields.device_code ?? '')
      return answer('expired_token')
    }
    const early = now - device.last < device.interval * 1000 - POLL_JITTER_MS
    device.last = now
    if (early) {
      this.earlyPolls++
      device.interval += 5
      return answer('slow_down', { interval: device.interval })
    }
    const planned = this.devicePlan[Math.min(device.step++, this.devicePlan.length - 1)] ?? 'approved'
    if (planned === 'slow_down') {
      device.interval += 5
      return answer('slow_down', { interval: device.interval })
    }
    if (planned !== 'authorization_pending') this.#devices.delete(fields.device_code ?? '')
    answer(planned)
  }

  async #api(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const path = url.pathname.slice('/api'.length)
    this.requests.push({ method: req.method ?? '', path: path + url.search, headers: req.headers })
    if (!req.headers['user-agent']) {
      return send(res, 403, {
        message:
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
      })
    }
    const version = req.headers['x-github-api-version']
    if (typeof version === 'string' && !API_VERSIONS.includes(version)) {
      return send(res, 400, { message: `Invalid API version provided: ${version}`, documentation_url: DOCS })
    }
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (!token || !this.tokens.has(token)) {
      return send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
    }
    if (this.rateLimitRemaining <= 0) {
      return send(
        res,
        403,
        {
          message: `API rate limit exceeded for user ID ${this.user.id}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        this.#rateHeaders(),
      )
    }
    this.rateLimitRemaining--
    const headers = this.#rateHeaders()
    const method = req.method ?? 'GET'
    if (this.unavailable.some((pattern) => pattern.test(`${method} ${path}`))) {
      return send(res, 503, { message: 'Service Unavailable' }, headers)
    }
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(body) as Record<string, unknown>
      } catch {
        return {}
      }
    }

    if (method === 'GET' && path === '/user') {
      return send(
        res,
        200,
        { ...this.user, type: 'User', html_url: `${this.webUrl}/${this.user.login}` },
        headers,
      )
    }
    if (method === 'GET' && path === '/user/repos') {
      const sort = url.searchParams.get('sort') ?? 'full_name'
      const direction = url.searchParams.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc')
      const key = (r: StandInRepo): string => (sort === 'pushed' ? r.pushedAt : `${r.owner}/${r.name}`)
      const sorted = [...this.repos].sort(
        (a, b) => key(a).localeCompare(key(b)) * (direction === 'asc' ? 1 : -1),
      )
      return this.#page(
        res,
        url,
        sorted.map((r) => this.#repoJson(r)),
        headers,
      )
    }

    const match = /^\/repos\/([^/]+)\/([^/]+)\/(hooks|keys|statuses)(?:\/([^/]+))?$/.exec(path)
    const repo =
      match &&
      this.repos.find(
        (r) =>
          r.owner.toLowerCase() === decodeURIComponent(match[1] ?? '').toLowerCase() &&
          r.name.toLowerCase() === decodeURIComponent(match[2] ?? '').toLowerCase(),
      )
    const needed = match?.[3] === 'statuses' ? ['admin', 'push'] : ['admin']
    if (!match || !repo || !needed.includes(repo.permission)) {
      return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' }, headers)
    }
    const fullName = `${repo.owner}/${repo.name}`.toLowerCase()
    const resource = match[3]
    const id = match[4]

    if (resource === 'hooks') {
      const hooks = this.hooks.get(fullName) ?? []
      this.hooks.set(fullName, hooks)
      if (method === 'GET' && !id)
        return this.#page(
          res,
          url,
          hooks.map((h) => this.#hookJson(repo, h)),
          headers,
        )
      const input = json() as Partial<StandInHook>
      const invalid = hookProblem(input)
      if (method === 'POST' && !id) {
        if (invalid) return validationFailed(res, 'Hook', invalid, headers)
        const duplicate = hooks.some(
          (h) =>
            h.config.url === input.config?.url &&
            h.events.some((e) => (input.events ?? ['push']).includes(e)),
        )
        if (duplicate) return validationFailed(res, 'Hook', 'Hook already exists on this repository', headers)
        const hook: StandInHook = {
          id: this.#nextId++,
          name: input.name ?? 'web',
          active: input.active ?? true,
          events: input.events ?? ['push'],
          config: hookConfig(input.config),
        }
        hooks.push(hook)
        return send(res, 201, this.#hookJson(repo, hook), headers)
      }
      const hook = hooks.find((h) => String(h.id) === id)
      if (method === 'PATCH' && hook) {
        if (input.config) {
          if (invalid) return validationFailed(res, 'Hook', invalid, headers)
          hook.config = hookConfig(input.config)
        }
        if (input.events) hook.events = input.events
        if (input.active !== undefined) hook.active = input.active
        return send(res, 200, this.#hookJson(repo, hook), headers)
      }
    }

    if (resource === 'keys' && method === 'POST' && !id) {
      const input = json() as Partial<StandInKey>
      const keys = this.keys.get(fullName) ?? []
      this.keys.set(fullName, keys)
      if (!/^ssh-(ed25519|rsa) [A-Za-z0-9+/]+=*( .*)?$/.test(input.key ?? '')) {
        return validationFailed(
          res,
          'PublicKey',
          'key is invalid. You must supply a key in OpenSSH public key format',
          headers,
          'key',
        )
      }
      const blob = (k: string): string => k.split(' ').slice(0, 2).join(' ')
      if ([...this.keys.values()].flat().some((k) => blob(k.key) === blob(input.key ?? ''))) {
        return validationFailed(res, 'PublicKey', 'key is already in use', headers, 'key')
      }
      const key: StandInKey = {
        id: this.#nextId++,
        title: input.title ?? '',
        key: blob(input.key ?? ''),
        read_only: input.read_only ?? false,
      }
      keys.push(key)
      return send(
        res,
        201,
        {
          ...key,
          url: `${this.apiUrl}${path}/${key.id}`,
          verified: true,
          created_at: new Date().toISOString(),
          added_by: this.user.login,
          last_used: null,
          enabled: true,
        },
        headers,
      )
    }

    if (resource === 'keys' && method === 'DELETE' && id) {
      const keys = this.keys.get(fullName) ?? []
      const index = keys.findIndex((k) => String(k.id) === id)
      if (index >= 0) {
        keys.splice(index, 1)
        res.writeHead(204, headers).end()
        return
      }
    }

    if (resource === 'statuses' && method === 'POST' && id) {
      const input = json() as Partial<StandInStatus>
      if (!['pending', 'success', 'failure', 'error'].includes(input.state ?? '')) {
        return validationFailed(res, 'Status', 'state is not included in the list', headers, 'state')
      }
      if (!repo.commits.has(id)) {
        return send(
          res,
          422,
          { message: `No commit found for SHA: ${id}`, documentation_url: DOCS, status: '422' },
          headers,
        )
      }
      const status: StandInStatus = {
        sha: id,
        state: input.state ?? '',
        context: input.context ?? 'default',
        description: input.description ?? null,
        target_url: input.target_url ?? null,
      }
      const list = this.statuses.get(fullName) ?? []
      this.statuses.set(fullName, list)
      list.push(status)
      return send(
        res,
        201,
        { id: this.#nextId++, url: `${this.apiUrl}${path}`, ...status, creator: { login: this.user.login } },
        headers,
      )
    }

    send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' }, headers)
  }

  /** per_page (default 30, at most 100) and page (from 1), with GitHub's Link header. */
  #page(res: ServerResponse, url: URL, items: unknown[], headers: Record<string, string>): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const link = (n: number, rel: string): string => {
      const target = new URL(url.pathname + url.search, this.linkOrigin || this.webUrl)
      target.searchParams.set('page', String(n))
      return `<${target}>; rel="${rel}"`
    }
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : []),
    ]
    send(res, 200, items.slice((page - 1) * perPage, page * perPage), {
      ...headers,
      ...(links.length ? { link: links.join(', ') } : {}),
    })
  }

  #repoJson(r: StandInRepo): Record<string, unknown> {
    const admin = r.permission === 'admin'
    return {
      id: this.#nextId++,
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: { login: r.owner },
      private: r.private,
      html_url: `${this.webUrl}/${r.owner}/${r.name}`,
      ssh_url: `git@github.com:${r.owner}/${r.name}.git`,
      clone_url: `${this.webUrl}/${r.owner}/${r.name}.git`,
      default_branch: 'main',
      pushed_at: r.pushedAt,
      permissions: { admin, maintain: admin, push: r.permission !== 'pull', triage: true, pull: true },
    }
  }

  #hookJson(repo: StandInRepo, h: StandInHook): Record<string, unknown> {
    const url = `${this.apiUrl}/repos/${repo.owner}/${repo.name}/hooks/${h.id}`
    // GitHub never shows a hook's secret back: it masks it.
    const { secret, ...config } = h.config
    return {
      type: 'Repository',
      id: h.id,
      name: h.name,
      active: h.active,
      events: h.events,
      config: secret ? { ...config, secret: '********' } : config,
      url,
      test_url: `${url}/test`,
      ping_url: `${url}/pings`,
      deliveries_url: `${url}/deliveries`,
      last_response: { code: null, status: 'unused', message: null },
    }
  }

  #rateHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, this.rateLimitRemaining)),
      'x-ratelimit-used': String(5000 - Math.max(0, this.rateLimitRemaining)),
      'x-ratelimit-reset': String(this.rateLimitReset),
      'x-ratelimit-resource': 'core',
    }
  }
}

/** Starts the stand-in on 127.0.0.1 for one test, closed after it. */
export async function startGitHubStandIn(t: TestContext): Promise<GitHubStandIn> {
  const standIn = new GitHubStandIn()
  const server = createServer((req, res) => {
    standIn.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  standIn.webUrl = `http://127.0.0.1:${port}`
  standIn.apiUrl = `${standIn.webUrl}/api`
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return standIn
}

/** The environment that points the `helvetia` command at the stand-in. */
export function standInEnv(standIn: GitHubStandIn): NodeJS.ProcessEnv {
  return {
    HELVETIA_GITHUB_URL: standIn.webUrl,
    HELVETIA_GITHUB_API_URL: standIn.apiUrl,
    HELVETIA_GITHUB_CLIENT_ID: standIn.clientId,
  }
}

function hookProblem(input: Partial<StandInHook>): string | null {
  if (!input.config?.url || !/^https?:\/\/[^\s]+$/.test(input.config.url))
    return 'Config must contain URL for webhooks'
  const known = ['push', 'pull_request', 'ping', '*']
  if (input.events && !input.events.every((e) => known.includes(e))) return 'Invalid event'
  return null
}

function hookConfig(config: Partial<StandInHook['config']> | undefined): StandInHook['config'] {
  return {
    url: config?.url ?? '',
    content_type: config?.content_type ?? 'form',
    ...(config?.secret ? { secret: config.secret } : {}),
    insecure_ssl: config?.insecure_ssl ?? '0',
  }
}

function validationFailed(
  res: ServerResponse,
  resource: string,
  message: string,
  headers: Record<string, string>,
  field?: string,
): void {
  send(
    res,
    422,
    {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', ...(field ? { field } : {}), message }],
      documentation_url: DOCS,
      status: '422',
    },
    headers,
  )
}

const DESCRIPTIONS: Record<string, string> = {
  authorization_pending: 'The authorization request is still pending.',
  slow_down: 'Too many requests have been made in the same timeframe.',
  expired_token: 'The `device_code` has expired.',
  access_denied: 'The authorization request was denied.',
  unsupported_grant_type: 'The grant type is not supported.',
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  incorrect_device_code: 'The device_code provided is not valid.',
}

/** Device-flow errors come back as HTTP 200 with an `error` field, as GitHub sends them. */
function oauthError(
  req: IncomingMessage,
  res: ServerResponse,
  error: string,
  extra: Record<string, unknown> = {},
): void {
  oauthAnswer(req, res, {
    error,
    error_description: DESCRIPTIONS[error] ?? error,
    error_uri:
      'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow',
    ...extra,
  })
}

/** JSON for Accept: application/json, else GitHub's default, form-encoded. */
function oauthAnswer(req: IncomingMessage, res: ServerResponse, fields: Record<string, unknown>): void {
  if ((req.headers.accept ?? '').includes('application/json')) return send(res, 200, fields)
  const text = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString()
  res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }).end(text)
}

function formOrJson(req: IncomingMessage, body: string): Record<string, string | undefined> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return JSON.parse(body) as Record<string, string>
    } catch {
      return {}
    }
  }
  return Object.fromEntries(new URLSearchParams(body))
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const LETTERS = 'BCDFGHJKLMNPQRSTVWXZ'
function code4(): string {
  return Array.from(randomBytes(4), (b) => LETTERS[b % LETTERS.length]).join('')
}
