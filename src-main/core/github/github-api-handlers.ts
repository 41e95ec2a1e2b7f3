import type { GitHubSignInProgress, HandlersOf } from '../../api/contract'
import { UserError } from '../errors'
import { eventStream } from '../event-stream'
import type { GitHub } from './github'
import type { GitHubApps } from './github-apps'

/** The github methods of the API: sign-in, the account, the repo picker and apps from a repository. */
export function githubApi(github: GitHub, githubApps: GitHubApps): HandlersOf<'github'> {
  return {
    'github:sign-in': (_input, signal) =>
      eventStream<GitHubSignInProgress>(async (emit, abort) => {
        const user = await github.signIn({
          onCode: (code) =>
            emit({
              type: 'code',
              userCode: code.userCode,
              verificationUri: code.verificationUri,
              expiresAt: new Date(Date.now() + code.expiresIn * 1000).toISOString(),
            }),
          signal: abort,
        })
        emit({ type: 'signed-in', login: user.login })
      }, signal),

    'github:status': async () => {
      try {
        return await github.currentUser()
      } catch (error) {
        // Never signed in, or signed out on GitHub's side: either way the user signs in (again).
        const signedOut =
          error instanceof UserError && ['GITHUB_NOT_SIGNED_IN', 'GITHUB_TOKEN_INVALID'].includes(error.code)
        if (signedOut) return null
        throw error
      }
    },

    'github:sign-out': async () => {
      await github.signOut()
      return { revokeUrl: github.revokeUrl }
    },

    'github:repos': () => github.listAdminRepos(),

    'github:create-app': (input) => githubApps.createApp(input),
  }
}
