/** The GitHub connection: sign-in, the repo picker and apps created from a repository. Types, plain data and input schemas only. */
import { z } from 'zod'
import { createAppFields, type AppSummary } from './apps'
import type { PushConnection } from './push'
import { call, noInput, stream, text } from './spec'

/** The signed-in GitHub account. */
export interface GitHubAccount {
  login: string
  name: string | null
}

/** A repository the account administers: one Helvetia can add a webhook and a deploy key to. */
export interface GitHubRepoSummary {
  /** `owner/repo`. */
  fullName: string
  owner: string
  name: string
  private: boolean
  defaultBranch: string
  /** `git@github.com:owner/repo.git`: what a server clones with the deploy key. */
  sshUrl: string
  htmlUrl: string
  pushedAt: string | null
}

/** What a sign-in reports: the code to enter on GitHub, then the account once it was entered. */
export type GitHubSignInProgress =
  | { type: 'code'; userCode: string; verificationUri: string; expiresAt: string }
  | { type: 'signed-in'; login: string; name: string | null; scopes: string[] }

/** An app from a repository picked in the list: its deploy key and webhook are made through GitHub's API. */
const createFromGitHubInput = z.strictObject({
  ...createAppFields,
  /** `owner/repo`. */
  repo: text,
  /** Default: the repository's default branch. */
  branch: text.optional(),
  /** The relay to register the webhook with (default: the app's server's relay, or the only one known). */
  relay: text.optional(),
})
export type CreateFromGitHubInput = z.infer<typeof createFromGitHubInput>

export interface CreatedFromGitHub {
  app: AppSummary
  /** The app's webhook, when a relay was known (null: connect one later). */
  webhook: PushConnection | null
}

/** `git@github.com:owner/repo.git`, the form Helvetia creates GitHub apps with; `[owner, repo]`. */
export const GITHUB_SSH_URL =
  /^git@github\.com:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?$/

export const githubContract = {
  /** Device-flow sign-in: the code to show, then the account once the user entered it on GitHub. */
  'github:sign-in': stream(noInput).yields<GitHubSignInProgress>(),
  /** The signed-in account, or null (never signed in, or GitHub no longer accepts the token). */
  'github:status': call(noInput).returns<GitHubAccount | null>(),
  /**
   * Forgets the token (`signedOut`: there was one); `revokeUrl` is where the user revokes Helvetia's
   * access on GitHub too.
   */
  'github:sign-out': call(noInput).returns<{ revokeUrl: string; signedOut: boolean }>(),
  /** Repositories the account administers, last pushed first. */
  'github:repos': call(noInput).returns<GitHubRepoSummary[]>(),
  'github:create-app': call(createFromGitHubInput).returns<CreatedFromGitHub>(),
} as const
