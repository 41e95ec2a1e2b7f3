/**
 * Where templates live: the built-in catalogue shipped inside the app (`resources/catalog`, read-only)
 * and this computer's imported ones (`<home>/catalog`), both in Helvetia's format, one folder a
 * template and one below it a version. Read from disk on each call: small files, and an import
 * shows at once.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TemplateSummary } from '../../api/catalog'
import { UserError } from '../errors'
import { checkTemplate } from './template-check'
import {
  byVersionDescending,
  TEMPLATE_ID,
  TEMPLATE_VERSION,
  templateMetaSchema,
  type TemplateMeta,
} from './template-schema'

export const TEMPLATE_FILES = { compose: 'compose.yml', meta: 'template.json' } as const

/** One version of a template, checked. */
export interface LoadedTemplate {
  id: string
  origin: TemplateSummary['origin']
  meta: TemplateMeta
  compose: string
  /** Every version of this template, newest first. */
  versions: string[]
}

/** Parses and checks a template's two files (TEMPLATE_INVALID names the file and the value at fault). */
export function parseTemplate(metaText: string, compose: string, where: string): TemplateMeta {
  let json: unknown
  try {
    json = JSON.parse(metaText)
  } catch (error) {
    throw new UserError(
      'TEMPLATE_INVALID',
      `${where}/template.json: ${(error as Error).message}`,
      'Fix the file.',
    )
  }
  const parsed = templateMetaSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const at = issue?.path.join('.') || '(top)'
    throw new UserError(
      'TEMPLATE_INVALID',
      `${where}/template.json: ${at}: ${issue?.message}`,
      'Fix the file.',
    )
  }
  checkTemplate(parsed.data, compose, where)
  return parsed.data
}

const notFound = (id: string, version?: string) =>
  new UserError(
    'TEMPLATE_NOT_FOUND',
    version ? `The catalogue has no version ${version} of ${id}.` : `The catalogue has no template "${id}".`,
    version
      ? `See its versions with \`helvetia catalog show ${id}\`.`
      : 'See the templates with `helvetia catalog list`.',
  )

const subfolders = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : []

export function createTemplateStore(dirs: { builtin: string; imported: string }) {
  const roots = [
    { origin: 'builtin', dir: dirs.builtin },
    { origin: 'imported', dir: dirs.imported },
  ] as const

  const locate = (id: string) => {
    if (!TEMPLATE_ID.test(id)) throw notFound(id)
    const root = roots.find((r) => existsSync(join(r.dir, id)))
    if (!root) throw notFound(id)
    const versions = subfolders(join(root.dir, id))
      .filter((v) => TEMPLATE_VERSION.test(v))
      .sort(byVersionDescending)
    return { ...root, versions }
  }

  const load = (id: string, version?: string): LoadedTemplate => {
    const { origin, dir, versions } = locate(id)
    const chosen = version ?? versions[0]
    if (!chosen || !versions.includes(chosen)) throw notFound(id, version)
    const folder = join(dir, id, chosen)
    const compose = readFileSync(join(folder, TEMPLATE_FILES.compose), 'utf8')
    const meta = parseTemplate(
      readFileSync(join(folder, TEMPLATE_FILES.meta), 'utf8'),
      compose,
      `${id}/${chosen}`,
    )
    if (meta.version !== chosen) {
      throw new UserError(
        'TEMPLATE_INVALID',
        `${id}/${chosen}: template.json says version ${meta.version}.`,
        'Fix the file.',
      )
    }
    return { id, origin, meta, compose, versions }
  }

  return {
    load,
    /** Every template's newest version, built-in ones first; a broken imported one is left out. */
    list(): LoadedTemplate[] {
      const seen = new Set<string>()
      const all: LoadedTemplate[] = []
      for (const root of roots) {
        for (const id of subfolders(root.dir)
          .filter((i) => TEMPLATE_ID.test(i))
          .sort()) {
          if (seen.has(id)) continue
          seen.add(id)
          try {
            all.push(load(id))
          } catch (error) {
            if (root.origin === 'builtin') throw error
          }
        }
      }
      return all
    },

    /** Keeps an imported template on this computer, in Helvetia's format; a built-in id is refused. */
    save(id: string, meta: TemplateMeta, compose: string): void {
      if (!TEMPLATE_ID.test(id))
        throw new UserError('INVALID_OPTION', `Invalid template id: ${JSON.stringify(id)}`)
      if (existsSync(join(dirs.builtin, id))) {
        throw new UserError(
          'TEMPLATE_EXISTS',
          `The built-in catalogue has a template "${id}".`,
          'Install the built-in one, or rename the imported template.',
        )
      }
      const folder = join(dirs.imported, id, meta.version)
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, TEMPLATE_FILES.compose), compose)
      writeFileSync(join(folder, TEMPLATE_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`)
    },

    /** Removes an imported template (every version); built-in ones stay. */
    remove(id: string): void {
      const { origin } = locate(id)
      if (origin === 'builtin') {
        throw new UserError(
          'TEMPLATE_BUILTIN',
          `${id} is part of the built-in catalogue.`,
          'Only imported templates can be removed.',
        )
      }
      rmSync(join(dirs.imported, id), { recursive: true, force: true })
    },
  }
}

export type TemplateStore = ReturnType<typeof createTemplateStore>
