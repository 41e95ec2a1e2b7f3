/**
 * The README's "API errors" section, made from the error catalogue (src-main/api/errors.ts).
 * `node --import tsx src-main/tooling/api-errors-readme.ts` writes it into README.md between its
 * markers; test/unit/api-errors.test.ts fails while the README's copy differs.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { API_ERRORS } from '../api/errors'

export const README = fileURLToPath(new URL('../../README.md', import.meta.url))
export const START = '<!-- api-errors:start (generated from src-main/api/errors.ts; do not edit) -->'
export const END = '<!-- api-errors:end -->'

/** The table: each code, what it means and what to do, and what raises it. */
export function apiErrorsTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|')
  const rows = Object.entries(API_ERRORS).map(
    ([code, info]) =>
      `| \`${code}\` | ${cell(info.means)} | ${info.raisedBy.map((by) => (by.includes(':') ? `\`${by}\`` : by)).join(', ')} |`,
  )
  return ['| Code | Means | Raised by |', '| --- | --- | --- |', ...rows].join('\n')
}

/** `readme` with the section between the markers replaced by the current table. */
export function withApiErrors(readme: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`)
  return `${readme.slice(0, start + START.length)}\n${apiErrorsTable()}\n${readme.slice(end)}`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withApiErrors(readFileSync(README, 'utf8')))
}
