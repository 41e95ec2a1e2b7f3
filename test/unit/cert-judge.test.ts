/**
 * The certificate verdicts, on real TLS handshakes: certificates made with openssl at test time, served
 * by a node:tls server on 127.0.0.1 that picks one by the server name the client asks for, probed the
 * way the core probes the proxy (a TLS client over a stream it is given).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import {
  connect,
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
} from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createSecureContext, createServer, type SecureContext, type Server } from 'node:tls'
import { probeCertificate } from '../../src-main/core/certs/cert-probe'

const dir = mkdtempSync(join(tmpdir(), 'helvetia-certs-'))
const file = (name: string) => join(dir, name)
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']

/** A certificate for `names` from the test CA, valid from `start` to `end` (openssl's YYYYMMDDHHMMSSZ). */
function issue(label: string, names: string[], start: string, end: string): SecureContext {
  openssl(
    'req',
    ...newKey,
    '-keyout',
    file(`${label}.key`),
    '-out',
    file(`${label}.csr`),
    '-subj',
    `/CN=${names[0]}`,
    '-addext',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  )
  openssl(
    'ca',
    '-batch',
    '-config',
    file('ca.cnf'),
    '-in',
    file(`${label}.csr`),
    '-out',
    file(`${label}.crt`),
    '-startdate',
    start,
    '-enddate',
    end,
    '-notext',
  )
  return context(label)
}

/** A self-signed certificate with `subject` as its common name and `san` as its one name. */
function selfSigned(label: string, subject: string, san: string): SecureContext {
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    file(`${label}.key`),
    '-out',
    file(`${label}.crt`),
    '-days',
    '30',
    '-subj',
    `/CN=${subject}`,
    '-addext',
    `subjectAltName=DNS:${san}`,
  )
  return context(label)
}

const context = (label: string) =>
  createSecureContext({ key: readFileSync(file(`${label}.key`)), cert: readFileSync(file(`${label}.crt`)) })

/** openssl's date form, `days` from now. */
function date(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
}

let server: Server
let port = 0
let ca = ''

before(async () => {
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '30',
    '-subj',
    '/CN=Helvetia Test CA',
  )
  ca = readFileSync(file('ca.crt'), 'utf8')
  writeFileSync(file('index.txt'), '')
  writeFileSync(file('serial'), '01\n')
  writeFileSync(
    file('ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `database = ${file('index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${file('serial')}`,
      `certificate = ${file('ca.crt')}`,
      `private_key = ${file('ca.key')}`,
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  )
  const good = issue('good', ['good.test', 'www.good.test'], date(-1), date(45))
  const contexts: Record<string, SecureContext> = {
    'good.test': good,
    // good.test's certificate, for a name it does not cover.
    'other.test': good,
    'expired.test': issue('expired', ['expired.test'], date(-90), date(-2)),
    'self.test': selfSigned('self', 'self.test', 'self.test'),
    // What Traefik serves for a name it has no certificate for.
    'waiting.test': selfSigned('default', 'TRAEFIK DEFAULT CERT', '0123abcd.traefik.default'),
  }
  server = createServer({
    SNICallback: (name, done) => {
      const found = contexts[name]
      // No certificate for the name: node:tls closes the connection (without an alert).
      if (found) done(null, found)
      else done(new Error(`no certificate for ${name}`))
    },
  })
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

after(() => {
  server?.close()
  rmSync(dir, { recursive: true, force: true })
})

const probe = (domain: string, extraCa: string[] = [ca]) =>
  probeCertificate(domain, connect(port, '127.0.0.1'), { signal: AbortSignal.timeout(10_000), extraCa })

test('a certificate from a trusted authority, for the name and in its dates, is valid', async () => {
  const verdict = await probe('good.test')
  assert.equal(verdict.state, 'valid', verdict.message)
  assert.equal(verdict.issuer, 'Helvetia Test CA')
  assert.equal(verdict.subject, 'good.test')
  assert.deepEqual(verdict.altNames, ['good.test', 'www.good.test'])
  assert.ok(verdict.daysLeft === 44 || verdict.daysLeft === 45, String(verdict.daysLeft))
  assert.equal(
    verdict.validTo?.slice(0, 10),
    new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10),
  )
  assert.match(verdict.message, /^Issued by Helvetia Test CA; expires \d{4}-\d\d-\d\d \(in 4[45] days\)\.$/)
})

test('the same certificate is untrusted when its authority is not one Node trusts', async () => {
  const verdict = await probe('good.test', [])
  assert.equal(verdict.state, 'untrusted')
  assert.match(
    verdict.message,
    /^Issued by Helvetia Test CA, which browsers do not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
  )
})

test('a self-signed certificate is untrusted', async () => {
  const verdict = await probe('self.test')
  assert.equal(verdict.state, 'untrusted')
  assert.match(verdict.message, /^Self-signed: browsers warn/)
})

test('a certificate past its end date is expired, with its dates', async () => {
  const verdict = await probe('expired.test')
  assert.equal(verdict.state, 'expired', verdict.message)
  assert.ok(
    verdict.daysLeft !== null && verdict.daysLeft <= -2 && verdict.daysLeft >= -3,
    String(verdict.daysLeft),
  )
  assert.match(verdict.message, /^Expired on \d{4}-\d\d-\d\d: the proxy did not renew it/)
})

test('a certificate that does not cover the name is a mismatch that names what it covers', async () => {
  const verdict = await probe('other.test')
  assert.equal(verdict.state, 'mismatch')
  assert.match(verdict.message, /is for good\.test, www\.good\.test, not other\.test/)
})

test("Traefik's default certificate means the real one is pending", async () => {
  const verdict = await probe('waiting.test')
  assert.equal(verdict.state, 'pending')
  assert.equal(verdict.subject, 'TRAEFIK DEFAULT CERT')
  assert.match(
    verdict.message,
    /^Traefik serves its default certificate: it has none for waiting\.test yet\./,
  )
})

// Caddy answers a name it has no certificate for with a TLS alert (internal_error), which is `pending`;
// test/integration/certificates.test.ts sees that from the real Caddy. A connection closed mid-handshake
// without an alert says nothing about certificates.
test('a handshake closed without an alert is an error, with what happened', async () => {
  const verdict = await probe('none.test')
  assert.equal(verdict.state, 'error')
  assert.equal(verdict.issuer, null)
  assert.match(verdict.message, /^No certificate could be read: Client network socket disconnected/)
})

test('no TLS at all is an error, and one that ends in time', async () => {
  // A plain TCP server that never answers the TLS hello.
  const silent = await new Promise<TcpServer>((resolve) => {
    const s = createTcpServer(() => {})
    s.listen(0, '127.0.0.1', () => resolve(s))
  })
  after(() => silent.close())
  const socket = connect((silent.address() as AddressInfo).port, '127.0.0.1')
  const verdict = await probeCertificate('good.test', socket, { signal: AbortSignal.timeout(300) })
  assert.equal(verdict.state, 'error')
  assert.equal(verdict.message, 'The proxy did not complete a TLS handshake in time.')
  assert.ok(socket.destroyed)
})
