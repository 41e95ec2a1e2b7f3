import type { Command } from 'commander'
import type { UpgradePlan } from '../../api/catalog'
import { UserError } from '../../core/errors'
import { outcome, withApi, type OutputOptions } from '../context'
import { confirm, interactive } from '../prompt'
import { isDone, printDeployEvent, reportDeployment } from './deploy'

/** `app upgrade`: a catalogue app to a newer template version, its plan shown first. */
export function upgradeCommand(app: Command): void {
  app
    .command('upgrade')
    .argument('<name>', 'an app installed from the catalogue')
    .description('Upgrade a catalogue app to a newer template version: shows the changes, then deploys them')
    .option('--to <version>', 'the template version (default: the newest)')
    .option('--yes', 'upgrade without asking')
    .option('--json', 'print the deployment as JSON (the plan and the log go to stderr)')
    .action((name: string, options: OutputOptions & { to?: string; yes?: boolean }) =>
      withApi(async (api) => {
        const plan = await api.call('catalog:upgrade-plan', { name, to: options.to })
        process.stderr.write(describePlan(plan))
        if (!options.yes) {
          if (!interactive()) {
            throw new UserError(
              'CONFIRMATION_NEEDED',
              `Upgrading ${name} needs a confirmation.`,
              'Add --yes.',
            )
          }
          if (!(await confirm(`Upgrade ${name} to ${plan.template} ${plan.to}?`))) return
        }
        const input = { name, to: plan.to }
        const { deployment } = await outcome(api, 'catalog:upgrade', input, isDone, printDeployEvent)
        reportDeployment(options, deployment)
      }),
    )
}

function describePlan(plan: UpgradePlan): string {
  return [
    `${plan.app}: ${plan.template} ${plan.from} → ${plan.to}`,
    plan.diff || '(the rendered compose file does not change)',
    `Kept: ${plan.kept.join(', ') || 'none'}`,
    `Added (generated): ${plan.added.join(', ') || 'none'}`,
    `Volumes kept with their data: ${plan.volumesKept.join(', ') || 'none'}`,
    '',
  ].join('\n')
}
