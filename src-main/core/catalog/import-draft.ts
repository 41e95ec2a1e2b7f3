/**
 * What both importers (Dokploy's blueprints, Coolify's compose templates) share: once their variable
 * conventions are turned into ours, the rest of a template is read off the compose file the same
 * way: images, routes, named volumes, the databases its services run and the URLs that reach them.
 * Published ports are dropped (Helvetia's proxy routes instead). The result is checked like any
 * template before anyone sees it.
 */
import { dump } from 'js-yaml'
import { UserError } from '../errors'
import { parseTemplate } from './template-store'
import type { TemplateMeta, VariableSpec } from './template-schema'

export type ComposeDoc = {
  services: Record<string, Record<string, unknown>>
  volumes?: Record<string, unknown>
  [key: string]: unknown
}

export interface Draft {
  id: string
  name: string
  description: string
  category: string
  website: string | null
  variables: VariableSpec[]
  ports: TemplateMeta['ports']
  compose: ComposeDoc
  warnings: string[]
}

/** The engine of an official database image (`postgres:16-alpine`, `bitnami/mysql` is none). */
const ENGINE_OF: Record<string, TemplateMeta['databases'][number]['engine']> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  redis: 'redis',
  mongo: 'mongodb',
}
/** The env names by which the official images take a database's password, user and name. */
const CREDENTIAL_ENV = {
  password: ['POSTGRES_PASSWORD', 'MARIADB_PASSWORD', 'MYSQL_PASSWORD', 'MONGO_INITDB_ROOT_PASSWORD'],
  user: ['POSTGRES_USER', 'MARIADB_USER', 'MYSQL_USER', 'MONGO_INITDB_ROOT_USERNAME'],
  database: ['POSTGRES_DB', 'MARIADB_DATABASE', 'MYSQL_DATABASE', 'MONGO_INITDB_DATABASE'],
}

/** A service's environment as a map, from either of compose's forms. */
export function environmentOf(service: Record<string, unknown>): Record<string, string> {
  const env = service.environment
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry)
        const eq = text.indexOf('=')
        return eq === -1 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)]
      }),
    )
  }
  if (typeof env === 'object' && env !== null)
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]))
  return {}
}

const imageName = (image: string) => (image.split('/').at(-1) ?? '').split(/[:@]/)[0] ?? ''
const tagOf = (image: string) => (image.includes(':') ? (image.split(':').at(-1) ?? '') : '')
/** `${NAME}` alone, as an env value holding one variable's value is written. */
const onlyReference = (value: string | undefined) => /^\$\{([A-Z][A-Z0-9_]*)\}$/.exec(value ?? '')?.[1]

function databasesOf(draft: Draft): TemplateMeta['databases'] {
  const databases: TemplateMeta['databases'] = []
  for (const [service, body] of Object.entries(draft.compose.services)) {
    const engine = ENGINE_OF[imageName(String(body.image ?? ''))]
    if (!engine) continue
    const env = environmentOf(body)
    const pick = (names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '')
    const password = onlyReference(pick(CREDENTIAL_ENV.password))
    if (!password) continue
    const sql = engine !== 'redis'
    // The official images' own defaults.
    const user = pick(CREDENTIAL_ENV.user) ?? (engine === 'postgres' ? 'postgres' : 'root')
    const database = pick(CREDENTIAL_ENV.database) ?? user
    const url = draft.variables.find(
      (v) => v.generator?.kind === 'value' && isUrlOf(v.generator.value, service, password),
    )
    if (url) url.generator = { kind: 'database-url', database: service }
    databases.push({
      name: service,
      engine,
      service,
      ...(sql ? { user, database } : {}),
      password,
      helvetia: url !== undefined,
    })
  }
  return databases
}

/** A connection URL to `service` with the password `${password}` in it: a database-url variable. */
const isUrlOf = (value: string, service: string, password: string) =>
  new RegExp(`^(postgres|postgresql|mysql|redis|mongodb)://[^@]*\\$\\{${password}\\}@${service}[:/]`).test(
    value,
  )

/** Turns a draft into a checked template (TEMPLATE_INVALID says what to fix in the source). */
export function finishDraft(draft: Draft): { meta: TemplateMeta; compose: string } {
  // Helvetia's templates call the app's own domain DOMAIN.
  const primary = draft.ports[0]?.domain
  if (primary && primary !== 'DOMAIN' && !draft.variables.some((v) => v.name === 'DOMAIN')) {
    renameVariable(draft, primary, 'DOMAIN')
  }
  const images: Record<string, string> = {}
  const declared = new Set(Object.keys(draft.compose.volumes ?? {}))
  const volumes: TemplateMeta['volumes'] = []
  for (const [service, body] of Object.entries(draft.compose.services)) {
    if (typeof body.image !== 'string') {
      throw new UserError(
        'TEMPLATE_INVALID',
        `The service ${service} builds its image.`,
        'A template runs images only: give it an image.',
      )
    }
    images[service] = body.image
    if (body.ports !== undefined) {
      delete body.ports
      draft.warnings.push(`The ports ${service} published are dropped: Helvetia's proxy routes to it.`)
    }
    for (const mount of Array.isArray(body.volumes) ? body.volumes : []) {
      const [name, path] = String(mount).split(':')
      if (!name || !path) continue
      if (name.startsWith('.') || name.startsWith('/')) {
        throw new UserError(
          'TEMPLATE_UNSUPPORTED',
          `The service ${service} mounts the file or folder ${name}.`,
          'Templates mount named volumes only: make it a named volume, or put the file in the image.',
        )
      }
      volumes.push({ service, name, path })
      declared.add(name)
    }
  }
  draft.compose.volumes = Object.fromEntries(
    [...declared].map((name) => [name, draft.compose.volumes?.[name] ?? null]),
  )
  if (declared.size === 0) delete draft.compose.volumes
  const routed = draft.ports[0]
  const meta: TemplateMeta = {
    name: draft.name,
    description: draft.description,
    category: draft.category,
    version: '1.0.0',
    appVersion: (routed && tagOf(images[routed.service] ?? '')) || 'unknown',
    website: draft.website,
    images,
    variables: draft.variables,
    ports: draft.ports,
    volumes,
    databases: databasesOf(draft),
  }
  const compose = dump(draft.compose, { lineWidth: -1, noRefs: true })
  parseTemplate(JSON.stringify(meta), compose, draft.id)
  return { meta, compose }
}

/** Our name for an imported variable: UPPER_SNAKE_CASE. */
export const variableName = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')

/** Renames a variable, and every `${from}` in the other variables, the routes and the compose file. */
export function renameVariable(draft: Draft, from: string, to: string): void {
  const swap = (text: string) => text.replaceAll(`\${${from}}`, `\${${to}}`)
  for (const v of draft.variables) {
    if (v.name === from) v.name = to
    if (v.generator?.kind === 'value') v.generator = { kind: 'value', value: swap(v.generator.value) }
  }
  for (const p of draft.ports) if (p.domain === from) p.domain = to
  draft.compose = JSON.parse(swap(JSON.stringify(draft.compose))) as ComposeDoc
}
