/** The part of js-yaml (4.x, which ships no types) that compose-file.ts uses. */
declare module 'js-yaml' {
  export function load(text: string): unknown
}
