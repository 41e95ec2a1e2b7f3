/**
 * How an app's image is built: its own Dockerfile, or one Helvetia generates from what the source holds
 * (Node, Python, Go, Ruby, PHP, a static site); and which builder runs it. Types, plain data and input
 * schemas only.
 */
import { z } from 'zod'
import { call, checkedByCore, text } from './spec'

/**
 * `isolated`: a throwaway builder container (buildah) with CPU, memory and disk caps and no access to
 * the host's Docker socket or files; `classic`: the host engine's `docker build`. `auto` (the default):
 * isolated where the server has a builder, classic where it has none; the deployment records which ran.
 */
export type BuilderChoice = 'auto' | 'isolated' | 'classic'
export const BUILDER_CHOICES: readonly BuilderChoice[] = ['auto', 'isolated', 'classic']

/**
 * A server's isolated builder (`helvetia server builder`), as the server's ~/.PREFIX/builder.conf says:
 * `image` null when it has none (builds there are classic). Sizes as `5g`, `512m`.
 */
export interface BuilderSettings {
  server: string
  image: string | null
  /** buildah's version in the image. */
  version: string | null
  /** containers/storage driver: `overlay` (kernel overlayfs in the builder's user namespace) or `vfs`. */
  driver: string | null
  /** The cache volume's cap: pruned, least recently used first, to this before and after each build. */
  cache: string | null
  /** What a build may write (cache volume and scratch together); a build that passes it fails. */
  disk: string | null
  cpus: number | null
  /** The builder container's memory (an app's build memory, when set, takes its place). */
  memory: string | null
  changed: boolean
}

export type DetectedStack = 'dockerfile' | 'node' | 'python' | 'go' | 'ruby' | 'php' | 'static'

/** What a build of the app's source will do, shown before the first build. */
export interface BuildPlan {
  stack: DetectedStack
  /** The files that decided it, and why (`package.json with a start script`, `.nvmrc: 20`). */
  evidence: string[]
  /** The Dockerfile the build uses: the source's own, or the generated one. */
  dockerfile: string
  /** True when Helvetia wrote it (no Dockerfile in the source). */
  generated: boolean
  /** The pinned base image(s) of a generated Dockerfile. */
  baseImages: string[]
  /** The web process's command. */
  start: string | null
  /** Process types read from a Procfile (or the generated defaults). */
  processes: { name: string; command: string }[]
  port: number | null
}

export const buildsContract = {
  /**
   * The build plan of an app (`app`) or of a folder before an app exists (`path`; the create form shows
   * it); NOTHING_TO_BUILD says what to add when no stack matches. `eject`: the generated Dockerfile is
   * written into the folder (`ejected`: its path), as the app's own from then on.
   */
  'builds:plan': call(
    z.strictObject({ app: text.optional(), path: text.optional(), eject: z.boolean().optional() }),
  ).returns<BuildPlan & { ejected: string | null }>(),
  /**
   * A server's isolated builder: `show` (the default) reads it; `set` writes it (a setting left out keeps
   * its value, else its default; the image is pulled when missing and must run buildah); `off` removes
   * it and its cache volume.
   */
  'builds:builder': call(
    z.strictObject({
      server: text,
      action: checkedByCore<'show' | 'set' | 'off'>().optional(),
      image: text.optional(),
      driver: checkedByCore<'overlay' | 'vfs'>().optional(),
      cache: text.optional(),
      disk: text.optional(),
      cpus: z.number().optional(),
      memory: text.optional(),
    }),
  ).returns<BuilderSettings>(),
} as const
