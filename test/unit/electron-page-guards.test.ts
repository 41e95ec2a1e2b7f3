import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  APP_ORIGIN,
  isExternalLink,
  isFromOwnPage,
  isOwnPage,
  rendererPage,
} from '../../src-main/electron/page-guards'

// No Electron binary runs here: the guards are plain functions, and the window's webContents and an IPC
// event are stand-ins that carry only what the guards read (the sender, its frame and the frame's URL).

const DEV = 'http://localhost:5173'

/** Every URL whose `URL.origin` is the string 'null', as our own scheme's is. */
const OPAQUE = [
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'blob:null/4b1f6c1e-1b7e-4f37-9d0e-0c2a2d4e9a11',
  'javascript:alert(1)',
]

test('the packaged app shows only its own scheme and ignores a dev server URL in the environment', () => {
  const packaged = rendererPage(true, { ELECTRON_RENDERER_URL: DEV })
  assert.equal(packaged.url, 'helvetia://app/index.html')
  assert.deepEqual(packaged.origin, APP_ORIGIN)
  assert.equal(isOwnPage(`${DEV}/`, packaged.origin), false, 'the dev URL is foreign once packaged')

  const developing = rendererPage(false, { ELECTRON_RENDERER_URL: DEV })
  assert.equal(developing.url, DEV)
  assert.equal(isOwnPage(`${DEV}/#/servers`, developing.origin), true)
  assert.equal(isOwnPage('http://localhost:5174/', developing.origin), false, 'another port')
  assert.equal(isOwnPage('https://localhost:5173/', developing.origin), false, 'another scheme')
  assert.equal(isOwnPage('helvetia://app/index.html', developing.origin), false)

  assert.deepEqual(rendererPage(false, {}).origin, APP_ORIGIN, 'not packaged, no dev server')
})

test('only helvetia://app is our page: opaque origins and other hosts are not', () => {
  assert.equal(isOwnPage('helvetia://app/index.html', APP_ORIGIN), true)
  assert.equal(isOwnPage('helvetia://app/assets/index.js?v=1#x', APP_ORIGIN), true)
  for (const url of [
    ...OPAQUE,
    'helvetia://other-host/index.html',
    'helvetia://app.evil/index.html',
    'helvetia://app:8080/index.html',
    'helvetia:app/index.html',
    'helvetia:///index.html',
    `${DEV}/`,
    'https://app/',
    'not a url',
    '',
  ]) {
    assert.equal(isOwnPage(url, APP_ORIGIN), false, url)
  }
})

test('new windows open only https links, in the browser', () => {
  assert.equal(isExternalLink('https://docs.example.com/x'), true)
  for (const url of ['http://example.com/', ...OPAQUE, 'helvetia://app/', 'nonsense']) {
    assert.equal(isExternalLink(url), false, url)
  }
})

test('IPC is answered only for the window’s own main frame showing our page', () => {
  const mainFrame = { url: 'helvetia://app/index.html' }
  const contents = { mainFrame }
  const event = (sender: unknown, senderFrame: { url: string } | null) => ({ sender, senderFrame })

  assert.equal(isFromOwnPage(event(contents, mainFrame), contents, APP_ORIGIN), true)
  // Another window, no frame (it went away), or a subframe of ours.
  assert.equal(isFromOwnPage(event({ mainFrame }, mainFrame), contents, APP_ORIGIN), false)
  assert.equal(isFromOwnPage(event(contents, null), contents, APP_ORIGIN), false)
  assert.equal(
    isFromOwnPage(event(contents, { url: 'helvetia://app/index.html' }), contents, APP_ORIGIN),
    false,
  )
  // Our main frame after it navigated somewhere else.
  for (const url of [...OPAQUE, 'helvetia://other-host/index.html', `${DEV}/`]) {
    const navigated = { url }
    const frameContents = { mainFrame: navigated }
    assert.equal(isFromOwnPage(event(frameContents, navigated), frameContents, APP_ORIGIN), false, url)
  }
  // The dev server's page is ours while developing, and foreign in a packaged app.
  const devFrame = { url: `${DEV}/index.html` }
  const devContents = { mainFrame: devFrame }
  const env = { ELECTRON_RENDERER_URL: DEV }
  const dev = rendererPage(false, env).origin
  assert.equal(isFromOwnPage(event(devContents, devFrame), devContents, dev), true)
  const packaged = rendererPage(true, env).origin
  assert.equal(isFromOwnPage(event(devContents, devFrame), devContents, packaged), false)
})
