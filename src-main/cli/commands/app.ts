import { Option, type Command } from 'commander'
import { describeSource } from '../../api/apps'
import type { AppSummary, DeployKeyInfo, VolumesChoice } from '../../api/contract'
import { output, table, withApi, type OutputOptions } from '../context'
import { ask, interactive } from '../prompt'
import type { ApiClient } from '../../api/client'
import { createCommand } from './app-create'
import { upgradeCommand } from './app-upgrade'
import { updateCommand } from './app-update'
import { deployCommands, statusCommand } from './deploy'
import { envCommands } from './env'

/** `app …`, then the commands that take an app: `status`, `env …`, `deploy`, `deployments`, `rollback`, `logs`. */
export function appCommands(program: Command): void {
  const app = program.command('app').description('Apps Helvetia deploys')
  createCommand(app)
  updateCommand(app)
  upgradeCommand(app)
  listCommand(app)
  deployKeyCommand(app)
  removeCommand(app)
  statusCommand(program)
  envCommands(program)
  deployCommands(program)
}

function listCommand(app: Command): void {
  app
    .command('list')
    .description('List the apps')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) => {
        output(options, await api.call('apps:list'), (apps: AppSummary[]) =>
          apps.length === 0
            ? 'No apps yet. Add one with `helvetia app create NAME --server S --path DIR`.'
            : table([
                ['NAME', 'SERVER', 'SOURCE', 'DOMAINS', 'ENV'],
                ...apps.map((a) => [
                  a.name,
                  a.server,
                  describeSource(a.source),
                  (a.spec.domains ?? []).join(' ') || '(default)',
                  a.envPending ? 'pending' : 'deployed',
                ]),
              ]),
        )
      }),
    )
}

function deployKeyCommand(app: Command): void {
  app
    .command('deploy-key')
    .argument('<name>', 'app name')
    .description("A git app's deploy key (public half and fingerprint); --rotate replaces it with a new one")
    .option('--rotate', 'replace the key: on GitHub too when Helvetia added it there')
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions & { rotate?: boolean }) =>
      withApi(async (api) => {
        const managedBy = (key: DeployKeyInfo) =>
          key.githubKeyId === null ? 'added by hand' : `managed on GitHub, key ${key.githubKeyId}`
        if (!options.rotate) {
          output(options, await api.call('apps:deploy-key', { name }), (key) =>
            [
              `Deploy key of ${name} (${managedBy(key)}):`,
              key.publicKey,
              `Fingerprint: ${key.fingerprint}`,
            ].join('\n'),
          )
          return
        }
        const rotation = await api.call('apps:rotate-deploy-key', { name })
        for (const warning of rotation.warnings) process.stderr.write(`Warning: ${warning}\n`)
        output(options, rotation, ({ key, previousFingerprint, action, warnings }) =>
          [
            `Replaced the deploy key of ${name} (${previousFingerprint}) with a new one (${managedBy(key)}):`,
            key.publicKey,
            `Fingerprint: ${key.fingerprint}`,
            action ??
              (warnings.length > 0
                ? 'Deploys use the new key.'
                : 'Deploys use the new key; the old one was deleted on GitHub.'),
          ].join('\n'),
        )
      }),
    )
}

function removeCommand(app: Command): void {
  app
    .command('remove')
    .argument('<name>', 'app name')
    .description(
      'Remove the app from its server (route, containers, images, history) and from Helvetia; an app with volumes needs --keep-volumes or --delete-volumes',
    )
    .addOption(new Option('--keep-volumes', 'keep its volumes and their data').conflicts('deleteVolumes'))
    .option('--delete-volumes', 'delete its volumes with their data')
    .action((name: string, options: { keepVolumes?: boolean; deleteVolumes?: boolean }) =>
      withApi(async (api) => {
        const given = options.deleteVolumes ? 'delete' : options.keepVolumes ? 'keep' : undefined
        const volumes = given ?? (await askVolumes(api, name))
        const outcome = await api.call('apps:remove', { name, ...(volumes ? { volumes } : {}) })
        process.stderr.write(`Removed ${name}.\n`)
        if (outcome.deleted.length > 0)
          process.stderr.write(`Deleted its volumes with their data: ${outcome.deleted.join(' ')}\n`)
        if (outcome.kept.length > 0) {
          process.stderr.write(
            `Kept its volumes and their data: ${outcome.kept.join(' ')} (on the server: docker volume rm NAME deletes one)\n`,
          )
        }
      }),
    )
}

/**
 * On a terminal, the choice for an app with volumes, asked: keep (the default answer) or delete. Else
 * none, and the core refuses (VOLUMES_CHOICE_NEEDED) when the app has volumes.
 */
async function askVolumes(api: ApiClient, name: string): Promise<VolumesChoice | undefined> {
  if (!interactive()) return undefined
  const named = ((await api.call('apps:get', { name })).spec.volumes ?? []).filter(
    (v) => !v.source.startsWith('/'),
  )
  if (named.length === 0) return undefined
  const list = named.map((v) => `${v.source} (${v.path})`).join(', ')
  const answer = await ask(
    `${name} has volumes: ${list}. Delete them with their data? Type "delete" to, anything else keeps them: `,
  )
  return answer.trim() === 'delete' ? 'delete' : 'keep'
}
