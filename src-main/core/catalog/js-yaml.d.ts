/** The part of js-yaml (4.x, bundled; it ships no types of its own) that compose files and the catalogue use. */
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown
  export function dump(
    value: unknown,
    options?: { lineWidth?: number; noRefs?: boolean; sortKeys?: boolean },
  ): string
}
