/**
 * Apps without a Dockerfile, built here for real through the `helvetia` command: a Node app (a
 * dependency from the npm registry, a start script, a lock file) and a static site are planned
 * (`app plan`), deployed with the Dockerfile Helvetia generates and answer through the proxy;
 * `app plan --path DIR --eject` writes the generated Dockerfile (never over one), a folder with
 * nothing to build is refused with NOTHING_TO_BUILD, and a git app's commit is planned from what the
 * server reads of it (a Python app with a Procfile; `--eject` prints the Dockerfile to commit).
 *
 * Stand-ins: the registry is unreachable, so the base images the generated Dockerfiles pin are made
 * here under their exact names when absent, and never removed: `caddy:2.8-alpine` is a tag of
 * helvetia-test/caddy (Caddy 2.6 on busybox), `node:22.11-bookworm-slim` is helvetia-test/node (Node
 * 20 on busybox) with this machine's npm and the official image's `node` user added.
 *
 * The CA: npm in the build container reaches the registry through this machine's TLS proxy, whose CA
 * the container does not have. The test app's own .npmrc carries this machine's CA bundle (`ca[]=`
 * lines); the generated Dockerfile copies an app's .npmrc with its manifests, as it would a private
 * registry's settings, so nothing test-only is in what Helvetia generates.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { connect } from 'node:tls'
import type { BuildPlan } from '../../src-main/api/builds'
import { BASE_IMAGES, TOOL_IMAGES } from '../../src-main/core/builds/base-images'
import { cliBed, createAppArgs, removeCliApp } from '../support/cli'
import { get, writeFiles } from './deploy-support'
import { gitRepo } from './git-support'

const NODE_IMAGE = BASE_IMAGES.node[0].image
const STATIC_IMAGE = TOOL_IMAGES.staticServer

const has = (image: string) => {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The stand-ins of the pinned base images (see above), made only when absent. */
async function standIns(node: string, caddy: string): Promise<void> {
  if (!has(STATIC_IMAGE)) execFileSync('docker', ['tag', caddy, STATIC_IMAGE])
  if (has(NODE_IMAGE)) return
  const context = await mkdtemp(join(tmpdir(), 'helvetia-node-standin-'))
  try {
    await cp('/usr/lib/node_modules/npm', join(context, 'npm'), { recursive: true })
    await writeFile(
      join(context, 'Dockerfile'),
      [
        `FROM ${node}`,
        'COPY npm /usr/local/lib/node_modules/npm',
        'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
        "  && echo 'node:x:1000:1000:node:/home/node:/bin/sh' >> /etc/passwd \\",
        "  && echo 'node:x:1000:' >> /etc/group && mkdir -p /home/node && chown 1000:1000 /home/node",
        '',
      ].join('\n'),
    )
    execFileSync('docker', ['build', '-q', '-t', NODE_IMAGE, context], { stdio: 'ignore' })
  } finally {
    await rm(context, { recursive: true, force: true })
  }
}

/**
 * The CA that this machine trusts for the npm registry (the root of the chain it sees), as npm's `ca`
 * setting (test only: see above). Only that one: npm passes its settings to a script's environment,
 * and the whole bundle there is more than one variable may hold (spawn E2BIG).
 */
async function npmrcWithCa(): Promise<string> {
  const bundle = await readFile(process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt')
  const root = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(
      { host: 'registry.npmjs.org', port: 443, servername: 'registry.npmjs.org', ca: bundle },
      () => {
        let cert = socket.getPeerCertificate(true)
        while (cert.issuerCertificate && cert.issuerCertificate !== cert) cert = cert.issuerCertificate
        socket.end()
        resolve(cert.raw)
      },
    )
    socket.on('error', reject)
  })
  const pem = `-----BEGIN CERTIFICATE-----\n${root
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----`
  return `fund=false\naudit=false\nupdate-notifier=false\nca=${JSON.stringify(pem)}\n`
}

test('a Node app and a static site without a Dockerfile: plan, deploy through the proxy, eject', async (t) => {
  const started = Date.now()
  const nodeApp = 'zcnode'
  const siteApp = 'zcsite'
  const bed = await cliBed(t, nodeApp)
  if (!bed) return
  removeCliApp(t, siteApp)
  const { server, run, httpPort } = bed
  await standIns(server.images.node, server.images.caddy)
  const root = await mkdtemp(join(tmpdir(), 'helvetia-zero-config-'))
  t.after(() => rm(root, { recursive: true, force: true }))

  // --- Node: a dependency from the npm registry, locked on this machine, a start script ----------
  const nodeDir = join(root, 'node')
  await writeFiles(nodeDir, {
    'package.json': JSON.stringify({
      name: 'zero-config-node',
      private: true,
      scripts: { start: 'node server.js' },
      dependencies: { ms: '2.1.3' },
    }),
    'server.js': [
      "const ms = require('ms')",
      "require('http').createServer((req, res) => res.end(`zero-config node ${ms(60000)} ${process.getuid()}\\n`))",
      '  .listen(Number(process.env.PORT))',
      '',
    ].join('\n'),
    '.npmrc': await npmrcWithCa(),
  })
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: nodeDir,
    stdio: 'ignore',
  })

  await run(createAppArgs(nodeApp, ['--path', nodeDir]))
  const plan = JSON.parse((await run(['app', 'plan', nodeApp, '--json'])).stdout) as BuildPlan
  assert.equal(plan.stack, 'node')
  assert.equal(plan.generated, true)
  assert.deepEqual(plan.baseImages, [NODE_IMAGE])
  assert.equal(plan.start, 'npm start')
  assert.equal(plan.port, 8080, "the app's port")
  assert.ok(plan.evidence.includes('package-lock.json: installed with npm'), plan.evidence.join('\n'))
  const human = (await run(['app', 'plan', nodeApp])).stdout
  assert.match(human, /^Stack: node \(Dockerfile generated by Helvetia\)$/m)
  assert.match(human, new RegExp(`^FROM ${NODE_IMAGE.replace('.', '\\.')}$`, 'm'))
  assert.match(human, /^CMD exec npm start$/m)

  const deployed = await run(['deploy', nodeApp, '--json'])
  assert.equal(JSON.parse(deployed.stdout).status, 'succeeded', deployed.stderr)
  assert.match(deployed.stderr, /building with the Dockerfile Helvetia generated/)
  assert.match(deployed.stderr, /npm ci/)
  // The dependency from the registry answers, from a process that is not root (the image's node user).
  assert.deepEqual(await get(httpPort, `${nodeApp}.test`), {
    status: 200,
    body: 'zero-config node 1m 1000\n',
  })

  // --- A static site ------------------------------------------------------------------------------
  const siteDir = join(root, 'site')
  await writeFiles(siteDir, { 'index.html': '<!doctype html><p>zero-config static</p>\n' })
  await run(createAppArgs(siteApp, ['--path', siteDir]))
  const sitePlan = JSON.parse((await run(['app', 'plan', siteApp, '--json'])).stdout) as BuildPlan
  assert.equal(sitePlan.stack, 'static')
  assert.deepEqual(sitePlan.baseImages, [STATIC_IMAGE])
  const site = await run(['deploy', siteApp, '--json'])
  assert.equal(JSON.parse(site.stdout).status, 'succeeded', site.stderr)
  assert.deepEqual(await get(httpPort, `${siteApp}.test`, '/index.html'), {
    status: 200,
    body: '<!doctype html><p>zero-config static</p>\n',
  })

  // --- eject: the generated Dockerfile becomes the folder's own, never written over one ----------
  const ejectDir = join(root, 'eject')
  await writeFiles(ejectDir, { 'index.html': '<p>eject</p>\n' })
  const ejected = JSON.parse(
    (await run(['app', 'plan', '--path', ejectDir, '--eject', '--json'])).stdout,
  ) as BuildPlan & {
    ejected: string
  }
  assert.equal(ejected.ejected, join(ejectDir, 'Dockerfile'))
  assert.equal(await readFile(join(ejectDir, 'Dockerfile'), 'utf8'), ejected.dockerfile)
  const again = await run(['app', 'plan', '--path', ejectDir, '--eject'], false)
  assert.notEqual(again.code, 0)
  assert.match(again.stderr, /DOCKERFILE_EXISTS|is there already/)
  const own = JSON.parse((await run(['app', 'plan', '--path', ejectDir, '--json'])).stdout) as BuildPlan
  assert.equal(own.stack, 'dockerfile')
  assert.equal(own.generated, false)

  // --- nothing to build: what was looked for, and what to add -------------------------------------
  const emptyDir = join(root, 'empty')
  await writeFiles(emptyDir, { 'README.md': '# nothing\n' })
  const nothing = await run(['app', 'plan', '--path', emptyDir], false)
  assert.notEqual(nothing.code, 0)
  assert.match(nothing.stderr, /Nothing to build in .*package\.json.*index\.html/)
  assert.ok(!existsSync(join(emptyDir, 'Dockerfile')))
  // --- a git app: its commit is read on the server (the git.files operation) --------------------
  const gitApp = 'zcgit'
  removeCliApp(t, gitApp)
  const repo = await gitRepo(t, server)
  await repo.commit({
    'requirements.txt': 'Flask==3.0.3\ngunicorn==23.0.0\n',
    'app.py': 'app = None\n',
    '.python-version': '3.12.4\n',
    Procfile: 'web: gunicorn app:app --bind 0.0.0.0:$PORT --workers 2\nworker: python worker.py\n',
  })
  await run(createAppArgs(gitApp, ['--git', repo.path]))
  const gitPlan = JSON.parse((await run(['app', 'plan', gitApp, '--json'])).stdout) as BuildPlan
  assert.equal(gitPlan.stack, 'python')
  assert.deepEqual(gitPlan.baseImages, ['python:3.12-slim-bookworm'])
  assert.equal(gitPlan.start, 'gunicorn app:app --bind 0.0.0.0:$PORT --workers 2')
  assert.deepEqual(
    gitPlan.processes.map((p) => p.name),
    ['web', 'worker'],
  )
  const gitEject = await run(['app', 'plan', gitApp, '--eject'])
  assert.match(gitEject.stdout, /commit this as Dockerfile at the top of the repository/)
  t.diagnostic(`zero-config builds took ${((Date.now() - started) / 1000).toFixed(1)} s`)
})
