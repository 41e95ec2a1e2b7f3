import { UserError } from '../../errors'
import { TOOL_IMAGES } from '../base-images'
import { cmd, header, lines, port } from '../dockerfile-text'
import type { DetectContext, Detector } from '../recipe'
import { nodeImage, nodeInstall, nodeStage, readPackageJson } from './node'

/**
 * A static site: index.html at the top, or a package.json whose build script writes one into an
 * output folder (its `--outDir`/`--out-dir`/`-o`, the tool's own default, or a dist/, build/, out/ or
 * public/ that holds index.html) and that has nothing to start. Built by Node in a first stage when
 * there is a build, served by Caddy's file server as a non-root user.
 */

/** Where known build tools write by default. */
const TOOL_OUTPUT: [RegExp, string][] = [
  [/\bvite\b/, 'dist'],
  [/\bastro\b/, 'dist'],
  [/\bparcel\b/, 'dist'],
  [/\bng build\b/, 'dist'],
  [/\breact-scripts build\b/, 'build'],
  [/\bnext export\b/, 'out'],
  [/\b(?:eleventy|@11ty)\b/, '_site'],
]

export const OUTPUT_FOLDERS = ['dist', 'build', 'out', 'public'] as const

const SAFE_FOLDER = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/

async function outputFolder(
  ctx: DetectContext,
  build: string,
): Promise<{ folder: string; evidence: string } | null> {
  const flag = /(?:--out-?[dD]ir|(?:^|\s)-o)[=\s]+(?:\.\/)?([^\s&;|'"]+?)\/?(?=$|[\s&;|])/.exec(build)
  if (flag && SAFE_FOLDER.test(flag[1]!))
    return { folder: flag[1]!, evidence: `the build writes to ${flag[1]}/` }
  const tool = TOOL_OUTPUT.find(([pattern]) => pattern.test(build))
  if (tool) return { folder: tool[1], evidence: `the build's tool writes to ${tool[1]}/` }
  for (const folder of OUTPUT_FOLDERS) {
    if ((await ctx.files.list(folder)).includes('index.html'))
      return { folder, evidence: `${folder}/index.html` }
  }
  return null
}

export const detectStatic: Detector = async (ctx) => {
  const pkg = await readPackageJson(ctx)
  const build = typeof pkg?.scripts?.build === 'string' ? pkg.scripts.build : null
  if (pkg && build) {
    const out = await outputFolder(ctx, build)
    if (!out) {
      throw new UserError(
        'NO_START_COMMAND',
        `package.json in ${ctx.files.where} has a build script but no start script, and where its build writes is unknown.`,
        'Add a start script (a Node server), or write the site to dist/ (vite, astro) or pass --outDir to the build.',
      )
    }
    const install = nodeInstall(ctx, pkg)
    const image = await nodeImage(ctx, pkg)
    const dockerfile = lines(
      header('a static site built with Node'),
      nodeStage(image.image, install, build, 'build'),
      '',
      `FROM ${TOOL_IMAGES.staticServer}`,
      `COPY --from=build /app/${out.folder} /srv`,
      serveLines(ctx.port),
    )
    return {
      stack: 'static',
      evidence: [
        `package.json: a build script (${build}) and no start script`,
        ...install.evidence,
        image.evidence,
        out.evidence,
        `served by ${TOOL_IMAGES.staticServer}`,
      ],
      dockerfile,
      baseImages: [image.image, TOOL_IMAGES.staticServer],
      start: startOf(),
    }
  }
  if (!ctx.top.has('index.html')) return null
  const dockerfile = lines(
    header('a static site'),
    `FROM ${TOOL_IMAGES.staticServer}`,
    'COPY . /srv',
    serveLines(ctx.port),
  )
  return {
    stack: 'static',
    evidence: ['index.html at the top', `served by ${TOOL_IMAGES.staticServer}`],
    dockerfile,
    baseImages: [TOOL_IMAGES.staticServer],
    start: startOf(),
  }
}

const startOf = () => 'caddy file-server --root /srv --listen :$PORT'

function serveLines(listen: number): string[] {
  return [
    // nobody: Caddy needs no privilege for a port above 1024 and files it only reads.
    'USER 65534:65534',
    ...port(listen),
    cmd(startOf()),
  ]
}
