/**
 * Stand-ins for the images of the catalogue's Umami template (1.0.0 and 1.1.0), which cannot be pulled
 * here: built on the test server under the template's pinned names.
 */
import { sh } from '../../src-main/core/shell/quote'
import type { CoreBed } from './core-support'

// Stand-ins by the template's image names (built only when absent, never removed: other files may use
// them). Postgres: the suite's image, with a pg_isready for the template's health check. Umami: the
// same image's psql behind busybox's httpd, a CGI that counts visits in DATABASE_URL's database.
const PG_ISREADY = `#!/bin/sh
PGPASSWORD="$POSTGRES_PASSWORD" exec psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -qtAc 'select 1' >/dev/null
`
const VISIT_CGI = `#!/bin/sh
echo 'Content-Type: text/plain'
echo
q() { psql "$DATABASE_URL" -qtAc "$1"; }
q 'create table if not exists visits (id serial primary key)' >/dev/null
q 'insert into visits default values' >/dev/null
secret=$(printf %s "$APP_SECRET" | busybox md5sum | busybox cut -c 1-8)
echo "version=$UMAMI_VERSION visits=$(q 'select count(*) from visits') secret=$secret telemetry=\${DISABLE_TELEMETRY:-unset}"
`
const standIns = (busybox: string): Record<string, Record<string, string>> => ({
  'postgres:15.8-alpine': {
    Dockerfile:
      'FROM helvetia-test/postgres:15\nCOPY pg_isready /usr/local/bin/pg_isready\nRUN chmod 755 /usr/local/bin/pg_isready\n',
    pg_isready: PG_ISREADY,
  },
  ...Object.fromEntries(
    ['2.12.1', '2.13.2'].map((v) => [
      `ghcr.io/umami-software/umami:postgresql-v${v}`,
      {
        Dockerfile: [
          'FROM helvetia-test/postgres:15',
          `COPY --from=${busybox} /bin/busybox /bin/busybox`,
          'COPY visit /www/cgi-bin/visit',
          'RUN chmod 755 /www/cgi-bin/visit',
          'COPY index.html /www/index.html',
          `ENV UMAMI_VERSION=${v}`,
          'ENTRYPOINT []',
          'CMD ["/bin/busybox", "httpd", "-f", "-p", "3000", "-h", "/www"]',
          '',
        ].join('\n'),
        visit: VISIT_CGI,
        'index.html': 'umami\n',
      },
    ]),
  ),
})

/** Builds the stand-ins that are absent (never removed: other files may use them at the same time). */
export async function umamiStandIns(
  bed: Pick<CoreBed, 'prefix' | 'run' | 'cleanup' | 'server'>,
): Promise<void> {
  for (const [image, files] of Object.entries(standIns(bed.server.images.busybox))) {
    const dir = `.${bed.prefix}-standin/${image.replace(/[^a-z0-9.-]/g, '_')}`
    for (const [name, text] of Object.entries(files))
      await bed.run(sh`mkdir -p ${dir} && cat >${`${dir}/${name}`}`, text)
    await bed.run(
      sh`docker image inspect ${image} >/dev/null 2>&1 || docker build -q -t ${image} ${dir} >/dev/null`,
    )
  }
  bed.cleanup(sh`rm -rf ${`.${bed.prefix}-standin`}`)
}
