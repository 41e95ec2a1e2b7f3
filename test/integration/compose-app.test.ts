/**
 * A compose app through the real core and the test server (docker-compose 1.29, Debian's, as the
 * server has no Compose v2): `web` (built here, busybox's httpd with a CGI script that reads and writes
 * the database) and `db` (the suite's Postgres image by the official image's env contract, its data in
 * a named volume, a health check web's depends_on waits for). It deploys and answers on its domain
 * through the proxy; `web` switches with zero downtime (a new container beside the old one) while
 * compose keeps `db`; the data stays across a redeploy and a rollback (which runs the kept file and
 * images); each service's log; stacks:services; the removal. Plus the CLI's compose flags.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sh } from '../../src-main/core/shell/quote'
import { coreTestbed } from './core-support'
import { removeVolumesAfter, writeFiles } from './deploy-support'
import { until } from '../support/until'
import { composeInput } from '../../src-main/cli/commands/app-create-compose'

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
echo "page=$PAGE version=$(cat /www/version)"
q 'select text from notes order by id'
echo "notes-read-by-$(hostname)" >&2
`

test('a compose app: web + db deploy, answer, keep data across redeploy and rollback, per-service logs, removal', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const project = `${bed.prefix}-notes`
  bed.cleanup(
    sh`docker network ls -q --filter label=com.docker.compose.project=${project} | xargs -r docker network rm >/dev/null 2>&1; true`,
  )
  const { api } = bed.core
  const folder = await bed.folder({
    'docker-compose.yml': COMPOSE,
    'web/Dockerfile': DOCKERFILE(bed.server.images.busybox),
    'web/www/index.html': 'notes\n',
    'web/www/version': 'v1\n',
    'web/www/cgi-bin/notes': CGI,
  })
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
    body: 'page=one version=v1\nalpha\n',
  })
  console.log(`first deploy: ${Date.now() - started} ms`)

  const services = await api['stacks:services']({ name: 'notes' })
  assert.deepEqual(
    services.map((s) => [s.service, s.state, s.health, s.domains, s.zeroDowntime, s.replicas]).sort(),
    [
      ['db', 'running', 'healthy', [], false, 1],
      ['web', 'running', null, ['http://notes.test'], true, 1],
    ],
  )
  const dbContainer = async () =>
    (
      await bed.run(
        sh`docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=db`,
      )
    ).trim()
  const db = await dbContainer()

  // Each service's own log.
  const logLines = async (service: string) => {
    const lines: string[] = []
    await bed.core.apps.logs('notes', { service, tail: 200, onLine: (line) => lines.push(line) })
    return lines.join('\n')
  }
  assert.match(await logLines('web'), /notes-read-by-/)
  const dbLog = await logLines('db')
  assert.match(dbLog, /ready to accept connections/)
  assert.doesNotMatch(dbLog, /notes-read-by-/)

  // A redeploy: web switches with zero downtime, compose keeps db (nothing of it changed), data stays.
  await writeFiles(folder, { 'web/www/version': 'v2\n' })
  const second = await bed.core.apps.deploy('notes')
  assert.equal(second.status, 'succeeded', await logOf(second.id))
  // The old web container drains after the deploy went live, then goes.
  await until('the old web container to go', 60_000, async () => {
    const web = await bed.run(
      sh`docker ps -aq --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web`,
    )
    return web.trim().split('\n').length === 1 || undefined
  })
  assert.equal(await dbContainer(), db, 'compose kept the db container')
  assert.deepEqual(await bed.get('notes.test', '/cgi-bin/notes?add=beta'), {
    status: 200,
    body: 'page=one version=v2\nalpha\nbeta\n',
  })

  // A rollback runs the first deployment's kept file and images; the volume's data stays.
  const back = await bed.core.apps.rollback('notes', { to: first.id })
  assert.equal(back.status, 'succeeded', await logOf(back.id))
  assert.deepEqual(await bed.get('notes.test', '/cgi-bin/notes'), {
    status: 200,
    body: 'page=one version=v1\nalpha\nbeta\n',
  })

  // Removed with its volumes deleted: no container, network, volume or image tag of it is left.
  await bed.core.apps.remove('notes', 'delete')
  const left = await bed.run(
    sh`docker ps -aq --filter label=com.docker.compose.project=${project}; ` +
      sh`docker network ls -q --filter label=com.docker.compose.project=${project}; ` +
      sh`docker volume ls -q --filter label=com.docker.compose.project=${project}; ` +
      sh`docker images -q ${`${bed.prefix}/stacks/notes`}`,
  )
  assert.equal(left.trim(), '')
  console.log(`compose app test: ${Date.now() - started} ms`)
})

test("app create's compose flags: --compose FILE, --compose-file, SERVICE[:PORT]=DOMAIN routes, --zero-downtime", () => {
  const base = { zeroDowntime: [], domain: [] }
  assert.equal(composeInput({ ...base, path: '/srv/app' }), null, 'not a compose app')
  assert.deepEqual(
    composeInput({
      ...base,
      compose: '/srv/notes/docker-compose.yml',
      domain: ['web=notes.example.com', 'web:8080=www.notes.example.com', 'api=http://api.test'],
      zeroDowntime: ['web'],
    }),
    {
      path: '/srv/notes',
      domains: [],
      compose: {
        file: 'docker-compose.yml',
        routes: [
          { service: 'web', domains: ['notes.example.com', 'www.notes.example.com'], port: 8080 },
          { service: 'api', domains: ['http://api.test'] },
        ],
        zeroDowntime: ['web'],
      },
    },
  )
  assert.deepEqual(
    composeInput({ ...base, git: 'https://example.com/r.git', composeFile: 'deploy/c.yml' })?.compose,
    {
      file: 'deploy/c.yml',
      routes: [],
      zeroDowntime: [],
    },
  )
  const refused = (options: Parameters<typeof composeInput>[0], message: RegExp) =>
    assert.throws(
      () => composeInput(options),
      (e: Error & { code?: string }) => e.code === 'INVALID_OPTION' && message.test(e.message),
    )
  refused({ ...base, compose: 'c.yml', domain: ['notes.example.com'] }, /names its service/)
  refused({ ...base, composeFile: 'c.yml' }, /needs --path DIR or --git URL/)
  refused({ ...base, path: '.', zeroDowntime: ['web'] }, /applies to compose apps/)
  refused({ ...base, compose: 'c.yml', domain: ['web:80=a.test', 'web:81=b.test'] }, /two ports/)
})
