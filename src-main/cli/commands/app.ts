import type { Command } from 'commander'
import type { AppSummary, DeployKeyInfo } from '../../api/contract'
import { output, table, withApi, type OutputOptions } from '../context'
import { createCommand } from './app-create'
import { updateCommand } from './app-update'
import { deployCommands, statusCommand } from './deploy'
import { envCommands } from './env'

/** `app …`, then the commands that take an app: `status`, `env …`, `deploy`, `deployments`, `rollback`, `logs`. */
export function appCommands(program: Command): void {
  const app = program.command('app').description('Apps Helvetia deploys')
  createCommand(app)
  updateCommand(app)
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
                  a.source.kind === 'folder' ? a.source.path : a.source.url,
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
    .description('Remove the app from its server (route, containers, images, history) and from Helvetia')
    .action((name: string) =>
      withApi(async (api) => {
        await api.call('apps:remove', { name })
        process.stderr.write(`Removed ${name}.\n`)
      }),
    )
}
