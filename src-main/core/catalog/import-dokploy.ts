/**
 * Dokploy's blueprint layout (github.com/Dokploy/templates, blueprints/<id>/): a docker-compose.yml
 * and a template.toml whose [variables] use helpers (`${password:32}`, `${base64:64}`, `${domain}`,
 * `${uuid}`, …) and name each other (`${main_domain}`), [[config.domains]] routes a service's port to
 * a host, [config.env] (or `env = ["K=V"]`) gives the compose file its variables, and
 * [[config.mounts]] writes files (not supported: a template mounts named volumes only).
 */
import { load } from 'js-yaml'
import { UserError } from '../errors'
import { variableReferences } from './compose-file'
import { type ComposeDoc, type Draft, variableName } from './import-draft'
import { parseToml, type Table } from './toml'
import type { GeneratorSpec, VariableSpec } from './template-schema'

/** A Dokploy helper as our generator; `exact: false` when ours only approximates it. */
function helper(expr: string): { generator: GeneratorSpec | null; exact: boolean } | null {
  const [name, arg] = expr.split(':')
  const n = arg === undefined ? undefined : Number(arg)
  switch (name) {
    case 'domain':
      return { generator: { kind: 'domain' }, exact: true }
    case 'password':
      return { generator: { kind: 'password', length: n ?? 32 }, exact: true }
    case 'base64':
      return { generator: { kind: 'secret', bytes: n ?? 32, encoding: 'base64' }, exact: true }
    case 'hash':
      return { generator: { kind: 'secret', bytes: Math.ceil((n ?? 32) / 2), encoding: 'hex' }, exact: true }
    case 'uuid':
    case 'jwt':
      return { generator: { kind: 'secret', bytes: 16, encoding: 'hex' }, exact: false }
    case 'username':
      return { generator: { kind: 'password', length: 12 }, exact: false }
    case 'email':
      return { generator: null, exact: true }
    default:
      return null
  }
}

const envEntries = (config: Table): [string, string][] => {
  const env = config.env
  if (Array.isArray(env)) {
    return env.map((line) => {
      const text = String(line)
      const eq = text.indexOf('=')
      return [text.slice(0, eq), text.slice(eq + 1)]
    })
  }
  if (typeof env === 'object' && env !== null) return Object.entries(env).map(([k, v]) => [k, String(v)])
  return []
}

export function readDokploy(id: string, composeText: string, tomlText: string): Draft {
  const toml = parseToml(tomlText)
  const config = (toml.config ?? {}) as Table
  if (Array.isArray(config.mounts) && config.mounts.length > 0) {
    throw new UserError(
      'TEMPLATE_UNSUPPORTED',
      `${id} writes configuration files ([[config.mounts]]).`,
      'Templates mount named volumes only: put the file in an image, or leave the blueprint out.',
    )
  }
  const warnings: string[] = []
  const rename = new Map<string, string>()
  const variables = new Map<string, VariableSpec>()
  /** A value with helpers and references turned into our `${NAME}`s (a helper becomes a variable of its own). */
  const convert = (value: string, owner: string): { text: string; generator?: GeneratorSpec | null } => {
    const whole = /^\$\{([^}]+)\}$/.exec(value)?.[1]
    const own = whole !== undefined && !variables.has(variableName(whole)) ? helper(whole) : null
    if (own) {
      if (!own.exact)
        warnings.push(`${owner}: Dokploy's \${${whole}} became ${JSON.stringify(own.generator)}.`)
      return { text: value, generator: own.generator }
    }
    const text = value.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
      const name = variableName(ref)
      if (!variables.has(name) && !rename.has(ref)) throw unknownHelper(ref, owner)
      return `\${${rename.get(ref) ?? name}}`
    })
    return { text }
  }
  const add = (name: string, value: string, description: string) => {
    const { text, generator } = convert(value, name)
    const spec: VariableSpec = {
      name,
      description,
      ...(generator !== undefined
        ? generator
          ? { generator }
          : {}
        : { generator: { kind: 'value', value: text } }),
    }
    variables.set(name, spec)
  }
  for (const [key, value] of Object.entries((toml.variables ?? {}) as Table))
    add(variableName(key), String(value), `Dokploy's ${key}.`)
  // An env entry that only passes a variable on takes it over under the env's name, as compose sees it.
  for (const [key, value] of envEntries(config)) {
    const ref = /^\$\{([^}]+)\}$/.exec(value)?.[1]
    const source = ref === undefined ? undefined : variables.get(variableName(ref))
    if (source && ref !== undefined) {
      variables.delete(source.name)
      variables.set(variableName(key), { ...source, name: variableName(key) })
      rename.set(ref, variableName(key))
      retarget(variables, source.name, variableName(key))
    } else add(variableName(key), value, `Dokploy's env ${key}.`)
  }
  const ports = ((config.domains ?? []) as Table[]).map((domain) => {
    const host = convert(String(domain.host), 'a domain').text
    const hostVar = /^\$\{([A-Z0-9_]+)\}$/.exec(host)?.[1]
    if (!hostVar)
      throw new UserError(
        'TEMPLATE_INVALID',
        `A domain's host is ${host}.`,
        'Give it a variable made with ${domain}.',
      )
    return { service: String(domain.serviceName), port: Number(domain.port), domain: hostVar }
  })
  const compose = load(
    composeText.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-[^}]*)?\}/g,
      (_, n: string) => `\${${variableName(n)}}`,
    ),
  ) as ComposeDoc
  for (const ref of variableReferences(JSON.stringify(compose))) {
    if (!variables.has(ref)) throw unknownHelper(ref, 'docker-compose.yml')
  }
  return {
    id,
    name: id,
    description: `${id}, imported from a Dokploy blueprint.`,
    category: 'imported',
    website: null,
    variables: [...variables.values()],
    ports,
    compose,
    warnings,
  }
}

/** After `from` was renamed `to`, values that named it name the new one. */
function retarget(variables: Map<string, VariableSpec>, from: string, to: string): void {
  for (const v of variables.values()) {
    if (v.generator?.kind === 'value')
      v.generator = { kind: 'value', value: v.generator.value.replaceAll(`\${${from}}`, `\${${to}}`) }
  }
}

const unknownHelper = (ref: string, where: string) =>
  new UserError(
    'TEMPLATE_UNSUPPORTED',
    `${where} uses \${${ref}}, which is neither a variable nor a helper Helvetia knows.`,
    'Define it in [variables].',
  )
