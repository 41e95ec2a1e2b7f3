/**
 * A catalogue app's record on its server (~/.PREFIX/apps/APP/catalog.json, 0600, written by
 * remote-scripts/catalog-record.sh): the template, its version and every variable's value, secrets
 * included. The server is the record, so an upgrade from any computer keeps the values.
 */
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { TEMPLATE_ID, TEMPLATE_VERSION } from './template-schema'

export interface CatalogRecord {
  template: string
  version: string
  values: Record<string, string>
}

function parseRecord(text: string, app: string): CatalogRecord {
  const record = JSON.parse(text) as Partial<CatalogRecord>
  const values = record.values ?? {}
  const valid =
    TEMPLATE_ID.test(record.template ?? '') &&
    TEMPLATE_VERSION.test(record.version ?? '') &&
    Object.values(values).every((v) => typeof v === 'string')
  if (!valid) {
    throw new UserError(
      'CATALOG_RECORD_INVALID',
      `The catalogue record of ${app} on its server is damaged.`,
      `Look at ~/.helvetia/apps/${app}/catalog.json on the server.`,
    )
  }
  return record as CatalogRecord
}

export function catalogRecords(deps: { scripts: ScriptRunner; prefix: string }) {
  const { scripts, prefix } = deps
  return {
    async write(target: Target, app: string, record: CatalogRecord): Promise<void> {
      await scripts.call(
        target,
        'catalog.record',
        { prefix, app, action: 'write' },
        { stdin: `${JSON.stringify(record)}\n` },
      )
    },
    /** The record, or null when the server has none (an app installed before records were kept). */
    async read(target: Target, app: string): Promise<CatalogRecord | null> {
      const { stdout } = await scripts.call(target, 'catalog.record', { prefix, app, action: 'read' })
      return stdout.trim() === '' ? null : parseRecord(stdout, app)
    },
  }
}

export type CatalogRecords = ReturnType<typeof catalogRecords>
