/**
 * Isolated builds over the real core and the test server: the server's builder set up
 * (`builds:builder`, with the test suite's buildah image from test/server/builder-image.sh); an app
 * built in a throwaway buildah container deploys and serves, its build saw no Docker socket and wrote
 * nothing on the host; builds that need the socket, or read outside their context, fail and leave no
 * image or layer in the host's engine (the classic builder, given the same failing Dockerfile, does
 * leave one: the check can fail); the cache volume stays within its cap; the deployment says which
 * builder ran; classic still builds; `isolated` without a builder says how to get one.
 */
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import type { DeployProgress, Deployment } from '../../src-main/api/contract'
import { sh } from '../../src-main/core/shell/quote'
import { coreTestbed } from './core-support'
import { removeVolumesAfter } from './deploy-support'

/** Built once per machine by test/server/builder-image.sh (up.sh). */
const BUILDER_IMAGE = 'helvetia-test/buildah:latest'
const CACHE_CAP_MB = 6

test('isolated builds: serve, no socket, no host writes, failed builds leave nothing, cache cap, classic', async (t) => {
  const bed = await coreTestbed(t)
  if (!bed) return
  removeVolumesAfter(bed)
  const { api } = bed.core
  const started = Date.now()
  const lap = (what: string) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)}s`)
  assert.ok(
    (await bed.run(sh`docker image inspect -f ok ${BUILDER_IMAGE} 2>/dev/null || true`)).includes('ok'),
    `${BUILDER_IMAGE} is missing: run test/server/up.sh (it builds it with builder-image.sh)`,
  )

  const deploy = async (name: string) => {
    const log: string[] = []
    let last: DeployProgress | undefined
    for await (const event of api['apps:deploy']({ name }, new AbortController().signal)) {
      if (event.type === 'log') log.push(event.line)
      last = event
    }
    assert.equal(last?.type, 'done')
    return { deployment: (last as { deployment: Deployment }).deployment, log: log.join('\n') }
  }
  const app = async (name: string, files: Record<string, string>, builder?: 'isolated' | 'classic') => {
    const folder = await bed.folder(files)
    await api['apps:create']({
      name,
      server: bed.serverName,
      source: { kind: 'folder', path: folder },
      port: 8080,
      domains: [`http://${name}.test`],
      healthPath: '/index.html',
      ...(builder ? { builder } : {}),
    })
    return folder
  }
  // Images in the host's engine that a build step running `marker` made (by the step's command).
  const imagesOf = async (marker: string) =>
    (
      await bed.run(
        sh`docker images -a -q --no-trunc | sort -u | xargs -r docker image inspect -f '{{.Id}} {{json .ContainerConfig.Cmd}} {{json .Config.Cmd}}' | grep -F ${marker} | cut -d' ' -f1; true`,
      )
    )
      .split('\n')
      .filter(Boolean)

  // No builder yet: auto builds are classic.
  assert.equal((await api['builds:builder']({ server: bed.serverName })).image, null)
  const set = await api['builds:builder']({
    server: bed.serverName,
    action: 'set',
    image: BUILDER_IMAGE,
    cache: `${CACHE_CAP_MB}m`,
    disk: '512m',
    cpus: 1,
    memory: '512m',
  })
  assert.equal(set.image, BUILDER_IMAGE)
  assert.match(set.version ?? '', /^\d+\.\d+\.\d+$/)
  assert.deepEqual(
    [set.driver, set.cache, set.disk, set.cpus, set.memory, set.changed],
    ['overlay', '6m', '512m', 1, '512m', true],
  )
  lap('builder set')

  // 1. An isolated build deploys and serves. Its steps look for the Docker socket (the build fails if
  // one is there) and write to a path that would show on the host if the build ran there.
  const hostPath = `/tmp/${bed.prefix}-written-by-build`
  const folder = await app('isoweb', {
    Dockerfile: [
      `FROM ${bed.server.images.busybox}`,
      'RUN for s in /var/run/docker.sock /run/docker.sock; do if [ -e "$s" ]; then echo "socket $s reachable"; exit 1; fi; done; echo no-docker-socket-here',
      `RUN echo escaped > ${hostPath} && head -c 2000000 /dev/urandom > /blob-one`,
      'ARG GREETING',
      'RUN echo "greeting=$GREETING"',
      'COPY www /www',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'),
    'www/index.html': 'isolated one\n',
  })
  // A plain env value is a build argument, passed to the builder through the environment.
  await api['env:set']({ name: 'isoweb', vars: [{ key: 'GREETING', value: `hello-${bed.prefix}` }] })
  const first = await deploy('isoweb')
  assert.equal(first.deployment.status, 'succeeded', JSON.stringify(first.deployment.error))
  lap('isolated build and deploy')
  assert.deepEqual(await bed.get('isoweb.test'), { status: 200, body: 'isolated one\n' })
  assert.match(first.deployment.builder ?? '', /^buildah \d+\.\d+\.\d+ \(isolated\)$/)
  assert.match(first.log, /Building with buildah \d+\.\d+\.\d+ \(isolated\)/)
  assert.match(first.log, /no-docker-socket-here/)
  assert.ok(first.log.includes(`greeting=hello-${bed.prefix}`), 'the build argument reached the build')
  assert.equal(await bed.run(sh`test -e ${hostPath} && echo found || echo absent`), 'absent\n')
  const labels = JSON.parse(
    await bed.run(
      sh`docker image inspect -f '{{json .Config.Labels}}' ${`${bed.prefix}/isoweb:${first.deployment.id}`}`,
    ),
  ) as Record<string, string>
  assert.equal(labels['dev.helvetia.app'], 'isoweb')
  assert.match(labels['dev.helvetia.build'] ?? '', /^[0-9a-f]{64}$/)
  assert.equal(
    await bed.run(sh`docker ps -a -q --filter name=${`${bed.prefix}-build-`}`),
    '',
    'the builder container is gone',
  )

  // 2. A build that needs the Docker socket fails, and its layers stay out of the host's engine.
  const socketMarker = `${bed.prefix}-socket-step`
  const failing = [
    `FROM ${bed.server.images.busybox}`,
    `RUN echo ${socketMarker} > /made-a-layer`,
    'RUN test -S /var/run/docker.sock',
    '',
  ].join('\n')
  await app('isosock', { Dockerfile: failing, 'www/index.html': 'x\n' })
  // Meanwhile the builder container is looked at while it exists (it lives for the whole build).
  let deploying = true
  let builder = ''
  const watch = (async () => {
    while (deploying && !builder) {
      builder = (
        await bed.run(
          sh`docker ps -q --filter name=${`${bed.prefix}-build-isosock-`} | head -n 1 | xargs -r docker inspect -f '{{json .Mounts}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.Privileged}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.PidsLimit}}'; true`,
        )
      ).trim()
    }
  })()
  const sock = await deploy('isosock').finally(() => (deploying = false))
  await watch
  const [mounts = '[]', readOnly, privileged, capAdd = '[]', securityOpt, memory, cpus, pids] =
    builder.split('|')
  assert.ok(builder, 'the builder container was never seen')
  const mounted = (JSON.parse(mounts) as { Type: string; Destination: string; RW: boolean; Source: string }[])
    .map((m) => `${m.Type} ${m.Destination} ${m.RW ? 'rw' : 'ro'}`)
    .sort()
  // The context and the Dockerfile it builds with (the source's own, or one Helvetia generated), both read-only.
  assert.deepEqual(mounted, [
    'bind /build.Dockerfile ro',
    'bind /context ro',
    'volume /var/lib/containers rw',
    'volume /var/tmp rw',
  ])
  assert.ok(!builder.includes('docker.sock'), builder)
  assert.deepEqual([readOnly, privileged], ['true', 'false'])
  assert.ok(!(JSON.parse(capAdd) as string[]).some((c) => /SYS_ADMIN|ALL/.test(c)), capAdd)
  assert.match(securityOpt ?? '', /no-new-privileges/)
  assert.deepEqual([memory, cpus, pids], [String(512 * 1024 ** 2), '1000000000', '2048'])
  assert.equal(sock.deployment.status, 'failed')
  assert.equal(sock.deployment.error?.code, 'BUILD_FAILED', JSON.stringify(sock.deployment.error))
  assert.match(sock.deployment.builder ?? '', /\(isolated\)$/)
  assert.deepEqual(await imagesOf(socketMarker), [], 'a failed isolated build left a layer in the engine')
  assert.equal(await bed.run(sh`docker images -a -q --filter label=dev.helvetia.app=isosock`), '')
  lap('socket build failed')

  // 3. Reading outside the context (the deployment's own folder, with its env file) fails the build.
  await app('isoout', {
    Dockerfile: [`FROM ${bed.server.images.busybox}`, 'COPY ../request/env /stolen', ''].join('\n'),
    'www/index.html': 'x\n',
  })
  const out = await deploy('isoout')
  assert.equal(out.deployment.status, 'failed')
  assert.equal(out.deployment.error?.code, 'BUILD_FAILED', JSON.stringify(out.deployment.error))
  assert.equal(await bed.run(sh`docker image ls -q ${`${bed.prefix}/isoout`}`), '')
  lap('outside-context build failed')

  // 4. A second build adds another 2 MB layer: the cache is pruned back under its cap.
  await writeFile(
    `${folder}/Dockerfile`,
    [
      `FROM ${bed.server.images.busybox}`,
      'RUN head -c 2000000 /dev/urandom > /blob-two',
      'COPY www /www',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'),
  )
  await writeFile(`${folder}/www/index.html`, 'isolated two\n')
  const second = await deploy('isoweb')
  assert.equal(second.deployment.status, 'succeeded', JSON.stringify(second.deployment.error))
  assert.deepEqual(await bed.get('isoweb.test'), { status: 200, body: 'isolated two\n' })
  const cacheKb = Number(
    await bed.run(
      sh`docker run --rm --network none -v ${`${bed.prefix}-build-cache`}:/cache:ro ${bed.server.images.busybox} du -sk /cache | cut -f1`,
    ),
  )
  t.diagnostic(`cache volume after two builds: ${cacheKb} KiB (cap ${CACHE_CAP_MB * 1024} KiB)`)
  assert.ok(cacheKb > 0 && cacheKb <= CACHE_CAP_MB * 1024, `the cache holds ${cacheKb} KiB`)
  assert.match(second.log, new RegExp(`Build cache: \\d+ MiB of ${CACHE_CAP_MB} MiB`))
  lap('second isolated build')

  // 5. Classic still builds, by choice; the same failing Dockerfile there leaves its layer behind
  // (what the isolated build's check above would have caught, so that check can fail).
  await api['apps:update']({ name: 'isosock', changes: { builder: 'classic' } })
  const classicSock = await deploy('isosock')
  assert.equal(classicSock.deployment.status, 'failed')
  assert.equal(classicSock.deployment.builder, 'docker build (classic)')
  const left = await imagesOf(socketMarker)
  assert.ok(left.length > 0, 'the classic builder left no layer: the check cannot tell')
  bed.cleanup(sh`docker rmi ${left} >/dev/null 2>&1; true`)
  // 6. Without a builder, auto builds are classic, and `isolated` fails at once, saying how to get
  // one; the cache volume went with the builder.
  const off = await api['builds:builder']({ server: bed.serverName, action: 'off' })
  assert.deepEqual([off.image, off.changed], [null, true])
  assert.equal(await bed.run(sh`docker volume ls -q --filter name=${`^${bed.prefix}-build-cache$`}`), '')
  await writeFile(`${folder}/www/index.html`, 'classic three\n')
  const classic = await deploy('isoweb')
  assert.equal(classic.deployment.status, 'succeeded', JSON.stringify(classic.deployment.error))
  assert.equal(classic.deployment.builder, 'docker build (classic)')
  assert.deepEqual(await bed.get('isoweb.test'), { status: 200, body: 'classic three\n' })
  await api['apps:update']({ name: 'isoweb', changes: { builder: 'isolated' } })
  await writeFile(`${folder}/www/index.html`, 'isolated four\n')
  const missing = await deploy('isoweb')
  assert.equal(missing.deployment.status, 'failed')
  assert.equal(missing.deployment.error?.code, 'BUILDER_MISSING')
  assert.match(missing.deployment.error?.hint ?? '', /helvetia server builder/)
  assert.deepEqual(await bed.get('isoweb.test'), { status: 200, body: 'classic three\n' })
  lap('done')
})
