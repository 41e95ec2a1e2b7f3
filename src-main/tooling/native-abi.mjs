#!/usr/bin/env node
// Native modules (better-sqlite3, keytar, node-pty, ssh2's cpu-features) are compiled for one ABI at a
// time: Electron's for the desktop app, Node's for the CLI and the tests. `npm start` and `npm test`
// call this first with the runtime they need; it rebuilds only when the installed build is for the
// other one, so switching between the two costs one rebuild, not a crash.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const marker = `${root}node_modules/.helvetia-native-abi`
const modules = ['better-sqlite3', 'keytar', 'node-pty', 'cpu-features']
const target = process.argv[2]

const built = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : 'node'

if (target === 'node') {
  // Trust a real load over the marker: it also catches a Node upgrade.
  const probe = spawnSync(process.execPath, ['-e', "require('better-sqlite3'); require('keytar')"], {
    cwd: root,
  })
  if (probe.status !== 0 || built !== 'node') {
    console.error('helvetia: rebuilding native modules for Node…')
    execFileSync('npm', ['rebuild', ...modules], { cwd: root, stdio: 'inherit' })
    writeFileSync(marker, 'node\n')
  }
} else if (target === 'electron') {
  if (built !== 'electron') {
    console.error('helvetia: rebuilding native modules for Electron…')
    execFileSync('npx', ['electron-builder', 'install-app-deps'], { cwd: root, stdio: 'inherit' })
    writeFileSync(marker, 'electron\n')
  }
} else {
  console.error('usage: native-abi.mjs node|electron')
  process.exit(2)
}
