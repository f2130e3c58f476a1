import { expect } from 'vitest'
import { MigrationError } from '../../src/main/core/platform/migrations/errors'

/** Awaits a promise that must fail with a MigrationError of the given code. */
export async function expectMigrationError(promise: Promise<unknown>, code: string): Promise<MigrationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MigrationError)
  expect((error as MigrationError).code).toBe(code)
  return error as MigrationError
}
