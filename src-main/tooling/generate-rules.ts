/**
 * Writes the files generated from src-main/core/rules/ (remote-scripts/lib/rules.sh, relay/rules.js)
 * and from the database engines' table (remote-scripts/lib/db-engines.sh).
 * Run by `npm run generate` after changing a rule; commit the result.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DB_ENGINES_SH, dbEnginesSh } from '../core/databases/engines-sh'
import { GENERATED_FILES, relayRules, rulesSh } from '../core/rules/generated-files'

const root = fileURLToPath(new URL('../../', import.meta.url))
writeFileSync(`${root}${GENERATED_FILES.rulesSh}`, rulesSh())
writeFileSync(`${root}${GENERATED_FILES.relayRules}`, relayRules())
writeFileSync(`${root}${DB_ENGINES_SH}`, dbEnginesSh())
process.stdout.write(`Wrote ${[...Object.values(GENERATED_FILES), DB_ENGINES_SH].join(', ')}\n`)
