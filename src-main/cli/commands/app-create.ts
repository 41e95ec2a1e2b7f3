import { Option, type Command } from 'commander'
import { readFile } from 'node:fs/promises'
import type { CreateAppInput } from '../../api/contract'
import { UserError } from '../../core/errors'
import { output, withApi, type OutputOptions } from '../context'
import { collect, parseCpus, parsePort } from '../parse'
import { addComposeOptions, composeInput, type ComposeOptions } from './app-create-compose'

interface CreateOptions extends OutputOptions, ComposeOptions {
  server: string
  path?: string
  git?: string
  branch?: string
  deployKey?: string
  generateDeployKey?: boolean
  port?: number
  domain: string[]
  healthPath?: string
  memory?: string
  cpus?: number
  fromCatalog?: string
  version?: string
  set: string[]
}

/** `app create`: where the app runs, where its code is, how it is served. */
export function createCommand(app: Command): void {
  const command = app
    .command('create')
    .argument('<name>', 'the app name, a DNS label like web')
    .description('Add an app: where it runs, where its code is, how it is served')
    .requiredOption('--server <name>', 'the server it runs on')
    .addOption(new Option('--path <dir>', 'a local folder with a Dockerfile').conflicts('git'))
    .option(
      '--git <url>',
      'a git repository the server fetches: https://… (public) or SSH (with a deploy key)',
    )
    .option('--branch <branch>', "the branch of --git to deploy (default: the repository's default branch)")
    .addOption(
      new Option(
        '--deploy-key <file>',
        'a private key (no passphrase) that can read the --git repository',
      ).conflicts('generateDeployKey'),
    )
    .option('--generate-deploy-key', 'make a new ed25519 deploy key and print its public key')
    .option('--port <n>', 'the port the app listens on in its container (default 3000)', parsePort)
    .option('--domain <domain>', 'a domain (repeatable); http://name for plain HTTP', collect, [])
    .option('--health-path <path>', 'the HTTP path of the health check (default /)')
    .option('--memory <size>', 'memory limit, like 512m')
    .option('--cpus <n>', 'CPU limit, like 1 or 0.5', parseCpus)
    // A catalogue app (core/catalog): the template, its version, and values of its variables.
    .option('--from-catalog <template>', 'install a template of the catalogue (`helvetia catalog list`)')
    .option('--version <version>', 'with --from-catalog: the template version (default: the newest)')
    .option('--set <name=value>', 'with --from-catalog: a variable’s value (repeatable)', collect, [])
    .option('--json', 'print JSON')
  // A compose app (app-create-compose.ts).
  addComposeOptions(command)
  command.action(async (name: string, options: CreateOptions) => {
    const input = await createInput(name, options)
    await withApi(async (api) =>
      output(options, await api.call('apps:create', input), (a) => {
        const deployKey = a.source.kind === 'git' ? a.source.deployKey : undefined
        return [
          `Created ${a.name} on ${a.server}. Deploy it with \`helvetia deploy ${a.name}\`.`,
          ...(deployKey
            ? [
                'Add this deploy key to the repository (on GitHub: Settings → Deploy keys, read-only):',
                deployKey.publicKey,
              ]
            : []),
        ].join('\n')
      }),
    )
  })
}

/** The API's input from `app create`'s options, the deploy key file read. */
async function createInput(name: string, options: CreateOptions): Promise<CreateAppInput> {
  if (options.fromCatalog !== undefined) return catalogInput(name, options)
  const stack = composeInput(options)
  if (stack?.path !== undefined) options.path = stack.path
  if (!options.path && !options.git) {
    throw new UserError('INVALID_OPTION', 'No source given.', 'Add --path DIR (or --git URL).')
  }
  if (!options.git && (options.branch || options.deployKey || options.generateDeployKey)) {
    throw new UserError(
      'INVALID_OPTION',
      '--branch and deploy keys apply to --git only.',
      'Add --git URL, or drop them.',
    )
  }
  const deployKey = options.generateDeployKey
    ? ({ generate: true } as const)
    : options.deployKey
      ? { privateKey: await readKeyFile(options.deployKey) }
      : undefined
  return {
    name,
    server: options.server,
    source: options.git
      ? { kind: 'git', url: options.git, branch: options.branch }
      : { kind: 'folder', path: options.path as string },
    port: options.port,
    domains: stack ? stack.domains : options.domain,
    ...(stack ? { compose: stack.compose } : {}),
    healthPath: options.healthPath,
    memory: options.memory,
    cpus: options.cpus,
    ...(deployKey ? { deployKey } : {}),
  }
}

async function readKeyFile(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      'KEY_UNREADABLE',
      `Cannot read ${path}: ${error.code ?? error.message}.`,
      'Give the path of the private key file.',
    )
  })
}

/** `--from-catalog`: the template's values from `--set NAME=VALUE` (secrets are generated unless set). */
function catalogInput(name: string, options: CreateOptions): CreateAppInput {
  if (options.path || options.git) {
    throw new UserError('INVALID_OPTION', '--from-catalog takes no --path nor --git.', 'Drop one of them.')
  }
  const values = Object.fromEntries(
    options.set.map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 1) throw new UserError('INVALID_OPTION', `Invalid --set ${pair}.`, 'Write --set NAME=VALUE.')
      return [pair.slice(0, eq), pair.slice(eq + 1)]
    }),
  )
  return {
    name,
    server: options.server,
    source: { kind: 'catalog', template: options.fromCatalog as string, version: options.version, values },
    domains: options.domain,
    memory: options.memory,
    cpus: options.cpus,
  }
}
