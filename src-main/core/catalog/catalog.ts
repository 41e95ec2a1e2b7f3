/**
 * The catalogue: the templates shipped inside Helvetia and those imported on this computer, shown in
 * one model (api/catalog.ts Template), rendered for an app, imported from Dokploy's and Coolify's
 * formats (shown first; kept only when asked), and removed again.
 */
import { join } from 'node:path'
import type { RenderedTemplate, Template, TemplateSummary } from '../../api/catalog'
import { appDomains, resolveAppSpec } from '../deploy/app-spec'
import { DEFAULT_MASK } from '../rules/secret-forms'
import type { ServerRecord } from '../store/server-store'
import { parseCompose } from './compose-file'
import { readImport, type ImportFormat, type Imported } from './import-source'
import { renderTemplate, type Rendering, type RenderInput } from './render'
import { createTemplateStore, type LoadedTemplate } from './template-store'
import { isSecret } from './template-schema'

export interface CatalogDeps {
  /** The installed app's root: the built-in catalogue is its resources/catalog. */
  appRoot: string
  /** Helvetia's data folder: imported templates live in its catalog/. */
  home: string
  servers: { get(name: string): ServerRecord }
}

export function summaryOf(t: Pick<LoadedTemplate, 'id' | 'origin' | 'meta'>): TemplateSummary {
  const { meta } = t
  return {
    id: t.id,
    name: meta.name,
    description: meta.description,
    category: meta.category,
    version: meta.version,
    appVersion: meta.appVersion,
    origin: t.origin,
    website: meta.website,
  }
}

/** A template in the API's model. */
export function templateOf(t: LoadedTemplate): Template {
  const { meta } = t
  const routes = new Map(meta.ports.map((p) => [p.service, p.port]))
  return {
    ...summaryOf(t),
    versions: t.versions,
    variables: meta.variables.map((v) => ({
      name: v.name,
      description: v.description,
      secret: isSecret(v),
      required: v.generator === undefined,
      generator: v.generator ?? null,
    })),
    services: parseCompose(t.compose, t.id).services.map((s) => ({
      name: s.name,
      image: s.image ?? '',
      port: routes.get(s.name) ?? null,
      routed: routes.has(s.name),
    })),
    volumes: meta.volumes,
    databases: meta.databases.map((d) => ({ name: d.name, engine: d.engine, service: d.service })),
    compose: t.compose,
  }
}

export interface RenderRequest {
  template: string
  version?: string
  app: string
  server: string
  domain?: string
  values?: Record<string, string>
  kept?: Record<string, string>
}

export function createCatalog(deps: CatalogDeps) {
  const { appRoot, home } = deps
  const store = createTemplateStore({
    builtin: join(appRoot, 'resources/catalog'),
    imported: join(home, 'catalog'),
  })

  /** The app's first domain as written (given for DOMAIN), else its default one on the server. */
  const domainFor = (app: string, server: string, given?: string) => {
    const spec = resolveAppSpec({ name: app, ...(given ? { domains: [given] } : {}) })
    return appDomains(spec, deps.servers.get(server).host)[0] as RenderInput['domain']
  }

  const fromImport = (imported: Imported): Template => ({
    ...templateOf({ ...imported, origin: 'imported', versions: [imported.meta.version] }),
    ...(imported.warnings.length > 0 ? { warnings: imported.warnings } : {}),
  })

  return {
    store,
    list: (): TemplateSummary[] => store.list().map(summaryOf),
    show: (id: string, version?: string): Template => templateOf(store.load(id, version)),
    domainFor,

    /**
     * Renders version `version` (default: the newest) of template `id` for app `app` on `server`.
     * `domain`: the app's first domain as written (`http://…` for plain HTTP); default the domain
     * variable's value, else the server's default domain for the app.
     */
    render(input: RenderRequest): { template: LoadedTemplate; rendering: Rendering } {
      const template = store.load(input.template, input.version)
      const domainVar = template.meta.ports[0]?.domain ?? ''
      const written = input.domain ?? input.values?.[domainVar] ?? input.kept?.[domainVar]
      const domain = domainFor(input.app, input.server, written)
      const withHost = (values?: Record<string, string>) =>
        values?.[domainVar] === undefined ? values : { ...values, [domainVar]: domain.host }
      const rendering = renderTemplate(template, {
        domain,
        values:
          input.domain === undefined ? withHost(input.values) : { ...input.values, [domainVar]: domain.host },
        kept: withHost(input.kept),
      })
      return { template, rendering }
    },

    /** The preview the install form and `catalog:render` show: secrets masked unless `reveal`. */
    preview(template: LoadedTemplate, rendering: Rendering, reveal: boolean): RenderedTemplate {
      return {
        template: summaryOf(template),
        compose: rendering.compose(reveal ? 'reveal' : 'mask'),
        values: rendering.values.map((v) => (v.secret && !reveal ? { ...v, value: DEFAULT_MASK } : v)),
        routes: rendering.routes,
        warnings: rendering.warnings,
      }
    },

    async import(source: string, format: ImportFormat = 'auto', save = false): Promise<Template> {
      const imported = await readImport(source, format)
      if (save) store.save(imported.id, imported.meta, imported.compose)
      return fromImport(imported)
    },

    remove: (id: string): void => store.remove(id),
  }
}

export type Catalog = ReturnType<typeof createCatalog>
