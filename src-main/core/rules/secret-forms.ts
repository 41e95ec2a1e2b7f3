/**
 * What the log filters on both sides agree on: the mask, which secrets are too short to mask, and the
 * forms a secret is looked for in. core/logs/secret-masker.ts derives the forms in TypeScript,
 * remote-scripts/lib/secret-mask.sh in awk with these values from remote-scripts/lib/rules.sh.
 */

/** Replaces each run of secret text: overlapping or touching matches become one mask. */
export const DEFAULT_MASK = '••••••'

/**
 * Secrets shorter than this, not counting surrounding whitespace, are ignored: masking every "on",
 * "42" or run of spaces would shred the log and hide little.
 */
export const MIN_SECRET_LENGTH = 4

/**
 * Lines of a multi-line secret (trimmed) shorter than this are not masked on their own: a PEM key's
 * last line may be "==" and a JSON key's "}", which occur everywhere. The rest of the value stays hidden.
 */
export const MIN_LINE_LENGTH = 4

/** The byte alignments at which a value's base64 form is looked for (its offset in an encoded blob). */
export const BASE64_ALIGNMENTS = [0, 1, 2] as const

/** The ASCII characters encodeURIComponent leaves as they are (a bracket expression's body). */
export const URL_COMPONENT_SAFE = "A-Za-z0-9_.!~*'()-"

/** The ASCII characters form encoding (URLSearchParams) leaves as they are; a space becomes `+`. */
export const FORM_SAFE = 'A-Za-z0-9*._-'
