/**
 * The catalogue's API handlers (api/catalog.ts), and `apps:create` for a catalogue source (an install;
 * every other source goes on to the apps service as before).
 */
import type { ApiHandlers } from '../../api/contract'
import { deployProgress } from '../apps/apps-api'
import type { Apps } from '../apps/apps'
import type { Catalog } from './catalog'
import type { CatalogInstall } from './catalog-install'
import type { CatalogUpgrades } from './catalog-upgrade'

export function catalogApi(catalog: Catalog, install: CatalogInstall, upgrades: CatalogUpgrades, apps: Apps) {
  return {
    'catalog:list': async () => catalog.list(),
    'catalog:show': async ({ id, version }) => catalog.show(id, version),
    'catalog:render': async ({ reveal, ...input }) => {
      const { template, rendering } = catalog.render(input)
      return catalog.preview(template, rendering, reveal ?? false)
    },
    'catalog:import': ({ source, format, save }) => catalog.import(source, format, save),
    'catalog:remove': async ({ id }) => catalog.remove(id),
    'catalog:upgrade-plan': ({ name, to }) => upgrades.plan(name, to),
    'catalog:upgrade': ({ name, to }, signal) =>
      deployProgress((options) => upgrades.upgrade(name, to, options), signal),
    'apps:create': async ({ deployKey, ...input }) => {
      const { source } = input
      if (source.kind === 'catalog') return install.install({ ...input, source })
      return deployKey ? apps.createWithDeployKey(input, deployKey) : apps.create(input)
    },
  } satisfies Partial<ApiHandlers>
}
