/**
 * Renders a template for one app: each variable's value (given by the user, kept from the installed
 * version, or generated), then the compose file with `${NAME}` replaced. The compose file is walked
 * as YAML and written out again, so a value (whatever its characters) can only ever be a value.
 * Secret values stay out of the file the app stores: there they remain `${NAME}`, and their values
 * go to the app's secret env, which the deploy interpolates (only the preview shows them, masked).
 */
import { dump, load } from 'js-yaml'
import type { RenderedTemplate } from '../../api/catalog'
import { connectionUrl } from '../databases/engines'
import { UserError } from '../errors'
import { DEFAULT_MASK } from '../rules/secret-forms'
import { variableReferences } from './compose-file'
import { generateRandom } from './generators'
import { urlVariable } from './template-check'
import type { LoadedTemplate } from './template-store'
import { isSecret, type TemplateMeta, type VariableSpec } from './template-schema'

export interface RenderInput {
  /** The app's first domain: its host, and whether it is served over HTTPS. */
  domain: { host: string; https: boolean }
  /** Values the user gave, by variable name (an unknown name is refused). */
  values?: Record<string, string>
  /** Values of the installed version (an upgrade keeps them). */
  kept?: Record<string, string>
}

export interface Rendering {
  values: { name: string; value: string; secret: boolean; generated: boolean }[]
  /** With secret values in it: for the preview only (masked unless revealed). */
  compose: (secrets: 'reveal' | 'mask' | 'reference') => string
  routes: RenderedTemplate['routes']
  warnings: string[]
}

/** The secret variables: declared so, or a value built from one. */
function secretNames(meta: TemplateMeta): Set<string> {
  const secret = new Set(meta.variables.filter(isSecret).map((v) => v.name))
  for (let grew = true; grew;) {
    grew = false
    for (const v of meta.variables) {
      const refs = v.generator?.kind === 'value' ? variableReferences(v.generator.value) : []
      if (!secret.has(v.name) && refs.some((r) => secret.has(r))) grew = Boolean(secret.add(v.name))
    }
  }
  return secret
}

const interpolate = (text: string, value: (name: string) => string): string =>
  text.replace(/\$\$|\$\{([A-Z][A-Z0-9_]*)\}/g, (match, name: string | undefined) =>
    name === undefined ? match : value(name),
  )

/** Each variable's value, resolved in dependency order. */
function resolveValues(
  meta: TemplateMeta,
  input: RenderInput,
): Map<string, { value: string; generated: boolean }> {
  const given = input.values ?? {}
  const byName = new Map(meta.variables.map((v) => [v.name, v]))
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      throw new UserError(
        'INVALID_OPTION',
        `The template has no variable ${name}.`,
        `Its variables: ${[...byName.keys()].join(', ')}.`,
        {
          field: `values.${name}`,
        },
      )
    }
    if (/[\r\n\0]/.test(given[name] ?? '')) {
      throw new UserError(
        'INVALID_OPTION',
        `The value of ${name} holds a line break.`,
        'Give a one-line value.',
        { field: `values.${name}` },
      )
    }
  }
  const resolved = new Map<string, { value: string; generated: boolean }>()
  const resolving = new Set<string>()
  const resolve = (v: VariableSpec): string => {
    const done = resolved.get(v.name)
    if (done) return done.value
    if (resolving.has(v.name))
      throw new UserError('TEMPLATE_INVALID', `The variable ${v.name} refers to itself.`, 'Fix the template.')
    resolving.add(v.name)
    const value = given[v.name] ?? input.kept?.[v.name] ?? generate(v)
    resolved.set(v.name, { value, generated: given[v.name] === undefined })
    return value
  }
  const generate = (v: VariableSpec): string => {
    const g = v.generator
    if (!g) {
      throw new UserError(
        'VALUE_REQUIRED',
        `${v.name} needs a value: ${v.description}`,
        `Give it with --set ${v.name}=VALUE.`,
        {
          field: `values.${v.name}`,
        },
      )
    }
    if (g.kind === 'domain') return input.domain.host
    if (g.kind === 'value') return interpolate(g.value, (name) => resolve(byName.get(name) as VariableSpec))
    if (g.kind === 'database-url') {
      const db = meta.databases.find((d) => d.name === g.database)
      if (!db)
        throw new UserError('TEMPLATE_INVALID', `${v.name}: no database ${g.database}.`, 'Fix the template.')
      const password = resolve(byName.get(db.password) as VariableSpec)
      const credentials = { user: db.user ?? '', database: db.database ?? '', password }
      return connectionUrl(db.engine === 'mariadb' ? 'mysql' : db.engine, db.service, credentials)
    }
    return generateRandom(g) as string
  }
  for (const v of meta.variables) resolve(v)
  return resolved
}

/** Replaces `${NAME}` in every string of the parsed compose file (keys stay as written). */
function mapStrings(node: unknown, map: (text: string) => string): unknown {
  if (typeof node === 'string') return map(node)
  if (Array.isArray(node)) return node.map((item) => mapStrings(item, map))
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, mapStrings(value, map)]))
  }
  return node
}

/** The compose file without `services` (and what only they used: their volumes, others' depends_on them). */
function withoutServices(doc: unknown, services: string[]): unknown {
  if (services.length === 0) return doc
  const file = doc as { services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown> }
  const dropped = new Set(services)
  const kept = Object.entries(file.services).filter(([name]) => !dropped.has(name))
  const mounts = new Set(
    kept.flatMap(([, body]) =>
      (Array.isArray(body.volumes) ? body.volumes : []).map((m) => String(m).split(':')[0]),
    ),
  )
  const dependsOn = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.filter((s) => !dropped.has(String(s)))
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).filter(([s]) => !dropped.has(s)))
        : value
  const { volumes = {}, ...rest } = file
  const keptVolumes = Object.entries(volumes).filter(([name]) => mounts.has(name))
  return {
    ...rest,
    services: Object.fromEntries(
      kept.map(([name, body]) => [
        name,
        body.depends_on === undefined ? body : { ...body, depends_on: dependsOn(body.depends_on) },
      ]),
    ),
    ...(keptVolumes.length > 0 ? { volumes: Object.fromEntries(keptVolumes) } : {}),
  }
}

export function renderTemplate(template: LoadedTemplate, input: RenderInput): Rendering {
  const { meta } = template
  const resolved = resolveValues(meta, input)
  const secret = secretNames(meta)
  // A database the user gave the URL of (one of Helvetia's) replaces the template's own service.
  const external = meta.databases.filter((db) => {
    const url = urlVariable(meta, db.name)
    return db.helvetia && url !== undefined && input.values?.[url] !== undefined
  })
  const parsed = withoutServices(
    load(template.compose),
    external.map((db) => db.service),
  )
  const valueOf = (name: string) => resolved.get(name)?.value ?? ''
  const compose = (secrets: 'reveal' | 'mask' | 'reference') => {
    const substitute = (name: string) => {
      if (!secret.has(name) || secrets === 'reveal') return valueOf(name).replaceAll('$', '$$$$')
      return secrets === 'mask' ? DEFAULT_MASK : `\${${name}}`
    }
    return dump(
      mapStrings(parsed, (text) => interpolate(text, substitute)),
      { lineWidth: -1, noRefs: true },
    )
  }
  const routes = meta.ports.map((route) => {
    const host = valueOf(route.domain)
    return {
      service: route.service,
      domains: [input.domain.https ? host : `http://${host}`],
      port: route.port,
    }
  })
  const warnings = meta.databases
    .filter((db) => db.helvetia && !external.includes(db))
    .map(
      (db) =>
        `${db.name} runs as the template's own ${db.engine} service; to use one of Helvetia's databases instead, give its URL (helvetia db info) to ${urlVariable(meta, db.name)}.`,
    )
  return {
    values: meta.variables.map((v) => ({
      name: v.name,
      value: valueOf(v.name),
      secret: secret.has(v.name),
      generated: resolved.get(v.name)?.generated ?? true,
    })),
    compose,
    routes,
    warnings,
  }
}
