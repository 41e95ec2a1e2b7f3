import type { MetricSample, MetricsEvent, MetricsRange } from '../../api/contract'
import type { Apps } from '../apps/apps'
import { UserError } from '../errors'
import type { ScriptRunner } from '../remote/script-runner'
import type { Servers } from '../servers/servers'
import type { Db } from '../store/database'
import { collect, statusEvent, type StatusEvent } from './metrics-collector'
import type { Samples } from './metrics-rates'
import { createMetricsStore } from '../store/metrics-store'

export interface MetricsDeps {
  db: Db
  servers: Pick<Servers, 'get' | 'targetFor'>
  apps: Pick<Apps, 'find'>
  scripts: ScriptRunner
  /** The prefix the app containers are labelled with (dev.helvetia.prefix); default `helvetia`. */
  prefix?: string
  /** Seconds between samples (default 10). */
  intervalS?: number
  /** How long a server's collection goes on after the last face stopped watching (default 15 min). */
  lingerMs?: number
  /** Pauses before starting a broken stream again (see collect). */
  retryMs?: { first: number; last: number }
}

/** What a collection tells its watchers: each tick's samples, its state, or that it ended for good. */
type CollectionEvent = { samples: Samples } | StatusEvent | { failed: unknown }

interface Collection {
  listeners: Set<(event: CollectionEvent) => void>
  status: StatusEvent
  stop: AbortController
  linger: NodeJS.Timeout | null
}

const MAINTAIN_EVERY_MS = 5 * 60_000

/**
 * Metrics for every face: a server's collection runs while some face watches the server or one of its
 * apps, and for `lingerMs` after, so moving between pages or a short look away leaves no gap. It never
 * starts by itself: opening Helvetia logs in to no server and puts no load on servers nobody looks at.
 * What was collected stays in the store for 24 hours, so the longer ranges fill as you keep watching.
 */
export function createMetrics(deps: MetricsDeps) {
  const { servers, scripts, prefix = 'helvetia', intervalS = 10, lingerMs = 15 * 60_000 } = deps
  const store = createMetricsStore(deps.db)
  const collections = new Map<string, Collection>()
  let maintainedAt = 0

  const maintain = (now: number): void => {
    if (now - maintainedAt < MAINTAIN_EVERY_MS) return
    maintainedAt = now
    store.maintain(now)
  }

  const save = (serverId: string, samples: Samples): void => {
    const rows: { app: string | null; sample: MetricSample }[] = [...samples.apps].map(([app, sample]) => ({
      app,
      sample,
    }))
    if (samples.server) rows.push({ app: null, sample: samples.server })
    if (rows.length === 0) return
    store.add(serverId, rows, intervalS)
    maintain(rows[0]?.sample.ts ?? Date.now())
  }

  function start(serverName: string, serverId: string): Collection {
    const collection: Collection = {
      listeners: new Set(),
      status: statusEvent('connecting'),
      stop: new AbortController(),
      linger: null,
    }
    const tell = (event: CollectionEvent): void => {
      for (const listener of collection.listeners) listener(event)
    }
    collections.set(serverId, collection)
    collect({
      scripts,
      prefix,
      intervalS,
      retryMs: deps.retryMs,
      signal: collection.stop.signal,
      target: () => servers.targetFor(servers.get(serverName)),
      onStatus: (status) => {
        collection.status = status
        tell(status)
      },
      onSamples: (samples) => {
        save(serverId, samples)
        tell({ samples })
      },
    }).catch((error: unknown) => {
      end(serverId, collection)
      tell({ failed: error })
    })
    return collection
  }

  function end(serverId: string, collection: Collection): void {
    if (collection.linger) clearTimeout(collection.linger)
    collection.stop.abort()
    if (collections.get(serverId) === collection) collections.delete(serverId)
  }

  /** Resolves `series` to its server and app (null: the server itself). */
  function seriesOf(series: { server: string } | { app: string }) {
    if ('server' in series) return { server: servers.get(series.server), app: null }
    const app = deps.apps.find(series.app)
    if (!app) {
      throw new UserError(
        'APP_NOT_FOUND',
        `No app named "${series.app}".`,
        'Run `helvetia app list` to see the apps.',
      )
    }
    return { server: servers.get(app.server), app: app.name }
  }

  return {
    store,

    /**
     * Streams a series to `emit`: its history for `range`, the collection's state, then each live
     * sample, until `signal` aborts (resolves) or the server is removed (rejects).
     */
    follow(
      series: { server: string } | { app: string },
      range: MetricsRange,
      emit: (event: MetricsEvent) => void,
      signal: AbortSignal,
    ): Promise<void> {
      const { server, app } = seriesOf(series)
      return new Promise((resolve, reject) => {
        if (signal.aborted) return resolve()
        const collection = collections.get(server.id) ?? start(server.name, server.id)
        if (collection.linger) clearTimeout(collection.linger)
        collection.linger = null
        const listener = (event: CollectionEvent): void => {
          if ('failed' in event) {
            leave()
            reject(event.failed)
          } else if ('samples' in event) {
            const sample = app === null ? event.samples.server : event.samples.apps.get(app)
            if (sample) emit({ type: 'sample', sample })
          } else emit(event)
        }
        const leave = (): void => {
          signal.removeEventListener('abort', onAbort)
          collection.listeners.delete(listener)
          if (collection.listeners.size > 0 || collection.stop.signal.aborted) return
          if (lingerMs <= 0) end(server.id, collection)
          else collection.linger = setTimeout(() => end(server.id, collection), lingerMs)
        }
        const onAbort = (): void => {
          leave()
          resolve()
        }
        signal.addEventListener('abort', onAbort, { once: true })
        // In one turn: no live sample can slip between the history and the first live one.
        emit({ type: 'history', range, ...store.history(server.id, app, range) })
        emit(collection.status)
        collection.listeners.add(listener)
      })
    },

    /** Stops every collection (the core is closing). */
    close(): void {
      for (const [serverId, collection] of [...collections]) end(serverId, collection)
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
