import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePorts } from '../integration/provision-support'
import { tempHome } from './temp-home'
import { testServer, type TestServer } from './test-server'

const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * What the `helvetia` command names on the test server (`~/.PREFIX`, containers, network) in this test
 * file: its own, so that test files run side by side (test/run.sh) never share the proxy, network or
 * apps that Helvetia's default prefix would name. A test of the default itself passes HELVETIA_PREFIX ''.
 */
export const CLI_PREFIX = `cli${process.pid}`

/** Runs the real `helvetia` command with its own data folder, no TTY and empty stdin, as a script would. */
export function helvetia(
  home: string,
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...process.env, HELVETIA_PREFIX: CLI_PREFIX, ...env, HELVETIA_HOME: home },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    )
    child.stdin?.end(stdin)
  })
}

/** `server add NAME` for the test server (or another sshd) with its confirmed host key, then how to log in. */
export function addServerArgs(
  server: Pick<TestServer, 'host' | 'port' | 'user' | 'hostKeyFingerprint'>,
  name: string,
  ...login: string[]
): string[] {
  return [
    'server',
    'add',
    name,
    '--host',
    server.host,
    '--port',
    String(server.port),
    '--user',
    server.user,
    '--fingerprint',
    server.hostKeyFingerprint,
    ...login,
  ]
}

/** `server provision NAME` with Caddy from the offline image, published on 127.0.0.1 only. */
export function provisionCaddyArgs(
  server: TestServer,
  name: string,
  httpPort: number,
  httpsPort: number,
): string[] {
  return [
    'server',
    'provision',
    name,
    '--proxy',
    'caddy',
    '--proxy-image',
    server.images.caddy,
    '--http-port',
    String(httpPort),
    '--https-port',
    String(httpsPort),
    '--bind',
    '127.0.0.1',
  ]
}

/** `app create APP` on `edge` from `source` (its flags): port 8080 at http://APP.test, health checked at /index.html. */
export function createAppArgs(app: string, source: string[], ...more: string[]): string[] {
  const served = ['--port', '8080', '--domain', `http://${app}.test`, '--health-path', '/index.html']
  return ['app', 'create', app, '--server', 'edge', ...source, ...served, ...more]
}

/** `app create APP` from `folder` on `edge`, served as createAppArgs says. */
export const createFolderAppArgs = (app: string, folder: string) => createAppArgs(app, ['--path', folder])

/**
 * After the test, removes what a CLI test created on the test server under CLI_PREFIX: the app's
 * containers and images, the proxy, network and volume, and the app's folder.
 */
export function removeCliApp(t: TestContext, app: string): void {
  t.after(() => {
    execFileSync(
      'sh',
      [
        '-c',
        `docker ps -aq --filter label=dev.helvetia.prefix=${CLI_PREFIX} --filter label=dev.helvetia.app=${app} | xargs -r docker rm -f -v; ` +
          `docker images --format '{{.Repository}}:{{.Tag}}' | grep '^${CLI_PREFIX}/${app}:' | xargs -r docker rmi; ` +
          removeCliProxy +
          `; rm -rf ~helvetia-test/.${CLI_PREFIX}/apps/${app}; ` +
          // Other apps may still be there (another test's in this file): the folder goes only when empty.
          `rmdir ~helvetia-test/.${CLI_PREFIX}/apps 2>/dev/null; true`,
      ],
      { stdio: 'ignore' },
    )
  })
}

/** Removes the proxy, network and proxy volume the CLI's provisioning made under CLI_PREFIX. */
export const removeCliProxy =
  `docker rm -f -v ${CLI_PREFIX}-proxy; docker network rm ${CLI_PREFIX}; ` +
  `docker volume rm ${CLI_PREFIX}-caddy-data; rm -rf ~helvetia-test/.${CLI_PREFIX}/proxy`

/**
 * The test server added as `edge` and provisioned (Caddy on 127.0.0.1:`httpPort`) through the CLI, in a
 * fresh data folder; what `app` names under CLI_PREFIX is removed after. `run` fails the test
 * when the command fails, unless `ok` is false.
 */
export async function cliBed(t: TestContext, app: string) {
  const server = testServer(t)
  if (!server) return undefined
  const home = tempHome(t)
  removeCliApp(t, app)
  const run = async (args: string[], ok = true) => {
    const result = await helvetia(home, args)
    if (ok) assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result
  }
  await run(addServerArgs(server, 'edge', '--identity', server.keyPath))
  const [httpPort = 0, httpsPort = 0] = await freePorts(2)
  await run(provisionCaddyArgs(server, 'edge', httpPort, httpsPort))
  return { server, home, run, httpPort }
}
