import type { Command } from 'commander'
import type { CertificateStatus, Deployment, DeployProgress } from '../../api/contract'
import { UserError } from '../../core/errors'
import { follow, outcome, output, table, withApi, type OutputOptions } from '../context'
import { parseCount } from '../parse'

/** `status`: the app's live deployment and its certificates. */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .argument('<name>', 'app name')
    .description("The app's live and latest deployment, and its HTTPS domains' certificates")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => {
        const [status, certificates] = await Promise.all([
          api.call('apps:status', { name }),
          api.call('apps:certificates', { name }),
        ])
        output(options, { ...status, certificates }, (s) =>
          table([
            ['App', s.app.name],
            ['Server', s.app.server],
            [
              'Live',
              s.live ? `${s.live.id} (since ${s.live.finishedAt ?? s.live.createdAt})` : 'not deployed',
            ],
            ['Latest', s.latest ? `${s.latest.id} ${s.latest.status}` : '-'],
            ['Env', s.app.envPending ? 'changed, pending until the next deploy' : 'deployed'],
            ['Settings', s.app.settingsPending ? 'changed, pending until the next deploy' : 'deployed'],
            ...s.certificates.map((c) => ['Certificate', describeCertificate(c)]),
          ]),
        )
      }),
    )
}

/** `deploy`, `deployments`, `rollback` and `logs`: an app's deployments and what it runs. */
export function deployCommands(program: Command): void {
  program
    .command('deploy')
    .argument('<name>', 'app name')
    .description('Build and deploy the app; streams the log, exits 0 once the new version is live')
    .option('--path <dir>', "deploy this folder instead of the app's")
    .option('--commit <sha>', "a git app: deploy this commit (40 hex digits) instead of its branch's head")
    .option('--json', 'print the deployment as JSON (the log still goes to stderr)')
    .action((name: string, options: OutputOptions & { path?: string; commit?: string }) =>
      withApi(async (api) => {
        const input = { name, path: options.path, commit: options.commit }
        const { deployment } = await outcome(api, 'apps:deploy', input, isDone, printDeployEvent)
        reportDeployment(options, deployment)
      }),
    )

  program
    .command('deployments')
    .argument('<name>', 'app name')
    .description("The app's deployment history, oldest first")
    .option('--json', 'print JSON')
    .action((name: string, options: OutputOptions) =>
      withApi(async (api) => {
        const history = await api.call('apps:deployments', { name })
        output(options, history, (h) => formatDeployments(h.deployments, h.current))
      }),
    )

  program
    .command('rollback')
    .argument('<name>', 'app name')
    .description('Run a kept image again, without building (default: the previous successful deployment)')
    .option('--to <id>', 'the deployment to roll back to')
    .option('--json', 'print the deployment as JSON (the log still goes to stderr)')
    .action((name: string, options: OutputOptions & { to?: string }) =>
      withApi(async (api) => {
        const input = { name, to: options.to }
        const { deployment } = await outcome(api, 'apps:rollback', input, isDone, printDeployEvent)
        reportDeployment(options, deployment)
      }),
    )

  program
    .command('logs')
    .argument('<name>', 'app name')
    .description("The live container's log, secrets masked")
    .option('--tail <n>', 'lines from the end (default 100)', parseCount)
    .option('--follow', 'keep streaming (Ctrl-C stops)')
    .option('--service <name>', 'a process type’s containers, like worker (default: web)')
    .action((name: string, options: { tail?: number; follow?: boolean; service?: string }) =>
      withApi((api) =>
        // Ctrl-C ends a followed log cleanly (a deploy carries on on the server).
        follow(
          api,
          'apps:logs',
          { name, ...options },
          ({ lines }) => {
            for (const line of lines) process.stdout.write(`${line}\n`)
          },
          { stopOn: ['SIGINT'] },
        ),
      ),
    )
}

export const isDone = (event: DeployProgress): event is Extract<DeployProgress, { type: 'done' }> =>
  event.type === 'done'

const MARK: Record<string, string> = { done: '✓', skipped: '–', failed: '✗' }

/** The deploy's steps and log lines go to stderr, so stdout stays clean for --json. */
export function printDeployEvent(event: Exclude<DeployProgress, { type: 'done' }>): void {
  if (event.type === 'step' && event.status !== 'running') {
    process.stderr.write(`${MARK[event.status] ?? ' '} ${event.message || event.step}\n`)
  } else if (event.type === 'log') process.stderr.write(`  ${event.line}\n`)
  else if (event.type === 'started') process.stderr.write(`Deployment ${event.id} started.\n`)
}

/** Prints the outcome; a failed deployment exits non-zero with its reason. */
export function reportDeployment(options: OutputOptions, deployment: Deployment): void {
  if (deployment.status === 'succeeded') {
    output(options, deployment, (d) => `${d.app} is live: deployment ${d.id}.`)
    return
  }
  if (options.json) output(options, deployment, () => '')
  else if (deployment.error?.lastLines) process.stderr.write(`${deployment.error.lastLines}\n`)
  throw new UserError(
    deployment.error?.code ?? 'DEPLOY_FAILED',
    `Deployment ${deployment.id} of ${deployment.app} ${deployment.status}: ${deployment.error?.message ?? 'no reason given'}`,
    [deployment.error?.hint, 'The previous version is still live.'].filter(Boolean).join(' '),
  )
}

function formatDeployments(deployments: Deployment[], current: string | null): string {
  if (deployments.length === 0) return 'No deployments yet.'
  return table([
    ['ID', 'STATUS', 'TRIGGER', 'SOURCE', 'CREATED', ''],
    ...deployments.map((d) => [
      d.id,
      d.status,
      d.trigger,
      d.rollbackOf ? `rollback of ${d.rollbackOf}` : `${d.source.kind} ${d.source.id.slice(0, 12)}`,
      d.createdAt,
      d.id === current ? 'live' : '',
    ]),
  ])
}

/** `DOMAIN STATE until DATE`, and why when it is not valid. */
function describeCertificate(c: CertificateStatus): string {
  const until = c.validTo ? ` until ${c.validTo.slice(0, 10)}` : ''
  return `${c.domain} ${c.state}${until}${c.state === 'valid' ? '' : `: ${c.message}`}`
}
