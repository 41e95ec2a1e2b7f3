/**
 * A tar archive (POSIX ustar, with a pax header for paths that do not fit) built in memory: what the
 * upload and deploy-request scripts read from standard input with GNU tar.
 */

const BLOCK = 512

export interface TarFile {
  /** Relative, `/`-separated. */
  path: string
  data: Buffer
  /** Permission bits, e.g. 0o644. */
  mode: number
  /** Seconds since the epoch (default 0). */
  mtime?: number
  /** Makes the entry a symbolic link to this target (`data` is then empty). */
  link?: string
}

/** The archive holding `files`, in order. */
export function tarArchive(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = []
  for (const file of files) {
    const link = file.link ?? ''
    const records = [
      ...(fits(file.path) ? [] : [paxRecord('path', file.path)]),
      ...(fits(link) ? [] : [paxRecord('linkpath', link)]),
    ]
    if (records.length > 0) {
      const record = Buffer.concat(records)
      parts.push(header({ name: 'PaxHeader', size: record.length, mode: 0o644, mtime: 0, type: 'x' }))
      parts.push(padded(record))
    }
    const data = file.link === undefined ? file.data : Buffer.alloc(0)
    parts.push(
      header({
        name: short(file.path),
        size: data.length,
        mode: file.mode,
        mtime: file.mtime ?? 0,
        type: file.link === undefined ? '0' : '2',
        linkname: short(link),
      }),
    )
    parts.push(padded(data))
  }
  parts.push(Buffer.alloc(2 * BLOCK))
  return Buffer.concat(parts)
}

/** Whether a name fits a ustar header field as it is; otherwise a pax record carries it. */
function fits(name: string): boolean {
  return Buffer.byteLength(name) <= 100 && /^[\x20-\x7e]*$/.test(name)
}

/** The header field's form of a name: the name, or its first 100 bytes when a pax record holds it. */
function short(name: string): string {
  return Buffer.from(name, 'utf8').subarray(0, 100).toString('latin1')
}

/** `<length> <key>=<value>\n`, where the length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`
  const bodyLength = Buffer.byteLength(body)
  let length = bodyLength + 1
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength
  return Buffer.from(`${length}${body}`, 'utf8')
}

interface Header {
  name: string
  size: number
  mode: number
  mtime: number
  type: string
  linkname?: string
}

function header(entry: Header): Buffer {
  const block = Buffer.alloc(BLOCK)
  block.write(entry.name, 0, 100, 'latin1')
  octal(block, 100, 8, entry.mode)
  octal(block, 108, 8, 0)
  octal(block, 116, 8, 0)
  octal(block, 124, 12, entry.size)
  octal(block, 136, 12, Math.max(0, Math.floor(entry.mtime)))
  block.write(entry.type, 156, 1, 'latin1')
  block.write(entry.linkname ?? '', 157, 100, 'latin1')
  block.write('ustar\u000000', 257, 8, 'latin1')
  // The checksum is computed with its own field as spaces.
  block.fill(0x20, 148, 156)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1')
  return block
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1')
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)])
}
