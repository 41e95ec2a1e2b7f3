// Lint rules, including the layering rules that keep the core plain Node and the renderer on the
// shared API only (see README, "Layout").
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

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

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'screenshots/**'] },
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
)
