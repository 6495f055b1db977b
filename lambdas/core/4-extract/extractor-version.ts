/**
 * The version of what cleaning and event extraction produce, stored as `extractorVersion` on
 * every article and event they write, so an operator can tell which records a re-processing
 * (`{"reprocess": true}`) has not reached yet.
 *
 * Bump rule: add one whenever a change alters the output of cleaning (`lambdas/core/3-clean/`) or
 * of extraction (`events.ts`, `event-type.ts`, `temporal.ts`, `sentences.ts`, the story schema's
 * entity handling) for any page: when a golden fixture, an eval score or an extraction test's
 * expectation had to change, the version changes with it. Refactors with identical output keep it.
 */
export const EXTRACTOR_VERSION = 2;
