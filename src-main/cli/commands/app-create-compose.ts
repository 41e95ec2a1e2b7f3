/**
 * `app create`'s compose flags: `--compose FILE` (its folder is the source), or `--compose-file PATH`
 * inside `--path DIR` / `--git URL`; then each `--domain` is `SERVICE[:PORT]=DOMAIN`, and
 * `--zero-downtime SERVICE` (repeatable) names routed services switched without downtime.
 */
import { Option, type Command } from 'commander'
import { basename, dirname } from 'node:path'
import type { ComposeSettings } from '../../api/stacks'
import { UserError } from '../../core/errors'
import { collect } from '../parse'

export interface ComposeOptions {
  compose?: string
  composeFile?: string
  zeroDowntime: string[]
  path?: string
  git?: string
  domain: string[]
}

export function addComposeOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--compose <file>',
        'a compose file: its services are the app, its folder the source',
      ).conflicts(['path', 'git', 'composeFile']),
    )
    .option('--compose-file <path>', 'the compose file inside --path or --git (a compose app)')
    .option(
      '--zero-downtime <service>',
      'a routed compose service switched with zero downtime (repeatable); the others are recreated',
      collect,
      [],
    )
}

/** The route of `--domain SERVICE[:PORT]=DOMAIN`. */
function parseRoute(value: string): { service: string; port?: number; domain: string } {
  const match = /^([^=:]+)(?::(\d{1,5}))?=(.+)$/.exec(value)
  if (!match) {
    throw new UserError(
      'INVALID_OPTION',
      `A compose app's domain names its service: "${value}" does not.`,
      'Write --domain SERVICE=DOMAIN (or SERVICE:PORT=DOMAIN), such as --domain web=app.example.com.',
    )
  }
  return {
    service: match[1] as string,
    ...(match[2] ? { port: Number(match[2]) } : {}),
    domain: match[3] as string,
  }
}

/**
 * The source and compose settings these options give, or null when the app is not a compose app.
 * `--compose FILE` becomes a folder source.
 */
export function composeInput(
  options: ComposeOptions,
): { compose: ComposeSettings; path?: string; domains: string[] } | null {
  if (!options.compose && !options.composeFile) {
    if (options.zeroDowntime.length > 0) {
      throw new UserError(
        'INVALID_OPTION',
        '--zero-downtime applies to compose apps.',
        'Add --compose FILE, or drop it.',
      )
    }
    return null
  }
  if (options.composeFile && !options.path && !options.git) {
    throw new UserError(
      'INVALID_OPTION',
      '--compose-file needs --path DIR or --git URL.',
      'Or give the file itself: --compose FILE.',
    )
  }
  const routes: ComposeSettings['routes'] = []
  for (const { service, port, domain } of options.domain.map(parseRoute)) {
    const route = routes.find((r) => r.service === service)
    if (route && port !== undefined && route.port !== undefined && route.port !== port) {
      throw new UserError(
        'INVALID_OPTION',
        `${service} is given two ports.`,
        'Give one port for each service.',
      )
    }
    if (route) {
      route.domains.push(domain)
      if (port !== undefined) route.port = port
    } else routes.push({ service, domains: [domain], ...(port !== undefined ? { port } : {}) })
  }
  const file = options.compose ? basename(options.compose) : (options.composeFile as string)
  return {
    compose: { file, routes, zeroDowntime: options.zeroDowntime },
    ...(options.compose ? { path: dirname(options.compose) } : {}),
    domains: [],
  }
}
