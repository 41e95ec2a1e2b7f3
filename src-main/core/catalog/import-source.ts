/**
 * Reads a template to import from a file, a folder or an http(s) URL, in Dokploy's blueprint layout
 * (a folder, or its template.toml, with docker-compose.yml beside it), as a Coolify compose template
 * (one YAML file) or in Helvetia's own format (a version folder with template.json and compose.yml).
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { UserError } from '../errors'
import { readCoolify } from './import-coolify'
import { finishDraft } from './import-draft'
import { readDokploy } from './import-dokploy'
import { parseTemplate, TEMPLATE_FILES } from './template-store'
import type { TemplateMeta } from './template-schema'

export type ImportFormat = 'auto' | 'dokploy' | 'coolify' | 'helvetia'

export interface Imported {
  id: string
  meta: TemplateMeta
  compose: string
  warnings: string[]
}

/** Larger than any template: a URL that sends more is not one. */
const MAX_BYTES = 1024 * 1024

const unreadable = (source: string, why: string) =>
  new UserError(
    'TEMPLATE_UNREADABLE',
    `Cannot read ${source}: ${why}.`,
    'Give the path or the http(s) URL of a template.',
  )

async function fetchText(url: URL): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000), redirect: 'follow' }).catch(
    (error: Error) => {
      throw unreadable(url.href, error.message)
    },
  )
  if (!response.ok) throw unreadable(url.href, `HTTP ${response.status}`)
  const text = await response.text()
  if (text.length > MAX_BYTES) throw unreadable(url.href, 'it is larger than 1 MB')
  return text
}

/** Reads `name` beside `source` (a file path or URL), or null when there is none. */
function sibling(source: string, name: string): Promise<string | null> {
  if (/^https?:\/\//.test(source)) return fetchText(new URL(name, source)).catch(() => null)
  const path = join(dirname(source), name)
  return existsSync(path) ? readFile(path, 'utf8') : Promise.resolve(null)
}

/** The id an import gets: its folder's or file's name, as a template id. */
function idOf(source: string): string {
  const parts = source.replace(/\/+$/, '').split('/')
  const file = parts.at(-1) ?? ''
  const name = /^(template\.toml|docker-compose\.ya?ml|compose\.ya?ml|template\.json)$/.test(file)
    ? (parts.at(-2) ?? '')
    : file
  const id = name
    .replace(/\.(ya?ml|toml)$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return /^[a-z]/.test(id) ? id.slice(0, 40) : `imported-${id}`.slice(0, 40)
}

export async function readImport(source: string, format: ImportFormat = 'auto'): Promise<Imported> {
  const remote = /^https?:\/\//.test(source)
  if (!remote && /^[a-z]+:\/\//i.test(source))
    throw unreadable(source, 'only files and http(s) URLs are read')
  let file = source
  if (!remote) {
    if (!existsSync(source)) throw unreadable(source, 'no such file or folder')
    if (statSync(source).isDirectory()) {
      const inside = ['template.json', 'template.toml', 'docker-compose.yml', 'compose.yml'].find((f) =>
        existsSync(join(source, f)),
      )
      if (!inside)
        throw unreadable(source, 'the folder holds no template.toml, template.json nor compose file')
      file = join(source, inside)
    }
  }
  const text = remote ? await fetchText(new URL(source)) : await readFile(file, 'utf8')
  const name = basename(file)
  const id = idOf(source)
  const kind =
    format !== 'auto'
      ? format
      : name === 'template.json'
        ? 'helvetia'
        : name === 'template.toml' || (await sibling(file, 'template.toml')) !== null
          ? 'dokploy'
          : 'coolify'
  if (kind === 'helvetia') {
    const compose = name === 'template.json' ? await sibling(file, TEMPLATE_FILES.compose) : text
    const meta = name === 'template.json' ? text : await sibling(file, TEMPLATE_FILES.meta)
    if (compose === null || meta === null)
      throw unreadable(source, 'template.json and compose.yml must be side by side')
    return { id, meta: parseTemplate(meta, compose, id), compose, warnings: [] }
  }
  if (kind === 'dokploy') {
    const toml = name === 'template.toml' ? text : await sibling(file, 'template.toml')
    const compose = name === 'template.toml' ? await sibling(file, 'docker-compose.yml') : text
    if (toml === null || compose === null)
      throw unreadable(source, 'a Dokploy blueprint has docker-compose.yml and template.toml side by side')
    const draft = readDokploy(id, compose, toml)
    return { id, ...finishDraft(draft), warnings: draft.warnings }
  }
  const draft = readCoolify(id, text)
  return { id, ...finishDraft(draft), warnings: draft.warnings }
}
