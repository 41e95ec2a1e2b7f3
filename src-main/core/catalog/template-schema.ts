/**
 * Helvetia's template format: `<id>/<version>/template.json` beside `compose.yml`. This schema is
 * checked when a template is loaded (built in or imported), so a broken file is refused with the
 * path of the value at fault rather than half-rendered.
 */
import { z } from 'zod'
import { PATTERNS, whole } from '../rules/patterns'

/** A template's id, its folder's name: the app name rule's characters. */
export const TEMPLATE_ID = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/
/** A template version: major.minor.patch, nothing more (compared number by number). */
export const TEMPLATE_VERSION = whole(PATTERNS.templateVersion)
/** A variable's name, as compose's `${NAME}` references it. */
export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/

const name = z.string().regex(VARIABLE_NAME, 'UPPER_CASE letters, digits and _')

const generator = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('password'), length: z.int().min(8).max(256) }),
  z.strictObject({
    kind: z.literal('secret'),
    bytes: z.int().min(8).max(256),
    encoding: z.enum(['hex', 'base64']),
  }),
  z.strictObject({ kind: z.literal('domain') }),
  /** `${OTHER}` inside the value is replaced by that variable's value. */
  z.strictObject({ kind: z.literal('value'), value: z.string() }),
  z.strictObject({ kind: z.literal('database-url'), database: z.string() }),
])

const variable = z.strictObject({
  name,
  description: z.string().min(1),
  /** Kept in the keychain and masked in previews; a generated password or secret is one by default. */
  secret: z.boolean().optional(),
  /** No generator: the user must give it. */
  generator: generator.optional(),
})

const service = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a compose service name')

export const DATABASE_ENGINES = ['postgres', 'mysql', 'mariadb', 'redis', 'mongodb'] as const

export const templateMetaSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  category: z.string().regex(/^[a-z][a-z-]*$/, 'a lowercase word'),
  version: z.string().regex(TEMPLATE_VERSION, 'a version like 1.2.0'),
  appVersion: z.string().min(1),
  website: z.url().nullable(),
  /** Each service's image, its tag pinned: the compose file must run exactly these. */
  images: z.record(service, z.string()),
  variables: z.array(variable),
  /** The services the proxy routes, each on its port; `domain`: the variable holding its host. */
  ports: z.array(z.strictObject({ service, port: z.int().min(1).max(65535), domain: name })).min(1),
  volumes: z.array(z.strictObject({ service, name: service, path: z.string().startsWith('/') })),
  /**
   * Databases it needs, each run by the template's own `service`; `helvetia`: one of Helvetia's
   * databases of that engine may be used instead (its URL given to the `database-url` variable).
   */
  databases: z.array(
    z.strictObject({
      name: service,
      engine: z.enum(DATABASE_ENGINES),
      service,
      /** Left out for Redis, which has neither. */
      user: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/)
        .optional(),
      database: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/)
        .optional(),
      /** The variable holding its password. */
      password: name,
      helvetia: z.boolean(),
    }),
  ),
})

export type TemplateMeta = z.infer<typeof templateMetaSchema>
export type VariableSpec = TemplateMeta['variables'][number]
export type GeneratorSpec = NonNullable<VariableSpec['generator']>

/** Kept in the keychain and masked: as the template says, else generated passwords, secrets and database URLs. */
export const isSecret = (v: VariableSpec): boolean =>
  v.secret ?? ['password', 'secret', 'database-url'].includes(v.generator?.kind ?? '')

/** Newest first: compares major, minor and patch as numbers. */
export function byVersionDescending(a: string, b: string): number {
  const parts = (v: string) => v.split('.').map(Number)
  const [x, y] = [parts(a), parts(b)]
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (y[i] ?? 0) - (x[i] ?? 0)
  return 0
}
