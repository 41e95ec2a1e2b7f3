#!/usr/bin/env node
// Bundles the `helvetia` command (src-main/cli/main.ts) into out/cli/main.js, as electron-vite does for
// the desktop app's faces: a start-up then loads one file instead of compiling TypeScript (tsx took
// ~0.4 s of every command). The pure-JS dependencies go into the bundle; the native modules (and
// ssh2, which loads its native parts itself) stay in node_modules.
//   node src-main/tooling/build-cli.mjs             build (part of `npm run build`)
//   node src-main/tooling/build-cli.mjs --if-stale  build only when a source the bundle was made from
//                                                   changed since (what `npm test` runs first)
// out/cli/inputs.json lists those sources (the dependencies: package-lock.json), so the check reads exactly them.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const outDir = resolve(root, 'out/cli')
const bundle = resolve(outDir, 'main.js')
const inputsFile = resolve(outDir, 'inputs.json')
const NATIVE = ['better-sqlite3', 'keytar', 'ssh2', 'node-pty', 'cpu-features']
// ws loads these optional speed-ups only when installed; they are not.
const OPTIONAL = ['bufferutil', 'utf-8-validate']

/** Whether out/cli/main.js is missing or older than a source it was made from (or than this script). */
function stale() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return true
  const built = statSync(bundle).mtimeMs
  const inputs = [
    ...JSON.parse(readFileSync(inputsFile, 'utf8')),
    'package-lock.json',
    'src-main/tooling/build-cli.mjs',
  ]
  return inputs.some((file) => {
    const path = resolve(root, file)
    return !existsSync(path) || statSync(path).mtimeMs > built
  })
}

async function build() {
  const { build: viteBuild } = await import('vite')
  const result = await viteBuild({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true, external: [...NATIVE, ...OPTIONAL] },
    build: {
      ssr: resolve(root, 'src-main/cli/main.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: {
        output: { format: 'es', entryFileNames: 'main.js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  })
  const output = (Array.isArray(result) ? result[0] : result).output
  const inputs = output
    .flatMap((chunk) => chunk.moduleIds ?? [])
    .filter((id) => !id.startsWith('\0') && !id.includes('/node_modules/'))
    .map((id) => relative(root, id))
  writeFileSync(inputsFile, `${JSON.stringify(inputs, null, 1)}\n`)
}

if (!process.argv.includes('--if-stale') || stale()) {
  const started = Date.now()
  await build()
  console.error(`helvetia: built the CLI into out/cli/main.js in ${Date.now() - started} ms`)
}
