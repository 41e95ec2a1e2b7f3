import type { BuildPlan } from '../../api/builds'
import { UserError } from '../errors'
import { parseProcfile } from './procfile'
import type { DetectContext, Detector } from './recipe'
import type { SourceFiles } from './source-files'
import { detectGo } from './stacks/go'
import { detectNode } from './stacks/node'
import { detectPhp } from './stacks/php'
import { detectPython } from './stacks/python'
import { detectRuby } from './stacks/ruby'
import { detectStatic, OUTPUT_FOLDERS } from './stacks/static'

/**
 * The build plan of a source: its own Dockerfile always wins; else the first stack that matches, in
 * this order (a Rails, Laravel or Django app often has a package.json for its assets, so Node comes
 * after the server languages, and a static site last); else NOTHING_TO_BUILD, naming what was looked for.
 */
const DETECTORS: Detector[] = [detectRuby, detectPhp, detectPython, detectGo, detectNode, detectStatic]

/** What the detectors look at, for NOTHING_TO_BUILD and for a git tree read on the server (./git-files.ts). */
export const LOOKED_FOR = [
  'package.json',
  'requirements.txt',
  'pyproject.toml',
  'go.mod',
  'Gemfile',
  'composer.json',
  'index.php',
  'index.html',
] as const

/**
 * Every folder the detectors list and every file they read (besides the app's Dockerfile path): a git
 * commit's are fetched from the server in one go (./git-files.ts). test/unit/builds-plan.test.ts fails
 * when a detector reads anything else.
 */
export const DETECTION_READS = {
  folders: ['', 'cmd', 'config', ...OUTPUT_FOLDERS],
  files: [
    'Procfile',
    'package.json',
    '.nvmrc',
    '.node-version',
    'requirements.txt',
    'pyproject.toml',
    'uv.lock',
    'poetry.lock',
    '.python-version',
    'runtime.txt',
    'manage.py',
    'go.mod',
    'Gemfile',
    'Gemfile.lock',
    '.ruby-version',
    'composer.json',
  ],
} as const

export interface PlanOptions {
  /** The app's Dockerfile path (default `Dockerfile`). */
  dockerfile?: string
  /** The port the app listens on (ENV PORT, EXPOSE). */
  port: number
}

export async function planBuild(files: SourceFiles, options: PlanOptions): Promise<BuildPlan> {
  const dockerfilePath = options.dockerfile ?? 'Dockerfile'
  const top = new Set(await files.list(''))
  const procfileText = top.has('Procfile') ? await files.read('Procfile') : null
  const procfile = procfileText === null ? [] : parseProcfile(procfileText)
  const own = await files.read(dockerfilePath)
  if (own !== null) {
    return {
      stack: 'dockerfile',
      evidence: [`${dockerfilePath}: the app's own, used as it is`],
      dockerfile: own,
      generated: false,
      baseImages: [...own.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)].map((m) => m[1]!),
      start: null,
      processes: procfile,
      port: null,
    }
  }
  const ctx: DetectContext = { files, top, port: options.port, procfile }
  for (const detect of DETECTORS) {
    const recipe = await detect(ctx)
    if (!recipe) continue
    return {
      stack: recipe.stack,
      evidence: [
        `no ${dockerfilePath}: Helvetia generates one`,
        ...recipe.evidence,
        ...(procfile.length > 0 ? [`Procfile: ${procfile.map((p) => p.name).join(', ')}`] : []),
      ],
      dockerfile: recipe.dockerfile,
      generated: true,
      baseImages: recipe.baseImages,
      start: recipe.start,
      processes: procfile.length > 0 ? procfile : [{ name: 'web', command: recipe.start }],
      port: options.port,
    }
  }
  throw new UserError(
    'NOTHING_TO_BUILD',
    `Nothing to build in ${files.where}: no ${dockerfilePath}, and none of ${LOOKED_FOR.join(', ')} (index.html at the top, or a build script writing it to ${OUTPUT_FOLDERS.join('/, ')}/).`,
    'Add a Dockerfile, or the manifest of your stack: package.json with a start script (Node), requirements.txt or pyproject.toml (Python), go.mod, a Gemfile, composer.json, or an index.html for a static site.',
  )
}

/**
 * What a deploy of the source builds with: undefined for the source's own Dockerfile, else the one
 * Helvetia generates (NOTHING_TO_BUILD and the other planning errors: neither).
 */
export async function generatedDockerfile(
  files: SourceFiles,
  spec: { port: number; build: { dockerfile: string } },
): Promise<string | undefined> {
  const plan = await planBuild(files, { port: spec.port, dockerfile: spec.build.dockerfile })
  return plan.generated ? plan.dockerfile : undefined
}
