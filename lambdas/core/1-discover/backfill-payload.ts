import type { Story } from '../model/story.js';
import { parsePayload } from '../model/validation.js';
import * as z from '../model/zod.js';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http(s) URL such as https://example.com/sitemap.xml',
});
const day = z.iso.date({ error: 'expected a date YYYY-MM-DD' });

const payloadSchema = z.strictObject({
  /** Article URLs to fetch (each once: URLs already known are skipped). */
  urls: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(10_000))),
  /** A sitemap (or sitemap index) to walk for article URLs. */
  sitemap: z.optional(httpUrl),
  /** An RSS, Atom or RDF feed to walk for article URLs. */
  feed: z.optional(httpUrl),
  /** Source ids of the story: their documents are walked (with `reprocess`: only their articles). */
  sources: z.optional(z.array(z.string()).check(z.minLength(1))),
  /** First day of the range, in the story's time zone, included. */
  from: z.optional(day),
  /** Last day of the range, in the story's time zone, included. */
  to: z.optional(day),
  /** For a sitemap index: at most this many children, most recently modified first. */
  maxSitemaps: z._default(z.int().check(z.minimum(1), z.maximum(1_000)), 50),
  /** Re-run cleaning and extraction over the archived responses, without the network. */
  reprocess: z._default(z.boolean(), false),
  /**
   * The fetch DLQ: `list` what it holds, each message with why it failed; `replay` sends every
   * message back to the fetch queue. Nothing else goes with it.
   */
  dlq: z.optional(z.enum(['list', 'replay'])),
  /** Report what would happen; write and queue nothing. */
  dryRun: z._default(z.boolean(), false),
  /** The source that `urls`, `sitemap` and `feed` entries are attributed to. */
  sourceId: z._default(
    z
      .string()
      .check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')),
    'backfill',
  ),
});

export type BackfillPayload = z.infer<typeof payloadSchema>;

const NETWORK_TARGETS = ['urls', 'sitemap', 'feed'] as const;

/** The payload schema for one story: `sources` must name that story's sources. */
export function backfillPayloadSchema(story: Pick<Story, 'sources'>) {
  const ids = story.sources.map((source) => source.id);
  return payloadSchema.check(
    z.superRefine((payload, ctx) => {
      const hasTarget =
        NETWORK_TARGETS.some((field) => payload[field] !== undefined) ||
        payload.sources !== undefined ||
        payload.reprocess;
      if (!hasTarget && !payload.dlq) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'give "urls" (a non-empty list), "sitemap", "feed", "sources", "reprocess": true or "dlq": "list" | "replay"',
        });
      }
      if (payload.dlq) {
        for (const field of [
          ...NETWORK_TARGETS,
          'sources',
          'from',
          'to',
          'reprocess',
          'dryRun',
        ] as const) {
          const given = payload[field];
          if (given !== undefined && given !== false) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: 'not with "dlq" (listing or replaying the DLQ takes no other field)',
            });
          }
        }
      }
      if (payload.reprocess) {
        for (const field of NETWORK_TARGETS) {
          if (payload[field] !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message:
                'not with "reprocess": true (re-processing reads the archive, never the network; "sources", "from" and "to" select what it re-reads)',
            });
          }
        }
      }
      if (payload.from && payload.to && payload.to < payload.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `expected a day on or after "from" (${payload.from}), got ${payload.to}`,
        });
      }
      payload.sources?.forEach((id, index) => {
        if (!ids.includes(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sources', index],
            message: `expected one of the story's source ids (${ids.join(', ')}), got "${id}"`,
          });
        }
      });
    }),
  );
}

/** Validates a manual payload; the error names each bad field and what was expected. */
export function parseBackfillPayload(
  payload: unknown,
  story: Pick<Story, 'sources'>,
): BackfillPayload {
  return parsePayload(backfillPayloadSchema(story), payload, 'backfill payload');
}
