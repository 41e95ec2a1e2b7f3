/**
 * The builder an app chooses (auto, isolated, classic): kept in its spec only when not auto, refused
 * when unknown (with its field, on create and on update), changed by apps:update, sent to the server
 * as the deploy option `builder`; and the server builder's settings checked before anything is sent.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyChanges } from '../../src-main/core/apps/app-changes'
import { checkBuilderInput } from '../../src-main/core/builds/builder-api'
import { parseDomain, resolveAppSpec } from '../../src-main/core/deploy/app-spec'
import { deployOptions } from '../../src-main/core/deploy/deploy-request'
import { UserError } from '../../src-main/core/errors'
import type { BuilderChoice } from '../../src-main/api/builds'

const invalid = (fn: () => unknown, field: string) =>
  assert.throws(fn, (error) => {
    assert.ok(error instanceof UserError && error.code === 'INVALID_OPTION', String(error))
    assert.equal(error.field, field, error.message)
    return true
  })

const options = (builder?: BuilderChoice) =>
  deployOptions({
    id: '20260101-000000-abcd',
    spec: resolveAppSpec({ name: 'web', build: builder ? { builder } : {} }),
    domains: [parseDomain('http://a.test')],
    source: { kind: 'folder', sourceId: 'f'.repeat(64) },
    trigger: 'cli',
  })

test('an app’s builder: kept unless auto, checked, changed by an update, sent as the deploy option', () => {
  assert.equal(resolveAppSpec({ name: 'web' }).build.builder, undefined)
  assert.equal(resolveAppSpec({ name: 'web', build: { builder: 'auto' } }).build.builder, undefined)
  assert.equal(resolveAppSpec({ name: 'web', build: { builder: 'isolated' } }).build.builder, 'isolated')
  invalid(
    () => resolveAppSpec({ name: 'web', build: { builder: 'docker' as BuilderChoice } }),
    'build.builder',
  )

  const changed = applyChanges(
    { spec: { build: { dockerfile: 'x/Dockerfile' } }, source: { kind: 'folder', path: '/a' } },
    {
      builder: 'classic',
    },
  )
  assert.deepEqual(changed.spec.build, { dockerfile: 'x/Dockerfile', builder: 'classic' })

  assert.match(options('isolated'), /\nbuilder=isolated\n/)
  assert.match(options('classic'), /\nbuilder=classic\n/)
  assert.doesNotMatch(options(), /builder=/)
})

test('the server builder’s settings are checked before anything is sent', () => {
  checkBuilderInput({ server: 's' })
  checkBuilderInput({ server: 's', action: 'off' })
  checkBuilderInput({
    server: 's',
    action: 'set',
    image: 'quay.io/buildah/stable:v1.37',
    driver: 'vfs',
    cache: '5g',
    disk: '512m',
    cpus: 1.5,
    memory: '2g',
  })
  invalid(() => checkBuilderInput({ server: 's', action: 'set', image: 'Bad Image;rm' }), 'image')
  invalid(() => checkBuilderInput({ server: 's', action: 'set', cache: '5 GB' }), 'cache')
  invalid(() => checkBuilderInput({ server: 's', action: 'set', disk: '-1' }), 'disk')
  invalid(() => checkBuilderInput({ server: 's', action: 'set', cpus: 0 }), 'cpus')
  invalid(() => checkBuilderInput({ server: 's', action: 'set', driver: 'btrfs' as 'vfs' }), 'driver')
  invalid(() => checkBuilderInput({ server: 's', action: 'show', image: 'busybox' }), 'action')
  invalid(() => checkBuilderInput({ server: 's', action: 'wipe' as 'off' }), 'action')
})
