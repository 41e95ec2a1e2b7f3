/**
 * The official base images a generated Dockerfile builds on, each pinned to an exact tag (a minor
 * release on a named Debian, or Alpine for the static server): one table, so an update of the pins is
 * one change here, and a plan names what it pins. `version` is what a version rule of the source
 * (`engines.node`, `.python-version`, `go 1.22`, …) is checked against; newest first.
 */
export const BASE_IMAGES = {
  node: [
    { version: '22.11.0', image: 'node:22.11-bookworm-slim' },
    { version: '20.18.1', image: 'node:20.18-bookworm-slim' },
    { version: '18.20.5', image: 'node:18.20-bookworm-slim' },
  ],
  python: [
    { version: '3.13.1', image: 'python:3.13-slim-bookworm' },
    { version: '3.12.8', image: 'python:3.12-slim-bookworm' },
    { version: '3.11.11', image: 'python:3.11-slim-bookworm' },
  ],
  go: [
    { version: '1.23.4', image: 'golang:1.23-bookworm' },
    { version: '1.22.10', image: 'golang:1.22-bookworm' },
  ],
  ruby: [
    { version: '3.3.6', image: 'ruby:3.3-slim-bookworm' },
    { version: '3.2.6', image: 'ruby:3.2-slim-bookworm' },
  ],
  php: [
    { version: '8.3.14', image: 'php:8.3-apache-bookworm' },
    { version: '8.2.26', image: 'php:8.2-apache-bookworm' },
  ],
} as const

/** Images that are not a language's runtime: where a Go binary runs, Composer, the static file server. */
export const TOOL_IMAGES = {
  /** A Go binary's runtime: Debian slim (a shell for `$PORT`, CA certificates installable). */
  goRuntime: 'debian:12.8-slim',
  composer: 'composer:2.8',
  /** Serves a static site (`caddy file-server`), as a non-root user. */
  staticServer: 'caddy:2.8-alpine',
} as const

/** The tools a generated Dockerfile installs with pip, pinned like the images. */
export const PINNED_TOOLS = { poetry: '1.8.4', uv: '0.5.11', gunicorn: '23.0.0' } as const

export type Language = keyof typeof BASE_IMAGES
export type BaseImage = (typeof BASE_IMAGES)[Language][number]
