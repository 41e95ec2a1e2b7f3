import type { Db } from './database'

/** An app's webhook: the relay it is registered with (its secret is in the vault). */
export interface WebhookRecord {
  appId: string
  /** The app's name, from the apps table. */
  app: string
  relayUrl: string
  hookId: string
  branch: string
  createdAt: string
}

interface Row {
  app_id: string
  name: string
  relay_url: string
  hook_id: string
  branch: string
  created_at: string
}

const fromRow = (row: Row): WebhookRecord => ({
  appId: row.app_id,
  app: row.name,
  relayUrl: row.relay_url,
  hookId: row.hook_id,
  branch: row.branch,
  createdAt: row.created_at,
})

const SELECT = 'SELECT w.*, a.name FROM app_webhooks w JOIN apps a ON a.id = w.app_id'

export function createWebhookStore(db: Db) {
  const byApp = db.prepare<[string], Row>(`${SELECT} WHERE w.app_id = ?`)
  const byHook = db.prepare<[string, string], Row>(`${SELECT} WHERE w.relay_url = ? AND w.hook_id = ?`)
  const relays = db.prepare<[], { relay_url: string }>('SELECT DISTINCT relay_url FROM app_webhooks')
  const save = db.prepare(
    `INSERT INTO app_webhooks (app_id, relay_url, hook_id, branch, created_at)
     VALUES (@appId, @relayUrl, @hookId, @branch, @createdAt)
     ON CONFLICT (app_id) DO UPDATE SET relay_url = excluded.relay_url, hook_id = excluded.hook_id,
       branch = excluded.branch, created_at = excluded.created_at`,
  )
  return {
    byApp: (appId: string): WebhookRecord | null => {
      const row = byApp.get(appId)
      return row ? fromRow(row) : null
    },
    byHook: (relayUrl: string, hookId: string): WebhookRecord | null => {
      const row = byHook.get(relayUrl, hookId)
      return row ? fromRow(row) : null
    },
    /** The relays any app is registered with. */
    relays: (): string[] => relays.all().map((row) => row.relay_url),
    save: (record: Omit<WebhookRecord, 'app'>): void => void save.run(record),
  }
}

export type WebhookStore = ReturnType<typeof createWebhookStore>
