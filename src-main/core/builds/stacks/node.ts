import { UserError } from '../../errors'
import { BASE_IMAGES } from '../base-images'
import { cmd, copyList, header, lines, port } from '../dockerfile-text'
import type { DetectContext, Detector, Recipe } from '../recipe'
import { pickImage } from '../versions'

/**
 * Node: package.json, its lock file (npm, yarn or pnpm), the version from .nvmrc, .node-version or
 * `engines.node`, started by the Procfile's web line, the `start` script or `main`. A package.json
 * with a build script and nothing to start is a static site built by Node (./static.ts serves it).
 */

interface PackageJson {
  scripts?: Record<string, string>
  main?: string
  engines?: { node?: string }
  packageManager?: string
}

type Manager = 'npm' | 'yarn' | 'pnpm'

interface NodeInstall {
  manager: Manager
  /** The files the dependency layer copies. */
  manifests: string[]
  /** Runs as root before the install (corepack for pnpm and Yarn 2+). */
  setup: string | null
  /** `production`: without the development dependencies (no build needs them). */
  install: (production: boolean) => string
  run: (script: string) => string
  evidence: string[]
}

const LOCKS: { file: string; manager: Manager }[] = [
  { file: 'package-lock.json', manager: 'npm' },
  { file: 'npm-shrinkwrap.json', manager: 'npm' },
  { file: 'yarn.lock', manager: 'yarn' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
]

/** Configuration the install reads (a private registry, a CA): copied with the manifests. */
const INSTALL_CONFIG = ['.npmrc', '.yarnrc', '.yarnrc.yml']

export async function readPackageJson(ctx: DetectContext): Promise<PackageJson | null> {
  if (!ctx.top.has('package.json')) return null
  const text = (await ctx.files.read('package.json')) ?? ''
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object')
    return parsed as PackageJson
  } catch (error) {
    throw new UserError(
      'MANIFEST_INVALID',
      `package.json in ${ctx.files.where} is not valid JSON (${(error as Error).message}).`,
      'Fix package.json (npm pkg get name checks it), then try again.',
    )
  }
}

export function nodeInstall(ctx: DetectContext, pkg: PackageJson): NodeInstall {
  const lock = LOCKS.find((l) => ctx.top.has(l.file))
  const config = INSTALL_CONFIG.filter((f) => ctx.top.has(f))
  const manifests = ['package.json', ...(lock ? [lock.file] : []), ...config]
  const declared = /^(npm|yarn|pnpm)@(\d+)/.exec(pkg.packageManager ?? '')
  const manager = lock?.manager ?? (declared?.[1] as Manager | undefined) ?? 'npm'
  const evidence = lock
    ? [`${lock.file}: installed with ${manager}`]
    : ['no lock file: npm install (commit package-lock.json for repeatable builds)']
  if (manager === 'pnpm') {
    return {
      manager,
      manifests,
      setup: 'corepack enable',
      install: (prod) => `pnpm install${lock ? ' --frozen-lockfile' : ''}${prod ? ' --prod' : ''}`,
      run: (s) => `pnpm run ${s}`,
      evidence,
    }
  }
  if (manager === 'yarn') {
    // Yarn 1 comes with the official image; Yarn 2+ (a packageManager field) through corepack.
    const berry = declared?.[1] === 'yarn' && Number(declared[2]) >= 2
    return {
      manager,
      manifests,
      setup: berry ? 'corepack enable' : null,
      install: (prod) =>
        berry
          ? `yarn ${prod ? 'workspaces focus --all --production' : 'install --immutable'}`
          : `yarn install${lock ? ' --frozen-lockfile' : ''}${prod ? ' --production' : ''}`,
      run: (s) => `yarn run ${s}`,
      evidence,
    }
  }
  return {
    manager,
    manifests,
    setup: null,
    install: (prod) => `${lock ? 'npm ci' : 'npm install'}${prod ? ' --omit=dev' : ''}`,
    run: (s) => `npm run ${s}`,
    evidence,
  }
}

export async function nodeImage(
  ctx: DetectContext,
  pkg: PackageJson,
): Promise<{ image: string; evidence: string }> {
  let rule: { text: string; from: string } | null = null
  for (const file of ['.nvmrc', '.node-version']) {
    const text = ctx.top.has(file) ? (await ctx.files.read(file))?.trim() : undefined
    // `lts/*`, `node`, `stable`: any release, so the newest pinned.
    // A patch release is not pinned: its major is what the image gives (`v20.11.1` → 20).
    const major = text ? /^v?(\d+)/.exec(text)?.[1] : undefined
    if (major) {
      rule = { text: major, from: `${file} ${text}` }
      break
    }
  }
  if (!rule && typeof pkg.engines?.node === 'string') rule = { text: pkg.engines.node, from: 'engines.node' }
  const picked = pickImage(BASE_IMAGES.node, rule)
  if ('error' in picked) {
    throw new UserError(
      'NO_BASE_IMAGE',
      `${picked.error}: no Node image Helvetia pins fits.`,
      'Allow one of those versions (.nvmrc, engines.node), or add a Dockerfile of your own.',
    )
  }
  return { image: picked.image.image, evidence: picked.evidence }
}

/** What runs the app: the Procfile's web line, the start script, `main`, or server.js/index.js/app.js. */
function startCommand(
  ctx: DetectContext,
  pkg: PackageJson,
  install: NodeInstall,
): { start: string; evidence: string } | null {
  const web = ctx.procfile.find((p) => p.name === 'web')
  if (web) return { start: web.command, evidence: `Procfile: web: ${web.command}` }
  const script = pkg.scripts?.start
  if (typeof script === 'string' && script.trim() !== '') {
    const start = install.manager === 'npm' ? 'npm start' : `${install.manager} start`
    return { start, evidence: `package.json: start script (${script})` }
  }
  if (typeof pkg.main === 'string' && pkg.main !== '') {
    return { start: `node ${pkg.main}`, evidence: `package.json: main (${pkg.main})` }
  }
  const entry = ['server.js', 'index.js', 'app.js', 'main.js'].find((f) => ctx.top.has(f))
  return entry ? { start: `node ${entry}`, evidence: `${entry} at the top` } : null
}

/** The lines of a Node stage that installs the dependencies (cached), copies the source and builds it. */
export function nodeStage(image: string, install: NodeInstall, build: string | null, as?: string): string[] {
  return [
    `FROM ${image}${as ? ` AS ${as}` : ''}`,
    ...(install.setup ? [`RUN ${install.setup}`] : []),
    // The official image's `node` user (uid 1000) owns the app: nothing runs as root.
    'RUN mkdir -p /app && chown node:node /app',
    'WORKDIR /app',
    'USER node',
    '# Dependencies first: this layer is reused until a manifest or the lock file changes.',
    copyList(install.manifests, './', 'node:node'),
    `RUN ${install.install(!build && !as)}`,
    'COPY --chown=node:node . .',
    ...(build ? [`RUN ${install.run('build')}`] : []),
  ]
}

export const detectNode: Detector = async (ctx): Promise<Recipe | null> => {
  const pkg = await readPackageJson(ctx)
  if (!pkg) return null
  const install = nodeInstall(ctx, pkg)
  const start = startCommand(ctx, pkg, install)
  const build = typeof pkg.scripts?.build === 'string' ? pkg.scripts.build : null
  // Nothing to start but a build: a static site (./static.ts).
  if (!start) return null
  const image = await nodeImage(ctx, pkg)
  // The build needed the development dependencies; the image keeps npm's production ones only.
  const prune = build && install.manager === 'npm' ? ['RUN npm prune --omit=dev'] : []
  const dockerfile = lines(
    header('a Node app'),
    nodeStage(image.image, install, build),
    prune,
    ['ENV NODE_ENV=production', ...port(ctx.port)],
    cmd(start.start),
  )
  return {
    stack: 'node',
    evidence: [
      'package.json',
      ...install.evidence,
      image.evidence,
      ...(build ? [`package.json: build script (${build}), run in the image`] : []),
      start.evidence,
    ],
    dockerfile,
    baseImages: [image.image],
    start: start.start,
  }
}

export type { PackageJson, NodeInstall }
