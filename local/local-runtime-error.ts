import { StoryDigestError } from '../lambdas/core/model/errors.js';

/** A local AWS-compatible server (or its prerequisite, such as Java) that could not start. */
export class LocalRuntimeError extends StoryDigestError {
  override readonly name = 'LocalRuntimeError';
}
