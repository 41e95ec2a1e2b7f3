import type { DetectedStack } from '../../api/builds'
import type { ProcfileEntry } from './procfile'
import type { SourceFiles } from './source-files'

/** What a stack's detector found, for ./build-plan.ts to turn into a BuildPlan. */
export interface Recipe {
  stack: Exclude<DetectedStack, 'dockerfile'>
  evidence: string[]
  dockerfile: string
  baseImages: string[]
  /** The web process's command, as the container runs it (with `$PORT`). */
  start: string
}

export interface DetectContext {
  files: SourceFiles
  /** Names at the top of the source (./source-files.ts's `list('')`). */
  top: ReadonlySet<string>
  /** The port the app listens on: ENV PORT and EXPOSE. */
  port: number
  /** The Procfile's types (empty: none); its `web` command is the start command. */
  procfile: readonly ProcfileEntry[]
}

/** A detector: null when the source is not its stack; throws a UserError when it is but cannot be built. */
export type Detector = (ctx: DetectContext) => Promise<Recipe | null>
