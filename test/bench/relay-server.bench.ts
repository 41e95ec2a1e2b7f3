/**
 * Server-side push-to-deploy latency against the test server (run by `npm run bench` after the deploy
 * benchmark): the relay installed on the server under a random prefix (removed afterwards), a git app
 * behind a Caddy proxy, no desktop watcher. Sends N signed pushes of new commits through the proxy, one
 * after the other, each once the previous one is live, and prints p50/p90/max of:
 *   2xx received → deploy started (the deploy-started record of that push's delivery in the relay's
 *                  log, naming its commit: the relay woke the push agent, which fetched the commit
 *                  and deploy-start.sh returned)                            target ≤ 100 ms (issue 11)
 *   2xx received → the new commit answers through the proxy
 * Usage: node --import tsx test/bench/relay-server.bench.ts [N]   (default 10)
 */
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DeliveryRecord } from '../../src-main/api/push'
import { sh } from '../../src-main/core/shell/quote'
import type { Vault } from '../../src-main/core/vault/vault'
import { testCore } from '../integration/core-support'
import { busyboxApp, deployTestbed } from '../integration/deploy-support'
import { gitRepo } from '../integration/git-support'
import { postWebhook, pushPayload } from '../support/relay'

const count = Number(process.argv[2] ?? 10)
const after: (() => unknown)[] = []
const context = {
  skip: (message?: string) => {
    throw new Error(`relay server benchmark: ${message ?? 'skipped'}`)
  },
  after: (fn: () => unknown) => after.push(fn),
} as unknown as TestContext

const ms = (value: number) => `${value.toFixed(0)} ms`
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
const spread = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))}  p90 ${ms(percentile(values, 90))}  max ${ms(Math.max(...values))}`

async function main(): Promise<void> {
  const bed = await deployTestbed(context)
  if (!bed) return
  // The secrets in memory: `npm run bench` runs without a keychain, and this measures the relay.
  const secrets = new Map<string, string>()
  const vault: Vault = {
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => secrets.delete(account),
  }
  const { core, serverName } = await testCore(context, bed, { vault })
  bed.cleanup(sh`docker volume rm ${`${bed.prefix}-relay-data`} >/dev/null 2>&1; true`)
  const repo = await gitRepo(context, bed.server)
  await repo.commit(busyboxApp(bed.server.images.busybox, 'v0\n'))
  core.apps.create({
    name: 'bench',
    server: serverName,
    source: { kind: 'git', url: repo.path, branch: 'main' },
    port: 8080,
    domains: ['http://bench.test'],
    healthPath: '/index.html',
  })
  await core.apps.deploy('bench')
  const host = `relay.${bed.prefix}.test`
  const relay = await core.relayHosts.install(serverName, {
    domain: `http://${host}`,
    baseImage: bed.server.images.node,
  })
  const pid = (await bed.run(sh`cat "$HOME"/${`.${bed.prefix}/relay/agent.pid`}`)).trim()
  bed.cleanup(sh`kill ${pid} 2>/dev/null; true`)
  const hook = await core.push.connectWebhook('bench', { relay: relay.url })
  core.servers.closeConnections()

  const toStart: number[] = []
  const toLive: number[] = []
  for (let i = 1; i <= count; i++) {
    const commit = await repo.commit({ 'www/index.html': `v${i}\n` })
    const delivery = randomUUID()
    const { status } = await postWebhook(
      hook.url.replace(`http://${host}`, `http://127.0.0.1:${bed.httpPort}`),
      {
        secret: hook.secret,
        body: pushPayload('refs/heads/main', commit),
        delivery,
        host,
      },
    )
    const answered = Date.now()
    if (status !== 202) throw new Error(`the relay answered ${status}`)
    for (let live = false; !live; await sleep(50)) {
      live = (await bed.get('bench.test').catch(() => ({ body: '' }))).body === `v${i}\n`
      if (Date.now() - answered > 300_000) throw new Error(`push ${i} was not live after 5 minutes`)
    }
    toLive.push(Date.now() - answered)
    // This push's record (by its delivery id), naming the commit the server deployed; the relay may
    // take in the agent's report a moment after the new commit answers.
    let started: DeliveryRecord | undefined
    for (const until = Date.now() + 30_000; !started && Date.now() < until; await sleep(100)) {
      started = (await core.push.deliveries('bench')).find(
        (d) => d.delivery === delivery && d.status === 'deploy-started',
      )
    }
    if (!started?.detail?.includes(`commit ${commit.slice(0, 12)} `))
      throw new Error(`push ${i}: no deploy-started record of ${commit} (${JSON.stringify(started)})`)
    toStart.push(Date.parse(started.at) - answered)
  }
  process.stdout.write(
    [
      `relay server-side benchmark: ${count} pushes deployed by the server (agent + deploy-push.sh), no desktop`,
      `${percentile(toStart, 50) <= 100 ? 'ok  ' : 'MISS'} 2xx → deploy started (delivery log)   ${spread(toStart)}   target p50 ≤ 100 ms`,
      `     2xx → new commit live via the proxy   ${spread(toLive)}`,
      '',
    ].join('\n'),
  )
}

try {
  await main()
} finally {
  for (const fn of after.reverse()) await fn()
}
