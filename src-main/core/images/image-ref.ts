/**
 * Image references and registry hosts, checked by the rules the server's scripts use too
 * (core/rules/patterns.ts), and the registry a reference is pulled from.
 */
import { invalidOption } from '../errors'
import { PATTERNS, whole } from '../rules/patterns'

const IMAGE = whole(PATTERNS.image)
const REGISTRY_HOST = whole(PATTERNS.registryHost)
/** Docker's limit on a repository's name, registry included. */
const MAX_NAME = 255

/** Docker Hub: the registry of a reference that names none (`nginx:1.27`, `library/redis`). */
export const DOCKER_HUB = 'docker.io'

/** A checked image reference (`REF`), or INVALID_OPTION at `field`. */
export function validateImageRef(ref: string, field = 'image'): string {
  const name = ref.replace(/(:[^:/@]*)?(@.*)?$/, '')
  if (!IMAGE.test(ref) || name.length > MAX_NAME) {
    throw invalidOption(
      'image',
      ref,
      'an image reference such as ghcr.io/owner/app:1.2, registry.example.com:5000/app@sha256:… or nginx:1.27',
      field,
    )
  }
  return ref
}

/** A registry's host as `registry add` takes it (`registry.example.com`, `127.0.0.1:5000`), lower-cased. */
export function validateRegistryHost(host: string, field = 'host'): string {
  const lower = host.toLowerCase()
  if (!REGISTRY_HOST.test(lower) || lower.length > MAX_NAME) {
    throw invalidOption(
      'registry',
      host,
      'a host as image references name it, such as ghcr.io or 127.0.0.1:5000',
      field,
    )
  }
  // Docker Hub has several names; its logins are kept under one.
  return ['index.docker.io', 'registry-1.docker.io'].includes(lower) ? DOCKER_HUB : lower
}

/**
 * The registry REF is pulled from: its first part when that names a host (it holds a `.` or a `:`, or
 * is `localhost`, as Docker reads it), else Docker Hub.
 */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/')
  const first = slash < 0 ? '' : ref.slice(0, slash)
  const isHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')
  return isHost ? validateRegistryHost(first) : DOCKER_HUB
}
