/**
 * The catalogue: self-hosted apps in Helvetia's own template format (a compose file and a metadata
 * file, shipped inside the app in resources/catalog, versioned), the templates a user imported, and
 * the upgrade of an installed one. Types, plain data and input schemas only.
 */
import { z } from 'zod'
import type { DeployProgress } from './apps'
import { call, checkedByCore, noInput, stream, text } from './spec'

/** How a template variable gets its value when the user gives none. */
export type VariableGenerator =
  | { kind: 'password'; length: number }
  | { kind: 'secret'; bytes: number; encoding: 'hex' | 'base64' }
  | { kind: 'domain' }
  | { kind: 'value'; value: string }
  /** The connection URL of a database the app needs (from Helvetia's databases, or the template's own service). */
  | { kind: 'database-url'; database: string }

export interface TemplateVariable {
  name: string
  description: string
  secret: boolean
  /** The user must give it (no generator). */
  required: boolean
  generator: VariableGenerator | null
}

/** A template as the catalogue lists it, and as an import renders it (the same model for every source). */
export interface TemplateSummary {
  id: string
  name: string
  description: string
  category: string
  /** The template's own version (semver); the app's version is in `appVersion`. */
  version: string
  appVersion: string
  /** Shipped inside Helvetia, or added by the user (imported). */
  origin: 'builtin' | 'imported'
  website: string | null
}

export interface Template extends TemplateSummary {
  /** Every template version this catalogue has, newest first. */
  versions: string[]
  variables: TemplateVariable[]
  /** Services, the images they run (tags pinned), and which the proxy routes (with their port). */
  services: { name: string; image: string; port: number | null; routed: boolean }[]
  volumes: { service: string; name: string; path: string }[]
  /** Databases it needs: each may be the template's own service or one of Helvetia's databases. */
  databases: { name: string; engine: string; service: string | null }[]
  /** The compose file, with `${VARIABLE}` references unresolved. */
  compose: string
  /** An import's conversions that are not exact (a Dokploy `${uuid}` made a hex secret, …). */
  warnings?: string[]
}

/** A template rendered for one app: the compose file Helvetia will run and each variable's value. */
export interface RenderedTemplate {
  template: TemplateSummary
  compose: string
  /** Secret values masked unless `reveal` was asked for. */
  values: { name: string; value: string; secret: boolean; generated: boolean }[]
  routes: { service: string; domains: string[]; port: number }[]
  warnings: string[]
}

/** What `app upgrade` would change: shown before it runs. */
export interface UpgradePlan {
  app: string
  template: string
  from: string
  to: string
  /** A unified diff of the rendered compose file (secret values masked). */
  diff: string
  /** Variables kept from the installed version (their values, secrets included, stay as they are). */
  kept: string[]
  /** Variables the new version adds, with generated values. */
  added: string[]
  volumesKept: string[]
}

const renderInput = z.strictObject({
  template: text,
  version: text.optional(),
  /** The app's name, and the server whose default domain a `domain` variable may use. */
  app: text,
  server: text,
  values: z.record(z.string(), z.string()).optional(),
  reveal: z.boolean().optional(),
})
export type RenderTemplateInput = z.infer<typeof renderInput>

export const catalogContract = {
  'catalog:list': call(noInput).returns<TemplateSummary[]>(),
  /** One template (TEMPLATE_NOT_FOUND when there is none by that id). */
  'catalog:show': call(z.strictObject({ id: text, version: text.optional() })).returns<Template>(),
  /** Renders a template for an app without creating anything (the install form's preview). */
  'catalog:render': call(renderInput).returns<RenderedTemplate>(),
  /**
   * Reads a template in Dokploy's blueprint layout or a Coolify compose template, from a file or an
   * http(s) URL, into Helvetia's model. `save`: false (default) only shows it; true adds it to this
   * computer's templates (origin `imported`).
   */
  'catalog:import': call(
    z.strictObject({
      source: text,
      format: checkedByCore<'auto' | 'dokploy' | 'coolify' | 'helvetia'>().optional(),
      save: z.boolean().optional(),
    }),
  ).returns<Template>(),
  'catalog:remove': call(z.strictObject({ id: text })).returns<void>(),
  /** What upgrading an installed catalogue app to `to` (default: the newest version) would change. */
  'catalog:upgrade-plan': call(z.strictObject({ name: text, to: text.optional() })).returns<UpgradePlan>(),
  /** Upgrades it: renders the new version with the kept values, then deploys it (rollback undoes it). */
  'catalog:upgrade': stream(z.strictObject({ name: text, to: text.optional() })).yields<DeployProgress>(),
} as const
