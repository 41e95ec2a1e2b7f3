import type { GitHubSignInProgress, HandlersOf } from '../../api/contract'
import { UserError } from '../errors'
import { boundedStream } from '../bounded-stream'
import type { GitHub } from './github'
import type { GitHubApps } from './github-apps'

/** The github methods of the API: sign-in, the account, the repo picker and apps from a repository. */
export function githubApi(github: GitHub, githubApps: GitHubApps): HandlersOf<'github'> {
  return {
    'github:sign-in': (_input, signal) =>
      // Two items at most (the code, then the sign-in): bounded by the device flow itself, so there
      // is nothing to pause.
      boundedStream<GitHubSignInProgress>(async (sink) => {
        const user = await github.signIn({
          onCode: (code) =>
            sink.push({
              type: 'code',
              userCode: code.userCode,
              verificationUri: code.verificationUri,
              expiresAt: new Date(Date.now() + code.expiresIn * 1000).toISOString(),
            }),
          signal: sink.signal,
        })
        sink.push({ type: 'signed-in', login: user.login, name: user.name, scopes: user.scopes })
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

    'github:sign-out': async () => ({ revokeUrl: github.revokeUrl, signedOut: await github.signOut() }),

    'github:repos': () => github.listAdminRepos(),

    'github:create-app': (input) => githubApps.createApp(input),
  }
}
