// Test helper: parse and return Marathon's 422 details, failing when the body is accepted.

import { expect } from 'chai';
import { AppValidationError, type ErrorDetail } from '../../src/index.js';

/** Runs `fn`, expects an AppValidationError, returns its details. */
export function invalid(fn: () => unknown): readonly ErrorDetail[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(AppValidationError);
    const err = e as AppValidationError;
    expect(err.status).to.equal(422);
    expect(err.body.message).to.equal('Object is not valid');
    return err.body.details;
  }
  expect.fail('expected a 422 AppValidationError, but the body was accepted');
}

/** The messages recorded at `path`. */
export function errorsAt(details: readonly ErrorDetail[], path: string): readonly string[] {
  return details.find((d) => d.path === path)?.errors ?? [];
}
