import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ESLint } from 'eslint'

const eslint = new ESLint()

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

test('the core may not import electron', async () => {
  const errors = await layeringErrors(
    'src-main/core/sneaky.ts',
    "import { app } from 'electron'\nexport const x = app\n",
  )
  assert.equal(errors.length, 1)
  assert.match(errors[0] ?? '', /The core is plain Node/)
})

test('the core may not import React', async () => {
  const errors = await layeringErrors(
    'src-main/core/servers/view.ts',
    "import { useState } from 'react'\nexport const x = useState\n",
  )
  assert.equal(errors.length, 1)
})

test('the Electron glue may import electron', async () => {
  assert.deepEqual(
    await layeringErrors(
      'src-main/electron/extra.ts',
      "import { app } from 'electron'\nexport const x = app\n",
    ),
    [],
  )
})

test('the renderer may import the shared API but nothing else of the main process', async () => {
  const ok = "import type { Method } from '../../src-main/api/contract'\nexport type M = Method\n"
  assert.deepEqual(await layeringErrors('src-renderer/src/view.ts', ok), [])
  const bad = "import { createCore } from '../../src-main/core/create-core'\nexport const c = createCore\n"
  const errors = await layeringErrors('src-renderer/src/view.ts', bad)
  assert.equal(errors.length, 1)
  assert.match(errors[0] ?? '', /only src-main\/api/)
})

test('the shared API may not reach into the core or Node', async () => {
  const errors = await layeringErrors(
    'src-main/api/extra.ts',
    "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n",
  )
  assert.equal(errors.length, 1)
})
