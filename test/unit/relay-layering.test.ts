import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ESLint } from 'eslint'

const eslint = new ESLint()

async function layeringErrors(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'relay/extra.js' })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

test('the relay imports node:* and its own files only, so it deploys with nothing but Node', async () => {
  assert.deepEqual(
    await layeringErrors(
      "import { join } from 'node:path'\nimport { signBody } from './signature.js'\nexport const x = [join, signBody]\n",
    ),
    [],
  )
  for (const name of ['../src-main/core/errors', 'ws', '@scope/package']) {
    const errors = await layeringErrors(`import * as m from '${name}'\nexport const x = m\n`)
    assert.equal(errors.length, 1, name)
    assert.match(errors[0] ?? '', /nothing but Node/)
  }
})
