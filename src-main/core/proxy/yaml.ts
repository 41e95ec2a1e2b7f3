/** Plain data that `toYaml` writes: nested maps of scalars. */
export type YamlMap = { [key: string]: string | number | boolean | YamlMap }

const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/

/**
 * Block-style YAML for configuration files. Strings are always double-quoted (as JSON, which YAML
 * reads the same way), so no value can turn into YAML syntax.
 */
export function toYaml(map: YamlMap, indent = ''): string {
  return Object.entries(map)
    .map(([key, value]) => {
      const name = PLAIN_KEY.test(key) ? key : JSON.stringify(key)
      if (typeof value !== 'object') return `${indent}${name}: ${JSON.stringify(value)}\n`
      if (Object.keys(value).length === 0) return `${indent}${name}: {}\n`
      return `${indent}${name}:\n${toYaml(value, `${indent}  `)}`
    })
    .join('')
}
