/**
 * The real core (createCore, as the desktop app and the web mode build it) with the test server
 * added over SSH and a Caddy proxy provisioned on it under a test prefix: for tests that drive the
 * API the way a face does. Everything the prefix names is removed after the test.
 */
import type { TestContext } from 'node:test'
import { createCore, type Core, type CoreOptions } from '../../src-main/core/create-core'
import { createKeytarVault, type Vault } from '../../src-main/core/vault/vault'
import { APP_ROOT, tempHome } from '../support/temp-home'
import { deployTestbed, type DeployBed } from './deploy-support'
import type { Testbed } from './provision-support'

export interface CoreBed extends DeployBed {
  core: Core
  /** The test server's name in the core's store. */
  serverName: string
}

/**
 * `vault`: a keychain of the test's own (default: Helvetia's), for entries concurrent tests share;
 * `face`: the face the core serves (default `test`), and `env` where it reads its switches; `appRoot`:
 * an app folder of the test's own (default this checkout), e.g. with changed scripts.
 */
export interface TestCoreOptions {
  vault?: Vault
  face?: CoreOptions['face']
  env?: NodeJS.ProcessEnv
  appRoot?: string
}

export async function coreTestbed(
  t: TestContext,
  options: TestCoreOptions = {},
): Promise<CoreBed | undefined> {
  const bed = await deployTestbed(t)
  if (!bed) return undefined
  return { ...bed, ...(await testCore(t, bed, options)) }
}

/**
 * The real core in a fresh home, named by `bed.prefix`, with `bed.server` added as `serverName`
 * (nothing provisioned): for tests that need the core on a bed of their own.
 */
export async function testCore(
  t: TestContext,
  bed: Pick<Testbed, 'prefix' | 'server'>,
  options: TestCoreOptions = {},
): Promise<{ core: Core; serverName: string; home: string }> {
  const { core, home } = prefixedCore(t, bed.prefix, options)
  const serverName = 'test-server'
  await core.servers.add({
    name: serverName,
    host: bed.server.host,
    port: bed.server.port,
    user: bed.server.user,
    auth: 'key-file',
    identityFile: bed.server.keyPath,
    fingerprint: bed.server.hostKeyFingerprint,
  })
  return { core, serverName, home }
}

/** The real core in a fresh home, naming what it creates on servers by `prefix`; no servers in it. */
export function prefixedCore(
  t: TestContext,
  prefix: string,
  options: TestCoreOptions = {},
): { core: Core; home: string } {
  const home = tempHome(t)
  const core = createCore({
    home,
    appRoot: options.appRoot ?? APP_ROOT,
    vault: options.vault ?? createKeytarVault(),
    face: options.face ?? 'test',
    env: options.env,
    knownHostsPath: '/nonexistent',
    prefix,
    // Nothing can be pulled here: backups upload with the test suite's rclone image.
    uploaderImage: process.env.HELVETIA_TEST_IMAGE_RCLONE,
  })
  t.after(() => core.close())
  return { core, home }
}
