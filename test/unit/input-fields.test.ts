/**
 * The core's own rules name the field they refuse, as a path into the method's input, through the
 * API host as every face reaches it: the real core in a fresh home, "this computer" as its server.
 * Nothing here reaches a server: each input is refused before.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CallMethod, InputOf } from '../../src-main/api/contract'
import { createCore } from '../../src-main/core/create-core'
import { createKeytarVault } from '../../src-main/core/vault/vault'
import { hostClient } from '../support/host-client'
import { requireKeychain } from '../support/keychain'
import { APP_ROOT, tempHome } from '../support/temp-home'

test('the core names the field of what it refuses, in the terms of the method’s input', async (t) => {
  if (!requireKeychain(t)) return
  const core = createCore({ home: tempHome(t), appRoot: APP_ROOT, vault: createKeytarVault(), face: 'test' })
  t.after(() => core.close())
  const api = hostClient(core.api)
  const refused = async <M extends CallMethod>(method: M, input: InputOf<M>, code: string, field: string) => {
    await assert.rejects(
      api.call(method, ...([input] as never)),
      (error: { code?: string; field?: string }) => {
        assert.equal(error.code, code, JSON.stringify(input))
        assert.equal(error.field, field, JSON.stringify(input))
        return true
      },
    )
  }

  const server = { host: 'h.example', auth: 'agent' as const }
  await refused('servers:add', { ...server, name: 'Bad Name' }, 'INVALID_SERVER', 'name')
  await refused('servers:add', { ...server, name: 'ok', port: 70000 }, 'INVALID_SERVER', 'port')
  await refused('servers:add', { ...server, name: 'ok', auth: 'key-file' }, 'INVALID_SERVER', 'identityFile')
  await refused(
    'servers:add',
    { ...server, name: 'ok', fingerprint: 'nope' },
    'FINGERPRINT_INVALID',
    'fingerprint',
  )
  await api.call('servers:add', { name: 'here', host: 'localhost', auth: 'local' })

  const app = { name: 'web', server: 'here', source: { kind: 'folder' as const, path: '/tmp' } }
  const git = { kind: 'git' as const, url: 'https://example.com/r.git' }
  await refused('apps:create', { ...app, name: '9web' }, 'INVALID_OPTION', 'name')
  await refused(
    'apps:create',
    { ...app, source: { ...git, url: 'ftp://x/r' } },
    'INVALID_OPTION',
    'source.url',
  )
  await refused(
    'apps:create',
    { ...app, source: { ...git, branch: 'a..b' } },
    'INVALID_OPTION',
    'source.branch',
  )
  await refused('apps:create', { ...app, port: 0 }, 'INVALID_OPTION', 'port')
  await refused('apps:create', { ...app, domains: ['a.test', 'not a domain'] }, 'INVALID_OPTION', 'domains.1')
  await refused('apps:create', { ...app, healthPath: 'health' }, 'INVALID_OPTION', 'healthPath')
  await refused('apps:create', { ...app, memory: 'lots' }, 'INVALID_OPTION', 'memory')
  await refused('apps:create', { ...app, cpus: -1 }, 'INVALID_OPTION', 'cpus')
  await api.call('apps:create', { ...app, domains: ['a.test'] })
  await refused('apps:create', app, 'APP_EXISTS', 'name')
  await refused(
    'apps:create',
    { ...app, name: 'other', domains: ['b.test', 'A.test'] },
    'DOMAIN_IN_USE',
    'domains.1',
  )

  const update = (changes: InputOf<'apps:update'>['changes']) => ({ name: 'web', changes })
  await refused('apps:update', update({ port: 0 }), 'INVALID_OPTION', 'changes.port')
  await refused('apps:update', update({ health: { path: 'x' } }), 'INVALID_OPTION', 'changes.health.path')
  await refused('apps:update', update({ resources: { pids: 0 } }), 'INVALID_OPTION', 'changes.resources.pids')
  await refused('apps:update', update({ restart: 'sometimes' as never }), 'INVALID_OPTION', 'changes.restart')
  await refused(
    'apps:update',
    update({ domains: ['c.test', 'no way'] }),
    'INVALID_OPTION',
    'changes.domains.1',
  )
  await refused('apps:update', update({ branch: 'main' }), 'INVALID_OPTION', 'changes.branch')
})
