import assert from 'node:assert/strict'
import { UserError } from '../../src-main/core/errors'

/** For `assert.rejects`/`assert.throws`: a UserError with this code, then any further `check`. */
export const failsWith =
  (code: string, check: (error: UserError) => void = () => {}) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof UserError, String(error))
    assert.equal(error.code, code, error.message)
    check(error)
    return true
  }
