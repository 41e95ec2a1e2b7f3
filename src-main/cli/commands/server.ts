import { Option, type Command } from 'commander'
import type { ApiClient } from '../../api/client'
import type {
  AddServerInput,
  AuthMethod,
  CreateDatabaseEvent,
  ProvisionEvent,
  ServerFacts,
  ServerProxy,
} from '../../api/contract'
import { UserError } from '../../core/errors'
import { parseServerInput } from '../../core/servers/server-input'
import { outcome, output, table, withApi, type OutputOptions } from '../context'
import { parseCpus, parsePort } from '../parse'
import { confirm, interactive, readSecret, readStdinLine } from '../prompt'

interface AddOptions extends OutputOptions {
  host?: string
  port?: number
  user?: string
  identity?: string
  agent?: boolean
  generateKey?: boolean
  local?: boolean
  fingerprint?: string
  passphraseStdin?: boolean
  passwordStdin?: boolean
}

interface ProvisionOptions extends OutputOptions {
  proxy?: 'traefik' | 'caddy'
  proxyImage?: string
  httpPort?: number
  httpsPort?: number
  email?: string
  bind?: string
}

export function serverCommands(program: Command): void {
  const server = program.command('server').description('Servers Helvetia deploys to')

  addCommand(server)
  builderCommand(server)

  server
    .command('list')
    .description('List the servers')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) => {
        output(options, await api.call('servers:list'), (servers) =>
          servers.length === 0
            ? 'No servers yet. Add one with `helvetia server add NAME --host HOST`.'
            : table([
                ['NAME', 'ADDRESS', 'AUTH', 'HOST KEY', 'PROXY'],
                ...servers.map((s) => [
                  s.name,
                  s.auth === 'local' ? 'this computer' : `${s.user}@${s.host}:${s.port}`,
                  s.auth,
                  s.hostKeyFingerprint ?? '-',
                  formatProxy(s.proxy),
                ]),
              ]),
        )
      }),
    )

  server
    .command('check')
    .argument('<name>', 'server name')
    .description("Connect and print the server's facts")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => {
        const facts = await api.call('servers:check', { name })
        // The check read what runs on the server too: its proxy, as now remembered.
        const { proxy = null } = (await api.call('servers:list')).find((s) => s.name === name) ?? {}
        output(options, facts, (f) => formatFacts(f, proxy))
      }),
    )

  server
    .command('provision')
    .argument('<name>', 'server name')
    .description(
      'Install Docker if missing, create Helvetia’s network and start the reverse proxy (safe to run again)',
    )
    .addOption(new Option('--proxy <kind>', 'reverse proxy').choices(['traefik', 'caddy']).default('traefik'))
    .option('--proxy-image <image>', 'proxy image (for private registries or pinned versions)')
    .option('--http-port <n>', 'host port for HTTP (default 80)', parsePort)
    .option('--https-port <n>', 'host port for HTTPS (default 443)', parsePort)
    .option('--email <addr>', "email for Let's Encrypt notices")
    .option('--bind <addr>', 'address to publish the proxy on (default all addresses)')
    .option('--json', 'print the outcome as JSON (progress still goes to stderr)')
    .action((name: string, options: ProvisionOptions) =>
      withApi(async (api) => {
        const { json, ...proxy } = options
        const done = await outcome(api, 'servers:provision', { name, ...proxy }, isDone, printProgress)
        const result = { changed: done.changed, facts: done.facts, proxy: done.proxy }
        output(
          { json },
          result,
          ({ changed, facts, proxy }) =>
            `${changed ? 'Provisioned' : 'Already provisioned; nothing changed on'} ${name}.\n${formatFacts(facts, proxy)}`,
        )
      }),
    )

  server
    .command('remove')
    .argument('<name>', 'server name')
    .description('Forget a server and delete its keys from the keychain (nothing on the server changes)')
    .option(
      '--force',
      'also when it has apps: forget them on this computer too (they keep running on the server)',
    )
    .action((name: string, options: { force?: boolean }) =>
      withApi(async (api) => {
        const forgotten = await api.call('servers:remove', { name, force: options.force })
        process.stderr.write(
          forgotten.length === 0
            ? `Removed ${name}.\n`
            : `Removed ${name} and forgot its apps on this computer: ${forgotten.join(', ')} (they keep running on the server).\n`,
        )
      }),
    )
}

interface BuilderOptions extends OutputOptions {
  image?: string
  driver?: 'overlay' | 'vfs'
  cache?: string
  disk?: string
  cpus?: number
  memory?: string
  set?: boolean
  off?: boolean
}

/** `server builder`: the server's isolated builder, where `auto` apps build (api/builds.ts). */
function builderCommand(server: Command): void {
  const settings = ['image', 'driver', 'cache', 'disk', 'cpus', 'memory', 'set']
  server
    .command('builder')
    .argument('<name>', 'server name')
    .description(
      'Show or set the server’s isolated builder: builds run in a throwaway buildah container with CPU, memory and disk caps',
    )
    .option('--set', 'set it up (the settings not given keep their values, else their defaults)')
    .option('--image <ref>', 'the builder image (default quay.io/buildah/stable:v1.37)')
    .addOption(
      new Option('--driver <driver>', 'buildah’s storage driver (default overlay)').choices([
        'overlay',
        'vfs',
      ]),
    )
    .option('--cache <size>', 'cap of the build cache volume, like 5g (default 5g)')
    .option('--disk <size>', 'what the builds may write, cache included, like 10g (default 10g)')
    .option('--cpus <n>', 'CPUs of a build (default 1)', parseCpus)
    .option('--memory <size>', 'memory of a build, unless the app sets its own (default 2g)')
    .addOption(
      new Option('--off', 'remove it and its cache: builds there are classic again').conflicts(settings),
    )
    .option('--json', 'print JSON')
    .action((name: string, options: BuilderOptions) =>
      withApi(async (api) => {
        const { json, set, off, ...given } = options
        const action = off ? 'off' : set || Object.keys(given).length > 0 ? 'set' : 'show'
        const result = await api.call('builds:builder', { server: name, action, ...given })
        output({ json }, result, (b) =>
          b.image === null
            ? `${name} has no isolated builder: its builds are classic. Set one up: helvetia server builder ${name} --set`
            : table([
                ['Image', `${b.image} (buildah ${b.version ?? '?'})`],
                ['Storage driver', b.driver ?? ''],
                ['Cache cap', b.cache ?? ''],
                ['Disk cap', b.disk ?? ''],
                ['CPUs', String(b.cpus ?? '')],
                ['Memory', b.memory ?? ''],
              ]),
        )
      }),
    )
}

/** `server add`: the host key confirmed (or given), the login checked, the key kept in the keychain. */
function addCommand(server: Command): void {
  server
    .command('add')
    .argument('<name>', 'a short name for the server, like web-1')
    .description('Connect a server: verify its host key, check the login, keep the key in the OS keychain')
    .option('--host <host>', 'host name or IP address')
    .option('--port <n>', 'SSH port', parsePort)
    .option('--user <user>', 'login name (default root)')
    .addOption(
      new Option('--identity <file>', 'log in with this private key file').conflicts([
        'agent',
        'generateKey',
        'local',
      ]),
    )
    .addOption(
      new Option('--agent', 'log in through the SSH agent (the default)').conflicts(['generateKey', 'local']),
    )
    .addOption(
      new Option(
        '--generate-key',
        'generate a key pair for Helvetia and install it (over a one-time password login, or the agent)',
      ).conflicts('local'),
    )
    .option('--local', '"this computer": run on the local Docker engine, no SSH')
    .option(
      '--fingerprint <SHA256:…>',
      "the server's host key fingerprint, as confirmed with its administrator",
    )
    .option('--passphrase-stdin', "read the key file's passphrase from stdin")
    .option('--password-stdin', 'read the one-time password for --generate-key from stdin')
    .option('--json', 'print JSON')
    .action(async (name: string, options: AddOptions) => {
      const input = await addInput(name, options)
      await withApi(async (api) => {
        if (input.auth !== 'local' && !input.fingerprint) input.fingerprint = await confirmHostKey(api, input)
        output(
          options,
          await api.call('servers:add', input),
          (s) =>
            `Added ${s.name} (${s.user}@${s.host}:${s.port}, host key ${s.hostKeyFingerprint ?? 'not used'}).`,
        )
      })
    })
}

/** The API's input from `server add`'s options, secrets read from stdin or asked for; checked before anything is sent. */
async function addInput(name: string, options: AddOptions): Promise<AddServerInput> {
  const auth: AuthMethod = options.local
    ? 'local'
    : options.identity
      ? 'key-file'
      : options.generateKey
        ? 'generated-key'
        : 'agent'
  if (auth !== 'local' && !options.host) {
    throw new UserError(
      'INVALID_SERVER',
      'No --host given.',
      'Add --host with the server’s name or IP address, or --local for this computer.',
    )
  }
  const input: AddServerInput = {
    name,
    host: options.host ?? 'localhost',
    port: options.port,
    user: options.user,
    auth,
    identityFile: options.identity,
    fingerprint: options.fingerprint,
  }
  if (options.passphraseStdin) input.passphrase = await readStdinLine()
  if (auth === 'generated-key') {
    if (options.passwordStdin) input.password = await readStdinLine()
    else if (interactive())
      input.password =
        (await readSecret(
          `One-time password for ${options.user ?? 'root'}@${options.host} (empty: use the SSH agent): `,
        )) || undefined
  }
  // Bad input fails here, before anything reaches the network.
  parseServerInput(input)
  return input
}

/**
 * A person at a terminal confirms an unknown host key here (resolving its fingerprint); a script must
 * pass --fingerprint, and a key ~/.ssh/known_hosts vouches for needs none (undefined).
 */
async function confirmHostKey(api: ApiClient, input: AddServerInput): Promise<string | undefined> {
  const probe = await api.call('servers:probe-host-key', { host: input.host, port: input.port })
  if (probe.status !== 'unknown' || !interactive()) return undefined
  process.stderr.write(
    `The server at ${probe.host}:${probe.port} presents this host key:\n\n  ${probe.keyType} ${probe.fingerprint}\n\n`,
  )
  if (!(await confirm('Is this the fingerprint of your server?'))) {
    throw new UserError(
      'HOST_KEY_NOT_CONFIRMED',
      'Host key not confirmed; nothing was sent to the server.',
      'Check the fingerprint with the server’s administrator and try again.',
    )
  }
  return probe.fingerprint
}

const isDone = (event: ProvisionEvent): event is Extract<ProvisionEvent, { type: 'done' }> =>
  event.type === 'done'

const MARK: Record<string, string> = { running: '…', done: '✓', skipped: '–', failed: '✗' }

/** Progress (a provisioning's, a database creation's) goes to stderr, so stdout stays clean for --json. */
export function printProgress(event: ProvisionEvent | CreateDatabaseEvent): void {
  if (event.type === 'step') process.stderr.write(`${MARK[event.status] ?? ' '} ${event.message}\n`)
  else if (event.type === 'log') process.stderr.write(`  ${event.line}\n`)
}

/** The proxy as read from the server, `caddy 80/443` (its HTTP/HTTPS ports), or `not provisioned`. */
function formatProxy(proxy: ServerProxy | null): string {
  return proxy ? `${proxy.kind} ${proxy.httpPort}/${proxy.httpsPort}` : 'not provisioned'
}

function formatFacts(facts: ServerFacts, proxy: ServerProxy | null): string {
  const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`
  return table([
    ['OS', `${facts.os} ${facts.osVersion} (${facts.arch})`],
    ['Privilege', facts.privilege],
    ['Docker', facts.dockerVersion ?? 'not installed'],
    ['CPUs', String(facts.cpus)],
    ['Memory', gib(facts.memoryBytes)],
    ['Disk free', gib(facts.diskFreeBytes)],
    [
      'Proxy',
      proxy
        ? `${formatProxy(proxy)} (HTTP/HTTPS), Let's Encrypt email ${proxy.acmeEmail ? 'set' : 'not set'}`
        : formatProxy(proxy),
    ],
  ])
}
