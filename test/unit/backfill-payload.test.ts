import { describe, expect, it } from 'vitest';
import { parseBackfillPayload } from '../../lambdas/core/use-cases/backfill.js';

describe('backfill payload', () => {
  it('accepts URLs or a re-processing request, with defaults', () => {
    expect(parseBackfillPayload({ urls: ['https://example.com/a'] })).toEqual({
      urls: ['https://example.com/a'],
      reprocess: false,
      dryRun: false,
      sourceId: 'backfill',
    });
    expect(parseBackfillPayload({ reprocess: true, dryRun: true })).toMatchObject({
      reprocess: true,
      dryRun: true,
    });
  });

  it('names the bad field and what was expected', () => {
    expect(() => parseBackfillPayload({ urls: 'https://example.com/a' })).toThrow(
      'backfill payload: urls: Invalid input: expected array, received string',
    );
    expect(() => parseBackfillPayload({ reprocess: 'yes' })).toThrow(
      /reprocess: Invalid input: expected boolean/,
    );
    expect(() => parseBackfillPayload({ url: [] })).toThrow(/Unrecognized key: "url"/);
    expect(() => parseBackfillPayload({})).toThrow(
      /give "urls" \(a non-empty list\) or "reprocess": true/,
    );
  });
});
