#!/usr/bin/env node
// The `helvetia` command. It runs the TypeScript sources through tsx, so the CLI is always the code
// in this checkout, with no build step between an edit and a run.
import { register } from 'tsx/esm/api'

register()
await import('./main.ts')
