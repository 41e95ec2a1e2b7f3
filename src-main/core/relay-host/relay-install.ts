import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Domain } from '../deploy/app-spec'
import { caddyRoute, traefikRoute } from '../deploy/proxy-routes'
import { UserError } from '../errors'
import { PATTERNS } from '../proxy/validation'
import { tarArchive, type TarFile } from '../source/tar-writer'

/** The port the relay listens on inside its container. */
export const RELAY_PORT = 8787
/** What official servers build the relay from (Node 22 LTS; pulled on the server). */
export const DEFAULT_RELAY_BASE_IMAGE = 'node:22-alpine'

/** The relay's container on a server, also its name on the app network. */
export const relayContainer = (prefix: string) => `${prefix}-relay`

export interface RelayInstallInput {
  /** The folder holding the relay's files (relay/ of the installed app). */
  relayDir: string
  prefix: string
  /** A Node image with sh, mkdir and chown (any official node image). */
  baseImage: string
  domains: readonly Domain[]
  /** The address GitHub posts to (printed in webhook URLs). */
  publicUrl: string
  token: string
}

/**
 * The relay's Dockerfile: its files on the Node image, run as the server user whose uid and gid the
 * build receives (so the relay can write the spool that user's agent reads).
 */
export function relayDockerfile(baseImage: string, publicUrl: string): string {
  const command = ['node', 'main.js', 'serve', '--host', '0.0.0.0', '--port', String(RELAY_PORT)]
  command.push('--data', '/data', '--spool', '/spool', '--public-url', publicUrl)
  return [
    '# Written by Helvetia (helvetia relay install).',
    `FROM ${validateBaseImage(baseImage)}`,
    'ARG UID=1000',
    'ARG GID=1000',
    'WORKDIR /relay',
    'COPY package.json *.js ./',
    // Readable by the user it runs as, whatever the modes the files arrived with.
    'RUN chmod -R a+rX /relay && mkdir -p /data /spool && chown "$UID:$GID" /data',
    'USER $UID:$GID',
    'VOLUME /data',
    `EXPOSE ${RELAY_PORT}`,
    `CMD ${JSON.stringify(command)}`,
    '',
  ].join('\n')
}

function validateBaseImage(image: string): string {
  if (image.length > 255 || !new RegExp(`^(?:${PATTERNS.image})$`).test(image)) {
    throw new UserError(
      'INVALID_OPTION',
      `Invalid base image: ${JSON.stringify(image)}`,
      'Expected an image reference such as node:22-alpine or registry.example.com/node:22.',
      { field: 'baseImage' },
    )
  }
  return image
}

/** The archive remote-scripts/relay-install.sh reads on standard input. */
export async function relayInstallArchive(input: RelayInstallInput): Promise<Buffer> {
  const names = (await readdir(input.relayDir)).filter((n) => n === 'package.json' || n.endsWith('.js'))
  const build: TarFile[] = []
  for (const name of names.sort()) {
    build.push({ path: `build/${name}`, data: await readFile(join(input.relayDir, name)), mode: 0o644 })
  }
  const route = {
    app: '_relay',
    deploymentId: 'relay',
    domains: input.domains,
    upstream: `${relayContainer(input.prefix)}:${RELAY_PORT}`,
  }
  return tarArchive([
    ...build,
    {
      path: 'build/Dockerfile',
      data: Buffer.from(relayDockerfile(input.baseImage, input.publicUrl)),
      mode: 0o644,
    },
    { path: 'env', data: Buffer.from(`HELVETIA_RELAY_TOKEN=${input.token}\n`), mode: 0o600 },
    { path: 'site.caddy', data: Buffer.from(caddyRoute(route)), mode: 0o600 },
    { path: 'site.traefik.yml', data: Buffer.from(traefikRoute(route)), mode: 0o600 },
  ])
}
