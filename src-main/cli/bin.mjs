#!/usr/bin/env node
// The `helvetia` command. It runs the bundle that `npm run build` makes (out/cli/main.js, see
// src-main/tooling/build-cli.mjs): a start-up loads one file instead of compiling TypeScript.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const bundle = new URL('../../out/cli/main.js', import.meta.url)
if (!existsSync(bundle)) {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  process.stderr.write(
    `helvetia: the CLI is not built (no ${fileURLToPath(bundle)}). Run \`npm run build\` in ${root}.\n`,
  )
  process.exit(1)
}
await import(bundle.href)
