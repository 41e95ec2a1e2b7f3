/**
 * A git app's deploy request carries a template (DEPLOYMENT_LAYOUT.pushTemplate) from which the server
 * deploys a pushed commit by itself (remote-scripts/deploy-push.sh): the same request with these
 * placeholders filled in, and the app's env file of the moment.
 */
export const PUSH_TEMPLATE_PLACEHOLDERS = {
  commit: '{{commit}}',
  id: '{{id}}',
  trigger: '{{trigger}}',
  buildKey: '{{build_key}}',
} as const

/** The trigger recorded for a deploy the server started for a push. */
export const PUSH_TRIGGER = 'push'
