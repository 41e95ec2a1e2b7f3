/**
 * A Coolify compose template (github.com/coollabsio/coolify, templates/compose/<id>.yaml): a compose
 * file with `# documentation:`, `# slogan:`, `# tags:` and `# port:` header comments, whose magic
 * variables Coolify fills in: SERVICE_FQDN_<SVC>[_<PORT>] (the service's host, and that it is routed
 * on that port), SERVICE_URL_<SVC> (https:// and the host), SERVICE_PASSWORD[_64]_<ID>,
 * SERVICE_BASE64[_64|_128]_<ID>, SERVICE_USER_<ID>; any other `${NAME:-default}` is the user's.
 */
import { load } from 'js-yaml'
import { UserError } from '../errors'
import { type ComposeDoc, type Draft, environmentOf, variableName } from './import-draft'
import type { GeneratorSpec, VariableSpec } from './template-schema'

const MAGIC = /^SERVICE_(FQDN|URL|PASSWORD|BASE64|USER)(?:_(64|128))?_([A-Z0-9_]+?)(?:_(\d+))?$/

function header(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^#\s*([a-z]+):\s*(.*)$/.exec(line)
    if (match) fields[match[1] as string] = (match[2] as string).trim()
    else if (line.trim() !== '' && !line.startsWith('#')) break
  }
  return fields
}

/** Coolify's service identifier (GHOST) back to the compose service's name (ghost). */
const serviceNamed = (compose: ComposeDoc, id: string) =>
  Object.keys(compose.services).find((s) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_') === id)

export function readCoolify(id: string, text: string): Draft {
  const meta = header(text)
  const variables = new Map<string, VariableSpec>()
  const ports: Draft['ports'] = []
  const compose = load(text) as ComposeDoc
  if (!compose?.services)
    throw new UserError('TEMPLATE_INVALID', `${id} has no services.`, 'Give a Coolify compose template.')
  const domainOf = (svcId: string, port?: string): string => {
    const service = serviceNamed(compose, svcId)
    if (!service)
      throw new UserError('TEMPLATE_INVALID', `SERVICE_FQDN_${svcId} names no service.`, 'Fix the template.')
    const name = ports.length === 0 || ports[0]?.service === service ? 'DOMAIN' : `${svcId}_DOMAIN`
    const routePort = Number(port ?? meta.port ?? NaN)
    if (!ports.some((p) => p.service === service) && Number.isInteger(routePort))
      ports.push({ service, port: routePort, domain: name })
    if (!variables.has(name))
      variables.set(name, {
        name,
        description: `The domain ${service} answers on.`,
        generator: { kind: 'domain' },
      })
    return name
  }
  /** Our variable for a magic one (made on first use). */
  const magic = (whole: string): string | null => {
    const m = MAGIC.exec(whole)
    if (!m) return null
    const [, kind, size, svcId = '', port] = m
    if (kind === 'FQDN') return domainOf(svcId, port)
    if (kind === 'URL') {
      const name = `${svcId}_URL`
      const domain = domainOf(svcId, port)
      variables.set(name, {
        name,
        description: `The public URL of ${svcId.toLowerCase()}.`,
        generator: { kind: 'value', value: `https://\${${domain}}` },
      })
      return name
    }
    const length = Number(size ?? 32)
    const spec: Record<string, [string, GeneratorSpec, boolean]> = {
      PASSWORD: [`${svcId}_PASSWORD`, { kind: 'password', length }, true],
      USER: [`${svcId}_USER`, { kind: 'password', length: 16 }, false],
      BASE64: [
        /_(SECRET|KEY)$/.test(svcId) ? svcId : `${svcId}_SECRET`,
        { kind: 'secret', bytes: length, encoding: 'base64' },
        true,
      ],
    }
    const [name, generator, secret] = spec[kind as string] as [string, GeneratorSpec, boolean]
    variables.set(name, { name, description: `Generated (Coolify's ${whole}).`, secret, generator })
    return name
  }
  // Routes first: a bare `SERVICE_FQDN_X_PORT` entry only declares one.
  for (const body of Object.values(compose.services)) {
    for (const [key, value] of Object.entries(environmentOf(body)))
      if (key.startsWith('SERVICE_FQDN_') && value === '') magic(key)
  }
  const rewrite = (value: string): string =>
    value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_, braced?: string, fallback?: string, bare?: string) => {
        const ref = (braced ?? bare) as string
        const name = magic(ref) ?? variableName(ref)
        if (!variables.has(name)) {
          variables.set(name, {
            name,
            description: `Coolify's ${ref}.`,
            ...(fallback !== undefined ? { generator: { kind: 'value', value: fallback } } : {}),
          })
        }
        return `\${${name}}`
      },
    )
  /** An env value built from variables becomes a variable of the env's name (as Dokploy's env and ours). */
  const lift = (key: string, value: string): string => {
    const name = variableName(key)
    if (!value.includes('${') || /^\$\{[A-Z0-9_]+\}$/.test(value) || variables.has(name)) return value
    variables.set(name, { name, description: `Coolify's ${key}.`, generator: { kind: 'value', value } })
    return `\${${name}}`
  }
  for (const body of Object.values(compose.services)) {
    const env = Object.entries(environmentOf(body)).filter(
      ([key, value]) => !(MAGIC.test(key) && value === ''),
    )
    if (body.environment !== undefined)
      body.environment = Object.fromEntries(env.map(([k, v]) => [k, lift(k, rewrite(v))]))
    for (const field of ['command', 'entrypoint', 'healthcheck']) {
      if (body[field] !== undefined) body[field] = JSON.parse(rewrite(JSON.stringify(body[field]))) as unknown
    }
  }
  const tags = (meta.tags ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
  return {
    id,
    name: id,
    description: meta.slogan || `${id}, imported from a Coolify template.`,
    category: /^[a-z][a-z-]*$/.test(tags[0] ?? '') ? (tags[0] as string) : 'imported',
    website: meta.documentation?.startsWith('http') ? meta.documentation : null,
    variables: [...variables.values()],
    ports,
    compose,
    warnings: [],
  }
}
