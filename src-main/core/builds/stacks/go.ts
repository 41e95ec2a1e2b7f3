import { UserError } from '../../errors'
import { BASE_IMAGES, TOOL_IMAGES } from '../base-images'
import { cmd, copyList, header, lines, port } from '../dockerfile-text'
import type { Detector } from '../recipe'
import { pickImage } from '../versions'

/**
 * Go: go.mod, its `go` (or `toolchain`) version as the least Go image that builds it, the main package
 * at the top or the one folder under cmd/. A static binary (CGO off) in a second stage on Debian slim,
 * run as a non-root user; the Procfile's web line, when present, starts it.
 */

const MODULE = /^module\s+(\S+)/m
const GO_VERSION = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m
const TOOLCHAIN = /^toolchain\s+go(\d+\.\d+(?:\.\d+)?)/m

export const detectGo: Detector = async (ctx) => {
  if (!ctx.top.has('go.mod')) return null
  const mod = (await ctx.files.read('go.mod')) ?? ''
  const wanted = TOOLCHAIN.exec(mod) ?? GO_VERSION.exec(mod)
  const from = TOOLCHAIN.test(mod) ? 'go.mod toolchain' : 'go.mod go'
  const picked = pickImage(BASE_IMAGES.go, wanted ? { text: `>=${wanted[1]}`, from } : null)
  if ('error' in picked) {
    throw new UserError(
      'NO_BASE_IMAGE',
      `${picked.error}: no Go image Helvetia pins fits.`,
      'Lower the go line of go.mod to one of those versions, or add a Dockerfile of your own.',
    )
  }
  const name =
    (MODULE.exec(mod)?.[1] ?? 'app')
      .split('/')
      .filter((p) => !/^v\d+$/.test(p))
      .at(-1) ?? 'app'
  const binary = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) ? name : 'app'
  let pkg = '.'
  let pkgEvidence = 'the main package at the top'
  if (!ctx.top.has('main.go')) {
    const commands = (await ctx.files.list('cmd')).filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1))
    const one = commands.length === 1 ? commands[0] : commands.find((c) => c === binary)
    if (one !== undefined && /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(one)) {
      pkg = `./cmd/${one}`
      pkgEvidence = `the main package in cmd/${one}`
    } else if (commands.length > 1) {
      throw new UserError(
        'NO_START_COMMAND',
        `go.mod in ${ctx.files.where} has several commands under cmd/ (${commands.join(', ')}) and no main.go at the top.`,
        'Add a Dockerfile that builds the one to run, or a main.go at the top.',
      )
    }
  }
  const web = ctx.procfile.find((p) => p.name === 'web')
  const start = web?.command ?? `bin/${binary}`
  const sum = ctx.top.has('go.sum') ? ['go.sum'] : []
  const dockerfile = lines(
    header('a Go app'),
    [
      `FROM ${picked.image.image} AS build`,
      'WORKDIR /src',
      '# Modules first: this layer is reused until go.mod or go.sum changes.',
      copyList(['go.mod', ...sum], './'),
      'RUN go mod download',
      'COPY . .',
      `RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/${binary} ${pkg}`,
    ],
    '',
    [
      `FROM ${TOOL_IMAGES.goRuntime}`,
      'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'RUN useradd --system --uid 10001 --home-dir /app app',
      'WORKDIR /app',
      `COPY --from=build /out/${binary} /app/bin/${binary}`,
      'USER app',
    ],
    port(ctx.port),
    cmd(start),
  )
  return {
    stack: 'go',
    evidence: [
      `go.mod (module ${MODULE.exec(mod)?.[1] ?? '?'})`,
      picked.evidence,
      pkgEvidence,
      web ? `Procfile: web: ${web.command}` : `runs bin/${binary}`,
    ],
    dockerfile,
    baseImages: [picked.image.image, TOOL_IMAGES.goRuntime],
    start,
  }
}
