import { z } from 'zod';
import { StoryFileError } from './errors.js';
import { BASE_EVENT_TYPES, isBaseEventType } from './records.js';
import { describeIssues } from './validation.js';

const nonEmpty = z.string().trim().min(1);
const term = nonEmpty.max(200);

const sourceId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');
const httpUrl = z.url({ protocol: /^https?$/ });
const sourceBase = { id: sourceId, outlet: nonEmpty.optional() };

/** A source is a feed, a sitemap (index or Google-News), an HTML listing page or a search feed. */
const sourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...sourceBase, type: z.enum(['rss', 'atom', 'rdf']), url: httpUrl }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('sitemap'),
    url: httpUrl,
    /** For a sitemap index: how many child sitemaps to read, most recently modified first. */
    maxSitemaps: z.number().int().min(1).max(100).default(5),
  }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('html'),
    url: httpUrl,
    /** CSS selector of the article links on the listing page. */
    linkSelector: nonEmpty,
    /** CSS selector of the link to the next listing page, if the listing is paginated. */
    nextSelector: nonEmpty.optional(),
    maxPages: z.number().int().min(1).max(20).default(3),
  }),
  z.strictObject({
    ...sourceBase,
    type: z.literal('search'),
    /** An RSS search URL with `{query}` where the URL-encoded query goes. */
    urlTemplate: z.string().includes('{query}', { message: 'must contain {query}' }),
    query: nonEmpty,
  }),
]);

const namedEntitySchema = z.strictObject({
  name: nonEmpty,
  aliases: z.array(term).default([]),
});

const personSchema = namedEntitySchema.extend({
  actor: nonEmpty,
  role: nonEmpty.optional(),
});

export const storySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    title: nonEmpty,
    /** Shown in the crawler's User-Agent so site owners can reach the operator. */
    contactUrl: z.url({ protocol: /^https?$/ }),
    timeZone: nonEmpty.refine(isTimeZone, 'an IANA time zone such as Europe/Istanbul'),
    sources: z.array(sourceSchema).min(1),
    relevance: z.strictObject({
      /** Every group must have at least one of its terms in the article. */
      require: z.array(z.array(term).min(1)).min(1),
      /** An article whose title or lead matches one of these is about something else. */
      exclude: z.array(term).default([]),
    }),
    entities: z.strictObject({
      actors: z.array(namedEntitySchema).min(1),
      people: z.array(personSchema).default([]),
      systems: z.array(namedEntitySchema).min(1),
    }),
    events: z
      .strictObject({
        /**
         * Kinds of happening this story needs that the base types (DESIGN.md) miss, each with
         * its digest label, its weight (1, a statement, to 10, a delivery) and its cue words per
         * language code, which match the start of a word as the base types' cues do.
         */
        types: z
          .array(
            z.strictObject({
              name: z
                .string()
                .regex(/^[A-Z][A-Z0-9_]*$/, 'upper-case letters, digits and underscores')
                .refine((name) => !isBaseEventType(name), 'already a base event type'),
              label: nonEmpty,
              weight: z.number().int().min(1).max(10).default(6),
              cues: z.record(
                z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code'),
                z.array(term).min(1),
              ),
            }),
          )
          .default([]),
        /**
         * The story's own words a base type needs beside its general cues: the rival systems an
         * APPROVAL_RIVAL_OFFER approves or offers, the programmes a PROGRAM_EXCLUSION removes from.
         */
        cues: z.partialRecord(z.enum(BASE_EVENT_TYPES), z.array(term).min(1)).default({}),
      })
      .prefault({}),
    fetch: z
      .strictObject({
        /** Loopback and private addresses are refused unless a story (the sample, tests) opts in. */
        allowPrivateNetworks: z.boolean().default(false),
        timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
        maxBytes: z.number().int().min(10_000).max(50_000_000).default(5_000_000),
        /** Minimum time between two requests to one host (robots.txt Crawl-delay may raise it). */
        hostDelayMs: z.number().int().min(0).max(60_000).default(1_000),
        /** Requests in flight at once per process, over all hosts. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Retries of a transient failure within one attempt; SQS redelivers after that. */
        maxRetries: z.number().int().min(0).max(5).default(2),
        retryBaseMs: z.number().int().min(1).max(60_000).default(1_000),
        /**
         * Time one page may take to be cleaned and read for events. Past it the page is left
         * archived, marked not cleanable and counted in the digest's coverage report, so that
         * the other pages of its batch finish within the function's timeout.
         */
        processBudgetMs: z.number().int().min(1).max(60_000).default(10_000),
      })
      .prefault({}),
    digest: z.strictObject({
      /** EventBridge Scheduler expression, evaluated in `timeZone`. */
      schedule: z.string().regex(/^cron\(.+\)$/, 'a cron(...) expression'),
      sender: z.email(),
      /** Handlebars template; `{{week}}` and `{{count}}` are available. */
      subject: nonEmpty,
      /** Events older than this many days before their article are background, not news. */
      backgroundDays: z.number().int().min(1).max(365).default(10),
      /** The sender's postal address, printed in every digest's footer (CAN-SPAM, GDPR). */
      postalAddress: nonEmpty,
      /** Whether a week with nothing new sends a short note with the coverage report. */
      sendEmptyWeek: z.boolean().default(true),
    }),
    alarms: z
      .strictObject({
        /**
         * Days without a new on-story article before the operator is alerted. At most 7: the
         * longest a CloudWatch alarm looks back.
         */
        noNewArticleDays: z.number().int().min(1).max(7).default(3),
      })
      .prefault({}),
  })
  .superRefine((story, ctx) => {
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
  });

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
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
