/**
 * The engines Helvetia runs: for each, its official image at a pinned major version, its port and
 * data folder inside the container, how the image takes the generated credentials, the connection
 * URL apps get, and the engine's own client. Defined once here; remote-scripts/lib/db-engines.sh is
 * generated from it (./engines-sh.ts, `npm run generate`).
 *
 * Credentials reach SQL engines and MongoDB as the official images' environment variables (what every
 * image honouring their contract reads, the test suite's too); the `_FILE` variants would keep them out
 * of `docker inspect` but not every compatible image reads them. Redis has no such variables: its
 * password is a `requirepass` line in a file inside its data volume (`--include`), so neither
 * `docker inspect` nor `ps` on the server shows it.
 */
import type { DatabaseEngine } from '../../api/databases'
import { DEFAULT_MASK as MASK } from '../rules/secret-forms'

/** A generated credential, by its name in the credentials file (DB_USER, …) and in the keychain's JSON. */
export type CredentialField = 'user' | 'password' | 'database' | 'rootPassword'

export interface EngineFacts {
  /** The official image, without tag. */
  image: string
  /** The pinned major version: the image's tag unless `--version` picks another. */
  version: string
  port: number
  /** The data volume's mount point. */
  dataDir: string
  /** The image's environment variable for each credential it is created with. */
  env: Readonly<Record<string, CredentialField>>
  /** The container's arguments (after the image's entry point); the password never among them. */
  args: readonly string[]
  /** A file (in the data volume) the engine reads its password from, and the directive that sets it there. */
  passwordFile: { path: string; directive: string } | null
  /** Whether the engine has a superuser of its own beside the app's user (its password: rootPassword). */
  root: boolean
  /** `scheme://` of its connection URLs. */
  scheme: 'postgres' | 'mysql' | 'redis' | 'mongodb'
  /** The user and database a new database gets (`<name>`: the database's own name, dashes as `_`). */
  user: string
  database: string
  /**
   * The engine's client inside the container, as an sh command line over the variables DB_USER,
   * DB_PASSWORD and DB_NAME (passed to `docker exec -e`, never as arguments): it connects over TCP
   * with the generated credentials. `db shell` runs it; the readiness check runs it with `ready`.
   */
  client: string
  /** Arguments to `client` that make it print `readyAnswer` once the engine answers an authenticated request. */
  ready: string
  readyAnswer: string
}

const SQL_NAME = '<name>'

/** An engine's version: the image's tag (ERE, as core/rules/patterns.ts writes them). */
export const VERSION_PATTERN = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}'
/** A generated user, database name or password: nothing a shell, an env file or a URL would read otherwise. */
export const CREDENTIAL_PATTERN = '[A-Za-z0-9_-]{1,128}'

export const ENGINES: Readonly<Record<DatabaseEngine, EngineFacts>> = {
  postgres: {
    image: 'postgres',
    version: '16',
    port: 5432,
    dataDir: '/var/lib/postgresql/data',
    env: { POSTGRES_USER: 'user', POSTGRES_PASSWORD: 'password', POSTGRES_DB: 'database' },
    args: [],
    passwordFile: null,
    root: false,
    scheme: 'postgres',
    user: 'helvetia',
    database: SQL_NAME,
    client: 'PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -U "$DB_USER" -d "$DB_NAME"',
    ready: "-tAc 'SELECT 1'",
    readyAnswer: '1',
  },
  mysql: {
    image: 'mysql',
    version: '8.4',
    port: 3306,
    dataDir: '/var/lib/mysql',
    env: {
      MYSQL_ROOT_PASSWORD: 'rootPassword',
      MYSQL_DATABASE: 'database',
      MYSQL_USER: 'user',
      MYSQL_PASSWORD: 'password',
    },
    args: [],
    passwordFile: null,
    root: true,
    scheme: 'mysql',
    user: 'helvetia',
    database: SQL_NAME,
    client: 'MYSQL_PWD="$DB_PASSWORD" mysql -h 127.0.0.1 -u "$DB_USER" "$DB_NAME"',
    ready: "-NBe 'SELECT 1'",
    readyAnswer: '1',
  },
  mariadb: {
    image: 'mariadb',
    version: '11',
    port: 3306,
    dataDir: '/var/lib/mysql',
    env: {
      MARIADB_ROOT_PASSWORD: 'rootPassword',
      MARIADB_DATABASE: 'database',
      MARIADB_USER: 'user',
      MARIADB_PASSWORD: 'password',
    },
    args: [],
    passwordFile: null,
    root: true,
    scheme: 'mysql',
    user: 'helvetia',
    database: SQL_NAME,
    client: 'MYSQL_PWD="$DB_PASSWORD" mariadb -h 127.0.0.1 -u "$DB_USER" "$DB_NAME"',
    ready: "-NBe 'SELECT 1'",
    readyAnswer: '1',
  },
  redis: {
    image: 'redis',
    version: '7',
    port: 6379,
    dataDir: '/data',
    env: {},
    args: ['redis-server', '--include', '/data/helvetia.conf'],
    passwordFile: { path: '/data/helvetia.conf', directive: 'requirepass' },
    root: false,
    scheme: 'redis',
    user: 'default',
    database: '0',
    client: 'REDISCLI_AUTH="$DB_PASSWORD" redis-cli -h 127.0.0.1 -n "$DB_NAME"',
    ready: 'ping',
    readyAnswer: 'PONG',
  },
  mongodb: {
    image: 'mongo',
    version: '7',
    port: 27017,
    dataDir: '/data/db',
    env: {
      MONGO_INITDB_ROOT_USERNAME: 'user',
      MONGO_INITDB_ROOT_PASSWORD: 'password',
      MONGO_INITDB_DATABASE: 'database',
    },
    args: [],
    passwordFile: null,
    root: false,
    scheme: 'mongodb',
    user: 'helvetia',
    database: SQL_NAME,
    client:
      'mongosh --quiet --host 127.0.0.1 --authenticationDatabase admin -u "$DB_USER" -p "$DB_PASSWORD" "$DB_NAME"',
    ready: "--eval 'db.runCommand({ ping: 1 }).ok'",
    readyAnswer: '1',
  },
}

export const isEngine = (value: unknown): value is DatabaseEngine =>
  typeof value === 'string' && Object.hasOwn(ENGINES, value)

/** The user and database name a new database `name` of `engine` gets. */
export function engineNames(engine: DatabaseEngine, name: string): { user: string; database: string } {
  const facts = ENGINES[engine]
  const sqlName = name.replaceAll('-', '_')
  return { user: facts.user, database: facts.database === SQL_NAME ? sqlName : facts.database }
}

/** The credentials of a database, as the keychain keeps them (JSON) and the server's file names them. */
export interface DatabaseCredentials {
  user: string
  password: string
  database: string
  rootPassword?: string
}

/** The connection URL inside Helvetia's network: `host` is the container's name there; a null password is masked. */
export function connectionUrl(
  engine: DatabaseEngine,
  host: string,
  credentials: { user: string; database: string; password: string | null },
): string {
  const { scheme, port } = ENGINES[engine]
  const password = credentials.password === null ? MASK : encodeURIComponent(credentials.password)
  const user = engine === 'redis' ? '' : encodeURIComponent(credentials.user)
  const query = engine === 'mongodb' ? '?authSource=admin' : ''
  return `${scheme}://${user}:${password}@${host}:${port}/${encodeURIComponent(credentials.database)}${query}`
}
