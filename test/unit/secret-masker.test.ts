import assert from 'node:assert/strict'
import { StringDecoder } from 'node:string_decoder'
import { test } from 'node:test'
import {
  createSecretMasker,
  DEFAULT_MASK,
  MIN_LINE_LENGTH,
  MIN_SECRET_LENGTH,
  secretPatterns,
  type SecretMasker,
} from '../../src-main/core/logs/secret-masker'

const M = DEFAULT_MASK

/** mulberry32: a small seeded PRNG, so every "random" case is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  }
}

function streamed(masker: SecretMasker, chunks: readonly (string | Uint8Array)[]): string {
  return chunks.map((chunk) => masker.push(chunk)).join('') + masker.flush()
}

/** The same masking done the slow, obvious way: cover every occurrence, one mask per covered run. */
function reference(text: string, patterns: readonly string[]) {
  const covered = new Array<boolean>(text.length).fill(false)
  for (const pattern of patterns) {
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
      covered.fill(true, at, at + pattern.length)
    }
  }
  // outAt[i]: output length once input [0, i) is out, a mask counted as soon as its run begins.
  const outAt = [0]
  let masked = ''
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) masked += text[i]
    else if (i === 0 || !covered[i - 1]) masked += M
    outAt.push(masked.length)
  }
  return { masked, outAt }
}

/** The base64 characters that carry only the secret's bits when it starts at byte `offset` mod 3. */
function stableBase64(secret: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64')
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + secret.length) * 8) / 6))
}

/** Whether any 4 consecutive bytes of the secret can be decoded from a base64 run of the text. */
function base64Reveals(text: string, secret: Buffer): boolean {
  const windows: Buffer[] = []
  for (let i = 0; i + 4 <= secret.length; i++) windows.push(secret.subarray(i, i + 4))
  for (const run of text.match(/[A-Za-z0-9+/_-]+/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(run.slice(shift).replaceAll('-', '+').replaceAll('_', '/'), 'base64')
      if (windows.some((window) => decoded.includes(window))) return true
    }
  }
  return false
}

const SECRET = 'hunter2-S3cr3t/value+x'

test('the whole value is masked, with the default or a chosen mask', () => {
  assert.equal(createSecretMasker([SECRET]).maskAll(`pw=${SECRET};`), `pw=${M};`)
  assert.equal(createSecretMasker([SECRET], { mask: '***' }).maskAll(`${SECRET} ${SECRET}`), '*** ***')
})

test('secrets shorter than the minimum are ignored; text without secrets passes unchanged', () => {
  const short = 'x'.repeat(MIN_SECRET_LENGTH - 1)
  const ignored = ['', 'a', short, '   \n  ', ` ${short}\n`]
  assert.deepEqual(secretPatterns(ignored), [])
  const masker = createSecretMasker(ignored)
  const log = `a ${short}   \n    ${short}${short}\n`
  assert.equal(streamed(masker, [log, log]), log + log)
  assert.equal(createSecretMasker(['x'.repeat(MIN_SECRET_LENGTH)]).maskAll('xxxx'), M)
})

test('a value read with a trailing newline is masked as printed without it', () => {
  assert.equal(createSecretMasker([`${SECRET}\n`]).maskAll(`"${SECRET}"`), `"${M}"`)
})

test('each line of a multi-line secret is masked, lines below the minimum are not', () => {
  const rng = prng(1)
  const body =
    rng
      .bytes(190)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  const pem = ['-----BEGIN PRIVATE KEY-----', ...body, '==', '-----END PRIVATE KEY-----'].join('\n')
  assert.ok('=='.length < MIN_LINE_LENGTH)
  const printed = pem
    .split('\n')
    .map((line) => `  | ${line}\r\n`)
    .join('')
  const expected = pem
    .split('\n')
    .map((line) => `  | ${line.length < MIN_LINE_LENGTH ? line : M}\r\n`)
    .join('')
  const masker = createSecretMasker([pem])
  assert.equal(masker.maskAll(printed), expected)
  for (let round = 0; round < 50; round++) {
    const chunks: string[] = []
    for (let at = 0; at < printed.length;) {
      const size = 1 + rng.int(80)
      chunks.push(printed.slice(at, at + size))
      at += size
    }
    assert.equal(streamed(masker, chunks), expected)
  }
})

test('base64 of the secret at byte offsets 0, 1 and 2 inside a larger blob is masked', () => {
  const rng = prng(2)
  const secrets = [SECRET, 'pässwörd-🔑-geheim', 'abcd', 'a longer secret: with spaces & symbols ~!?']
  const masker = createSecretMasker(secrets)
  for (const value of secrets) {
    const secret = Buffer.from(value)
    for (let prefix = 0; prefix < 6; prefix++) {
      for (let suffix = 0; suffix < 6; suffix++) {
        for (const encoding of ['base64', 'base64url'] as const) {
          const blob = Buffer.concat([rng.bytes(prefix), secret, rng.bytes(suffix)]).toString(encoding)
          const stable = stableBase64(secret, prefix % 3)
          const inner = encoding === 'base64' ? stable : stable.replaceAll('+', '-').replaceAll('/', '_')
          assert.ok(blob.includes(inner))
          const out = masker.maskAll(`data: ${blob}\n`)
          assert.ok(out.includes(M), out)
          assert.ok(!out.includes(inner), `${encoding} ${prefix}+${suffix}: ${out}`)
          assert.ok(!base64Reveals(out, secret), `${encoding} ${prefix}+${suffix}: ${out}`)
        }
      }
    }
  }
})

test('URL-encoded forms are masked: encodeURIComponent, + for space, URLSearchParams', () => {
  const value = "p@ss word/with&odd=chars!'()~é"
  const masker = createSecretMasker([value])
  const component = encodeURIComponent(value)
  const forms = [
    component,
    component.replaceAll('%20', '+'),
    new URLSearchParams({ k: value }).toString().slice(2),
  ]
  assert.equal(new Set(forms).size, 3)
  for (const form of forms) {
    assert.equal(masker.maskAll(`GET /cb?k=${form}&next=1`), `GET /cb?k=${M}&next=1`)
  }
})

test('a secret split at every position across two and three chunks is masked', () => {
  const masker = createSecretMasker([SECRET])
  const forms = [SECRET, encodeURIComponent(SECRET), stableBase64(Buffer.from(SECRET), 1)]
  for (const form of forms) {
    const text = `before ${form} after`
    const expected = `before ${M} after`
    for (let i = 0; i <= text.length; i++) {
      assert.equal(streamed(masker, [text.slice(0, i), text.slice(i)]), expected, `split at ${i}`)
      for (let j = i; j <= text.length; j++) {
        const chunks = [text.slice(0, i), text.slice(i, j), text.slice(j)]
        assert.equal(streamed(masker, chunks), expected, `split at ${i}, ${j}`)
      }
    }
  }
})

test('bytes split inside a UTF-8 character decode cleanly around and inside secrets', () => {
  const value = 'pässwörd-🔑-geheim'
  const masker = createSecretMasker([value])
  const bytes = Buffer.from(`ünïcödé ${value} 日本語 🔑`)
  for (let i = 0; i <= bytes.length; i++) {
    for (const j of [i, i + 1, i + 2, i + 3]) {
      const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]
      assert.equal(streamed(masker, chunks), `ünïcödé ${M} 日本語 🔑`, `split at ${i}, ${j}`)
    }
  }
})

test('overlapping, adjacent and nested secrets become one mask per run, the longest winning', () => {
  const masker = createSecretMasker(['abcdef12', 'ef12ghij', 'hunter2hunter', 'hunter'])
  assert.equal(masker.maskAll('xx abcdef12ghij yy'), `xx ${M} yy`)
  assert.equal(masker.maskAll('abcdef12abcdef12 ef12ghij'), `${M} ${M}`)
  assert.equal(masker.maskAll('hunter2hunter2hunter hunter2 hunte'), `${M} ${M}2 hunte`)
  assert.equal(streamed(masker, ['xx abcde', 'f12g', 'hij yy']), `xx ${M} yy`)
})

test('text that cannot begin a secret is returned at once; a possible start is held until decided', () => {
  const masker = createSecretMasker([SECRET])
  assert.equal(masker.push('step 1/3: installing\n'), 'step 1/3: installing\n')
  assert.equal(masker.push('token hunter2-S3'), 'token ')
  assert.equal(masker.push('c'), '')
  assert.equal(masker.push('X\n'), 'hunter2-S3cX\n')
  assert.equal(masker.push('hunter2'), '')
  assert.equal(masker.flush(), 'hunter2')
  assert.equal(masker.push(`${SECRET}`), M)
  assert.equal(masker.push('\n'), '\n')
})

test('flush releases the held tail and a half-received character; the masker then starts afresh', () => {
  const masker = createSecretMasker([SECRET])
  assert.equal(masker.push(Buffer.from('ok hunter')), 'ok ')
  assert.equal(masker.push(Buffer.from('é').subarray(0, 1)), '')
  assert.equal(masker.flush(), 'hunter\ufffd')
  assert.equal(masker.push('2-S3cr3t/value+x'), '2-S3cr3t/value+x')
  assert.equal(masker.flush(), '')
})

test('no false masking: near misses and unrelated logs are left exactly as they were', () => {
  const rng = prng(3)
  const masker = createSecretMasker([SECRET, 'correct horse battery staple'])
  const words = [
    'hunter',
    'hunter2-',
    'S3cr3t',
    'value+x',
    'correct',
    'horse',
    'b64:',
    'aHVudGVy',
    '%2F',
    ' ',
    '\n',
  ]
  for (let round = 0; round < 200; round++) {
    const text = Array.from({ length: 40 }, () => rng.pick(words)).join('')
    assert.equal(masker.maskAll(text), text)
  }
})

test('random chunkings of random logs match the reference and hold back no more than needed', () => {
  const rng = prng(4)
  const alphabet = 'abcdefgh12+/=%-_ \n\r{}é🔑'
  // Whole code points, so slicing never leaves a lone surrogate that UTF-8 cannot carry.
  const randomChars = (n: number) => Array.from({ length: n }, () => rng.pick([...alphabet]))
  const randomText = (n: number) => randomChars(n).join('')
  for (let round = 0; round < 300; round++) {
    const base = randomChars(4 + rng.int(12))
    // Secrets that share prefixes, overlap and nest, so partial matches are everywhere.
    const secrets = [
      base.join(''),
      base.slice(2).join('') + randomText(3),
      `${base.slice(0, 5).join('')}\n${randomText(6)}`,
      randomText(5),
    ]
    const patterns = secretPatterns(secrets)
    const forms = [
      ...secrets,
      ...patterns,
      ...secrets.map((secret) =>
        Buffer.concat([rng.bytes(rng.int(3)), Buffer.from(secret)]).toString('base64'),
      ),
    ]
    let text = ''
    while (text.length < 400) text += rng.int(3) === 0 ? rng.pick(forms) : randomText(1 + rng.int(8))
    const { masked, outAt } = reference(text, patterns)
    const masker = createSecretMasker(secrets)
    assert.equal(masker.maskAll(text), masked)

    // Byte chunks of 1 to 60, cut anywhere, also inside a character.
    const bytes = Buffer.from(text)
    const decoder = new StringDecoder('utf8')
    let seen = ''
    let out = ''
    for (let at = 0; at < bytes.length;) {
      const size = 1 + rng.int(rng.int(2) === 0 ? 4 : 60)
      const chunk = bytes.subarray(at, at + size)
      at += size
      seen += decoder.write(chunk)
      out += masker.push(chunk)
      assert.ok(masked.startsWith(out), JSON.stringify({ secrets, text, out, masked }))
      // Held back: the longest tail of what was seen that a pattern could still continue from.
      let hold = 0
      for (const pattern of patterns) {
        for (let h = Math.min(pattern.length - 1, seen.length); h > hold; h--) {
          if (pattern.startsWith(seen.slice(seen.length - h))) hold = h
        }
      }
      assert.ok(out.length >= (outAt[seen.length - hold] ?? 0), `held more than ${hold} of ${seen}`)
    }
    out += masker.flush()
    assert.equal(out, masked)
    assert.ok(!out.includes('\ufffd'))
    for (const pattern of patterns) assert.ok(!out.includes(pattern), pattern)
  }
})
