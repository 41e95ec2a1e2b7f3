// Lint rules, including the layering rules that keep the core plain Node and the renderer on the
// shared API only (see README, "Layout").
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { noImportCycle } from './src-main/tooling/no-import-cycle.mjs'

const uiOnly = ['electron', 'react', 'react-dom', 'react-dom/*', 'zustand', 'recharts', '@xterm/*']

/** Modules a layer may not import, with the reason shown in the lint error. */
const forbid = (names, message) => ({ group: names, message })

export const layers = [
  {
    // The core, the API protocol, the CLI and the web mode: plain Node, no Electron, no UI.
    files: ['src-main/**/*.{ts,tsx,mjs}'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              uiOnly,
              'The core is plain Node: Electron and UI libraries belong in src-main/electron or src-renderer.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The shared API is imported by the renderer and the preload: it may not reach into the core.
    files: ['src-main/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(uiOnly, 'The shared API is plain data and protocol: no Electron or UI libraries.'),
            forbid(
              ['../*', 'node:*'],
              'The shared API runs in the renderer too: it may import only from src-main/api.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The renderer sees the main process only through the shared API.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['electron', 'node:*'],
              'The renderer has no Node or Electron: talk to the core through the API.',
            ),
            forbid(
              ['**/src-main/*', '!**/src-main/api'],
              'The renderer may import only src-main/api (the shared contract).',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['**/src-main/*', '!**/src-main/api'], 'The preload may import only the shared API.'),
          ],
        },
      ],
    },
  },
  {
    // The relay is deployed on its own with nothing but Node: its own files and node:* only.
    files: ['relay/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:|\\./)',
              message:
                'The relay runs with nothing but Node: import node:* modules and ./ files of relay/ only.',
            },
          ],
        },
      ],
    },
  },
]

/** A function or a file longer than this is split by concept (README, "Layout"; test/unit/layout.test.ts). */
export const MAX_FUNCTION_LINES = 120
export const MAX_FILE_LINES = 400
// A function is counted by its code; a file by every line that is not blank, comments included (a
// file's comments are read with it).
const functionLines = { max: MAX_FUNCTION_LINES, skipBlankLines: true, skipComments: true }
const fileLines = { max: MAX_FILE_LINES, skipBlankLines: true, skipComments: false }
const sources = ['src-main/**/*.{ts,tsx,mjs}', 'src-renderer/**/*.{ts,tsx}', 'src-preload/**/*.ts']

/** @type {import('eslint').Linter.RulesRecord} */
const sizeRules = {
  'max-lines-per-function': ['error', functionLines],
  'max-lines': ['error', fileLines],
}

export const size = [
  {
    // No import cycles: a cycle is two modules that are one concept, or a dependency pointing the wrong way.
    files: [...sources, 'relay/**/*.js'],
    plugins: { helvetia: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'helvetia/no-import-cycle': 'error' },
  },
  {
    // A look-up is a query of its own (get, byId, byServer, find), not a scan of everything.
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(find|some|filter)$/][callee.object.callee.property.name='list']",
          message: 'Look one up through a query function (get, byId, byServer, find) instead of list().find.',
        },
      ],
    },
  },
  {
    // relay/*.js, scripts and CSS: test/unit/layout.test.ts.
    files: sources,
    rules: sizeRules,
  },
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'screenshots/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...layers,
  ...size,
)
