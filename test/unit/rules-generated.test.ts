/**
 * The rules are defined once, in src-main/core/rules/; the server's scripts and the relay get them from
 * generated files. These tests fail when a committed generated file is stale (run `npm run generate`),
 * and run the generated shell functions beside their TypeScript definitions on the same inputs.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { APP_NAME } from '../../src-main/api/apps'
import { buildKey } from '../../src-main/core/rules/build-key'
import { GENERATED_FILES, relayRules, rulesSh } from '../../src-main/core/rules/generated-files'
import { DEPLOYMENT_ID } from '../../src-main/core/rules/ids'
import { APP_LAYOUT, SERVER_LAYOUT, appPath, serverPath } from '../../src-main/core/rules/layout'
import { FORM_SAFE, URL_COMPONENT_SAFE } from '../../src-main/core/rules/secret-forms'
import * as relay from '../../relay/rules.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RULES_SH = join(ROOT, GENERATED_FILES.rulesSh)

/** Runs `script` in sh with lib/rules.sh sourced, HOME set to `home`. */
function sh(script: string, args: string[] = [], home = '/home/u'): string {
  return execFileSync('sh', ['-c', `. "$0"; ${script}`, RULES_SH, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
  })
}

/** Where `committed` first differs from `generated`, or null when they are the same. */
function firstDifference(committed: string, generated: string): string | null {
  if (committed === generated) return null
  const a = committed.split('\n')
  const b = generated.split('\n')
  const line = a.findIndex((text, i) => text !== b[i])
  const at = line < 0 ? a.length : line
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, the rules give ${JSON.stringify(b[at])}`
}

test('the committed generated files are what the rules generate (else: npm run generate)', () => {
  const files = [
    [GENERATED_FILES.rulesSh, rulesSh()],
    [GENERATED_FILES.relayRules, relayRules()],
  ] as const
  for (const [path, generated] of files) {
    const difference = firstDifference(readFileSync(join(ROOT, path), 'utf8'), generated)
    assert.equal(difference, null, `${path} is stale (run npm run generate): ${difference}`)
  }
})

test('the relay names apps by the contract’s rule', () => {
  for (const name of [
    'web',
    'a',
    'my-app-2',
    'a'.repeat(40),
    '1abc',
    'a'.repeat(41),
    '-a',
    'a-',
    'A',
    'a_b',
  ]) {
    assert.equal(relay.APP_NAME.test(name), APP_NAME.test(name), name)
  }
  assert.equal(relay.APP_NAME.test('1abc'), false)
})

test('the server computes the build key as the desktop does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helvetia-rules-'))
  try {
    const env = ['MODE=production', 'TOKEN=p@ss w0rd=/+ ключ', 'EMPTY=', 'LAST=no line break']
    writeFileSync(join(dir, 'env'), env.join('\n'))
    for (const names of [[], ['MODE'], ['TOKEN', 'EMPTY', 'LAST']]) {
      writeFileSync(join(dir, 'build-args'), names.map((n) => `${n}\n`).join(''))
      const commit = 'a'.repeat(40)
      const server = sh('build_key "$1" "$2" "$3/env" "$3/build-args"', [commit, 'docker/Dockerfile', dir])
      const buildArgs = env.filter((line) => names.includes(line.split('=')[0] ?? ''))
      assert.equal(server, `${buildKey({ sourceId: commit, dockerfile: 'docker/Dockerfile', buildArgs })}\n`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the server makes deployment ids of the same form, in UTC', () => {
  const before = new Date().toISOString().slice(0, 10).replaceAll('-', '')
  const id = sh('new_deployment_id').trim()
  assert.match(id, DEPLOYMENT_ID)
  assert.ok(id.startsWith(before) || id.slice(0, 8) > before, id)
})

test('the server’s paths are the layout’s', () => {
  const server = Object.keys(SERVER_LAYOUT) as (keyof typeof SERVER_LAYOUT)[]
  const app = Object.keys(APP_LAYOUT) as (keyof typeof APP_LAYOUT)[]
  const out = sh(`app_paths hv web; for v in ${[...server, ...app].join(' ')}; do eval "echo \\$$v"; done`)
  assert.deepEqual(out.trim().split('\n'), [
    ...server.map((place) => `/home/u/${serverPath('hv', place)}`),
    ...app.map((place) => `/home/u/${appPath('hv', 'web', place)}`),
  ])
})

test('the URL encodings leave exactly the characters the server’s filter leaves', () => {
  const safe = (set: string) => new RegExp(`^[${set}]$`)
  for (let code = 32; code < 127; code++) {
    const c = String.fromCharCode(code)
    assert.equal(encodeURIComponent(c) === c, safe(URL_COMPONENT_SAFE).test(c), c)
    assert.equal(new URLSearchParams([['', c]]).toString().slice(1) === c, safe(FORM_SAFE).test(c), c)
  }
})
