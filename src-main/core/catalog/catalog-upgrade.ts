/**
 * Upgrading an installed catalogue app to a newer template version: the plan first (the diff of the
 * rendered compose file, secrets masked; the variables kept and added; the volumes kept), then the
 * upgrade itself: the new version rendered with every value the server recorded (secrets and the
 * domain stay what they are; new variables are generated), staged like an install, and deployed. The
 * volumes are the same Docker volumes, so their data stays; `helvetia rollback` runs the previous
 * version's file and images again, and the app's recorded version follows it.
 */
import type { UpgradePlan } from '../../api/catalog'
import type { DeployRunOptions } from '../deploy/deployer'
import type { Deployment } from '../deploy/deployment-record'
import { UserError } from '../errors'
import type { AppRecord } from '../store/app-store'
import type { CatalogAppsDeps, CatalogInstall } from './catalog-install'
import { valuesOf } from './catalog-install'
import { unifiedDiff } from './line-diff'
import type { Rendering } from './render'
import { byVersionDescending } from './template-schema'
import type { LoadedTemplate } from './template-store'

interface Prepared {
  app: AppRecord & { source: { kind: 'catalog'; template: string; version: string } }
  plan: UpgradePlan
  next: { template: LoadedTemplate; rendering: Rendering }
}

export function createCatalogUpgrades(
  deps: CatalogAppsDeps & { install: CatalogInstall; server: (app: AppRecord) => string },
) {
  const { catalog, apps, store, records } = deps

  const prepare = async (name: string, to?: string): Promise<Prepared> => {
    const app = apps.record(name)
    if (app.source.kind !== 'catalog') {
      throw new UserError(
        'NOT_CATALOG_APP',
        `${name} was not installed from the catalogue.`,
        'Deploy it with `helvetia deploy`.',
      )
    }
    const source = app.source
    const target = to ?? catalog.show(source.template).versions[0] ?? source.version
    if (byVersionDescending(target, source.version) >= 0) {
      throw new UserError(
        'NOTHING_TO_UPGRADE',
        target === source.version
          ? `${name} runs ${source.template} ${target} already.`
          : `${target} is older than ${source.version}, which ${name} runs.`,
        target === source.version ? 'Nothing to do.' : 'Go back with `helvetia rollback`.',
      )
    }
    const record = await records.read(deps.targetOf(app), app.name)
    if (!record) {
      throw new UserError(
        'CATALOG_RECORD_MISSING',
        `The server has no catalogue record of ${name}: its values cannot be kept.`,
        'Install it again from the catalogue.',
      )
    }
    const domain = app.spec.compose?.routes[0]?.domains[0]
    const base = {
      template: source.template,
      app: app.name,
      server: deps.server(app),
      domain,
      kept: record.values,
    }
    const current = catalog.render({ ...base, version: source.version })
    const next = catalog.render({ ...base, version: target })
    const volumes = new Set(current.template.meta.volumes.map((v) => `${v.service}:${v.name}`))
    const plan: UpgradePlan = {
      app: name,
      template: source.template,
      from: source.version,
      to: target,
      diff: unifiedDiff(current.rendering.compose('mask'), next.rendering.compose('mask'), [
        `${source.template} ${source.version}`,
        `${source.template} ${target}`,
      ]),
      kept: next.rendering.values.filter((v) => v.name in record.values).map((v) => v.name),
      added: next.rendering.values.filter((v) => !(v.name in record.values)).map((v) => v.name),
      volumesKept: next.template.meta.volumes
        .filter((v) => volumes.has(`${v.service}:${v.name}`))
        .map((v) => v.name),
    }
    return { app: { ...app, source }, plan, next }
  }

  return {
    plan: async (name: string, to?: string): Promise<UpgradePlan> => (await prepare(name, to)).plan,

    /** Stages the new version and deploys it; a failed deployment leaves the app on its version. */
    async upgrade(name: string, to: string | undefined, options: DeployRunOptions): Promise<Deployment> {
      const { app, plan, next } = await prepare(name, to)
      const target = deps.targetOf(app)
      await deps.install.stage(app, plan.to, next.rendering)
      const values = valuesOf(next.rendering)
      const compose = {
        file: app.spec.compose?.file ?? 'compose.yml',
        routes: next.rendering.routes,
        zeroDowntime: app.spec.compose?.zeroDowntime ?? [],
      }
      store.update(app.id, { ...app.spec, compose }, { ...app.source, version: plan.to })
      await records.write(target, app.name, { template: plan.template, version: plan.to, values })
      const deployment = await apps.deploy(name, { ...options, trigger: 'upgrade' })
      if (deployment.status !== 'succeeded') {
        store.update(app.id, app.spec, app.source)
        await records.write(target, app.name, { template: plan.template, version: plan.from, values })
      }
      return deployment
    },
  }
}

export type CatalogUpgrades = ReturnType<typeof createCatalogUpgrades>
