/**
 * A template's compose file as the catalogue reads it: its services, their images and mounts, and the
 * `${NAME}` references it makes. Only the parts a template may use are read; what would clash with
 * Helvetia's own routing and naming (published ports, fixed container names) is refused.
 */
import { load } from 'js-yaml'
import { UserError } from '../errors'

export interface ComposeService {
  name: string
  image: string | null
  /** `NAME:/path` mounts of named volumes. */
  volumes: { name: string; path: string }[]
}

export interface ComposeFile {
  services: ComposeService[]
  /** Top-level named volumes. */
  volumes: string[]
}

const bad = (what: string, hint: string): UserError => new UserError('TEMPLATE_INVALID', what, hint)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `NAME:/path[:ro]` in short syntax, or `{type: volume, source, target}`; bind mounts are left out. */
function namedMount(entry: unknown): { name: string; path: string } | null {
  if (typeof entry === 'string') {
    const [source, path] = entry.split(':')
    return source && path && !source.startsWith('.') && !source.startsWith('/')
      ? { name: source, path }
      : null
  }
  if (isRecord(entry) && entry.type === 'volume' && typeof entry.source === 'string')
    return { name: entry.source, path: String(entry.target) }
  return null
}

/** Parses a compose file (YAML) into the services and volumes a template may declare. */
export function parseCompose(text: string, where: string): ComposeFile {
  let doc: unknown
  try {
    doc = load(text, { filename: where })
  } catch (error) {
    throw bad(`${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'Fix the file.')
  }
  if (!isRecord(doc) || !isRecord(doc.services) || Object.keys(doc.services).length === 0) {
    throw bad(`${where} has no services.`, 'A compose file lists its services under `services:`.')
  }
  const services = Object.entries(doc.services).map(([name, body]): ComposeService => {
    if (!isRecord(body)) throw bad(`${where}: service ${name} is empty.`, 'Give it an image.')
    if (body.ports !== undefined) {
      throw bad(
        `${where}: service ${name} publishes ports.`,
        'Helvetia routes to a service through its proxy: name its port in the template’s `ports`, or use `expose`.',
      )
    }
    if (body.container_name !== undefined) {
      throw bad(
        `${where}: service ${name} sets container_name.`,
        'Leave it out: Helvetia names containers per app.',
      )
    }
    const mounts = Array.isArray(body.volumes) ? body.volumes : []
    return {
      name,
      image: typeof body.image === 'string' ? body.image : null,
      volumes: mounts.map(namedMount).filter((m) => m !== null),
    }
  })
  return { services, volumes: isRecord(doc.volumes) ? Object.keys(doc.volumes) : [] }
}

/** The `${NAME}` references of a text, in order of first use; `$$` is a literal dollar. */
export function variableReferences(text: string): string[] {
  const found = new Set<string>()
  for (const match of text.matchAll(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (match[0] === '$$') continue
    found.add(match[1] ?? match[2] ?? '')
  }
  return [...found]
}

/**
 * Whether an image reference pins its version: a digest, or a tag other than `latest` (and other
 * moving names). `ghost` and `ghost:latest` are not.
 */
export function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true
  const lastPart = image.slice(image.lastIndexOf('/') + 1)
  const colon = lastPart.indexOf(':')
  if (colon === -1) return false
  const tag = lastPart.slice(colon + 1)
  return tag !== '' && !['latest', 'stable', 'main', 'master', 'edge', 'nightly'].includes(tag)
}
