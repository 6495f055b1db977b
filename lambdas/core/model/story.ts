import { StoryFileError } from './errors.js';
import { BASE_EVENT_TYPES, isBaseEventType } from './records.js';
import { describeIssues } from './validation.js';
import * as z from './zod.js';

const nonEmpty = z.string().check(z.trim(), z.minLength(1));
const term = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

const sourceId = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'));
const httpUrl = z.url({ protocol: /^https?$/ });
const sourceBase = { id: sourceId, outlet: z.optional(nonEmpty) };

/** A source is a feed, a sitemap (index or Google-News), an HTML listing page or a search feed. */
const sourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...sourceBase, type: z.enum(['rss', 'atom', 'rdf']), url: httpUrl }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('sitemap'),
    url: httpUrl,
    /** For a sitemap index: how many child sitemaps to read, most recently modified first. */
    maxSitemaps: z._default(z.int().check(z.minimum(1), z.maximum(100)), 5),
  }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('html'),
    url: httpUrl,
    /** CSS selector of the article links on the listing page. */
    linkSelector: nonEmpty,
    /** CSS selector of the link to the next listing page, if the listing is paginated. */
    nextSelector: z.optional(nonEmpty),
    maxPages: z._default(z.int().check(z.minimum(1), z.maximum(20)), 3),
  }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('search'),
    /** An RSS search URL with `{query}` where the URL-encoded query goes. */
    urlTemplate: z.string().check(z.includes('{query}', { message: 'must contain {query}' })),
    query: nonEmpty,
  }),
]);

const namedEntitySchema = z.strictObject({
  name: nonEmpty,
  aliases: z._default(z.array(term), []),
});

const personSchema = z.extend(namedEntitySchema, {
  actor: nonEmpty,
  role: z.optional(nonEmpty),
});

export const storySchema = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes')),
    title: nonEmpty,
    /** Shown in the crawler's User-Agent so site owners can reach the operator. */
    contactUrl: z.url({ protocol: /^https?$/ }),
    timeZone: z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.refine(isTimeZone, 'an IANA time zone such as Europe/Istanbul'),
      ),
    sources: z.array(sourceSchema).check(z.minLength(1)),
    relevance: z.strictObject({
      /** Every group must have at least one of its terms in the article. */
      require: z.array(z.array(term).check(z.minLength(1))).check(z.minLength(1)),
      /** An article whose title or lead matches one of these is about something else. */
      exclude: z._default(z.array(term), []),
    }),
    entities: z.strictObject({
      actors: z.array(namedEntitySchema).check(z.minLength(1)),
      people: z._default(z.array(personSchema), []),
      systems: z.array(namedEntitySchema).check(z.minLength(1)),
    }),
    events: z.prefault(
      z.strictObject({
        /**
         * Kinds of happening this story needs that the base types (DESIGN.md) miss, each with
         * its digest label, its weight (1, a statement, to 10, a delivery) and its cue words per
         * language code, which match the start of a word as the base types' cues do.
         */
        types: z._default(
          z.array(
            z.strictObject({
              name: z.string().check(
                z.regex(/^[A-Z][A-Z0-9_]*$/, 'upper-case letters, digits and underscores'),
                z.refine((name) => !isBaseEventType(name), 'already a base event type'),
              ),
              label: nonEmpty,
              weight: z._default(z.int().check(z.minimum(1), z.maximum(10)), 6),
              cues: z.record(
                z.string().check(z.regex(/^[a-z]{2}$/, 'an ISO 639-1 code')),
                z.array(term).check(z.minLength(1)),
              ),
            }),
          ),
          [],
        ),
        /**
         * The story's own words a base type needs beside its general cues: the rival systems an
         * APPROVAL_RIVAL_OFFER approves or offers, the programmes a PROGRAM_EXCLUSION removes from.
         */
        cues: z._default(
          z.partialRecord(z.enum(BASE_EVENT_TYPES), z.array(term).check(z.minLength(1))),
          {},
        ),
      }),
      {},
    ),
    fetch: z.prefault(
      z.strictObject({
        /** Loopback and private addresses are refused unless a story (the sample, tests) opts in. */
        allowPrivateNetworks: z._default(z.boolean(), false),
        timeoutMs: z._default(z.int().check(z.minimum(1000), z.maximum(120_000)), 20_000),
        maxBytes: z._default(z.int().check(z.minimum(10_000), z.maximum(50_000_000)), 5_000_000),
        /** Minimum time between two requests to one host (robots.txt Crawl-delay may raise it). */
        hostDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(60_000)), 1_000),
        /** Requests in flight at once per process, over all hosts. */
        concurrency: z._default(z.int().check(z.minimum(1), z.maximum(64)), 4),
        /** Retries of a transient failure within one attempt; SQS redelivers after that. */
        maxRetries: z._default(z.int().check(z.minimum(0), z.maximum(5)), 2),
        retryBaseMs: z._default(z.int().check(z.minimum(1), z.maximum(60_000)), 1_000),
        /**
         * Time one page may take to be cleaned and read for events. Past it the page is left
         * archived, marked not cleanable and counted in the digest's coverage report, so that
         * the other pages of its batch finish within the function's timeout.
         */
        processBudgetMs: z._default(z.int().check(z.minimum(1), z.maximum(60_000)), 10_000),
      }),
      {},
    ),
    digest: z.strictObject({
      /** EventBridge Scheduler expression, evaluated in `timeZone`. */
      schedule: z.string().check(z.regex(/^cron\(.+\)$/, 'a cron(...) expression')),
      sender: z.email(),
      /** Handlebars template; `{{week}}` and `{{count}}` are available. */
      subject: nonEmpty,
      /** Events older than this many days before their article are background, not news. */
      backgroundDays: z._default(z.int().check(z.minimum(1), z.maximum(365)), 10),
      /** The sender's postal address, printed in every digest's footer (CAN-SPAM, GDPR). */
      postalAddress: nonEmpty,
      /** Whether a week with nothing new sends a short note with the coverage report. */
      sendEmptyWeek: z._default(z.boolean(), true),
    }),
    alarms: z.prefault(
      z.strictObject({
        /**
         * Days without a new on-story article before the operator is alerted. At most 7: the
         * longest a CloudWatch alarm looks back.
         */
        noNewArticleDays: z._default(z.int().check(z.minimum(1), z.maximum(7)), 3),
      }),
      {},
    ),
  })
  .check(
    z.superRefine((story, ctx) => {
      const actorNames = new Set(story.entities.actors.map((actor) => actor.name));
      story.entities.people.forEach((person, index) => {
        if (!actorNames.has(person.actor)) {
          ctx.addIssue({
            code: 'custom',
            path: ['entities', 'people', index, 'actor'],
            message: `"${person.actor}" is not one of entities.actors`,
          });
        }
      });
      const seen = new Set<string>();
      story.sources.forEach((source, index) => {
        if (seen.has(source.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sources', index, 'id'],
            message: `duplicate source id "${source.id}"`,
          });
        }
        seen.add(source.id);
      });
    }),
  );

export type Story = z.infer<typeof storySchema>;
export type Source = Story['sources'][number];

/** The first URL a source is read from. */
export function sourceUrl(source: Source): string {
  return source.type === 'search'
    ? source.urlTemplate.replace('{query}', encodeURIComponent(source.query))
    : source.url;
}

/** Parses and validates a story file's text; errors name the file and the offending field. */
export function parseStory(text: string, file: string): Story {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StoryFileError(file, `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const result = storySchema.safeParse(json);
  if (!result.success) {
    throw new StoryFileError(file, describeIssues(result.error), { cause: result.error });
  }
  return result.data;
}

function isTimeZone(zone: string): boolean {
  // The canonical names first: constructing a formatter loads the time zone data (about 30 ms of
  // a cold start in a function that never formats a date); aliases still pass the full check.
  if (Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
