/**
 * Renders resources/icon.svg into the desktop app's icons, which electron-builder.yml names:
 * icon.png (512×512, Linux), icon.ico (Windows) and icon.icns (macOS). Both containers hold PNG data,
 * which Windows Vista+ and macOS 10.7+ read. Drawn by Chromium (playwright-core), so it needs a
 * Chromium: `CHROMIUM=/usr/bin/chromium node --import tsx resources/build-icons.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { chromium } from 'playwright-core'

const dir = new URL('.', import.meta.url)

/** An ICO file: a directory of images, each stored as PNG (width and height 0 mean 256). */
export function icoFile(pngs: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(pngs.length, 4)
  let offset = 6 + 16 * pngs.length
  const entries = pngs.map(({ size, data }) => {
    const entry = Buffer.alloc(16)
    entry.writeUInt8(size >= 256 ? 0 : size, 0)
    entry.writeUInt8(size >= 256 ? 0 : size, 1)
    entry.writeUInt16LE(1, 4) // colour planes
    entry.writeUInt16LE(32, 6) // bits per pixel
    entry.writeUInt32LE(data.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += data.length
    return entry
  })
  return Buffer.concat([header, ...entries, ...pngs.map((png) => png.data)])
}

/** An ICNS file: `icns`, its length, then one (type, length, PNG) block per image. */
export function icnsFile(blocks: { type: string; data: Buffer }[]): Buffer {
  const parts = blocks.map(({ type, data }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 4, 'latin1')
    head.writeUInt32BE(8 + data.length, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 4, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

/** ICNS types whose data may be PNG, by pixel size (ic10 is 512@2x). */
const ICNS_TYPES: [string, number][] = [
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]

async function main(): Promise<void> {
  const svg = await readFile(new URL('icon.svg', dir), 'utf8')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  })
  try {
    const page = await browser.newPage()
    const render = async (size: number): Promise<Buffer> => {
      await page.setViewportSize({ width: size, height: size })
      await page.setContent(
        `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
      )
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
    }
    const sizes = [...new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size), 512])]
    const pngs = new Map<number, Buffer>()
    for (const size of sizes) pngs.set(size, await render(size))
    const png = (size: number) => pngs.get(size) as Buffer
    await writeFile(new URL('icon.png', dir), png(512))
    await writeFile(new URL('icon.ico', dir), icoFile(ICO_SIZES.map((size) => ({ size, data: png(size) }))))
    await writeFile(
      new URL('icon.icns', dir),
      icnsFile(ICNS_TYPES.map(([type, size]) => ({ type, data: png(size) }))),
    )
  } finally {
    await browser.close()
  }
}

if (process.argv[1] && new URL(`file://${process.argv[1]}`).href === import.meta.url) await main()
