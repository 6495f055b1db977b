import type { DatePrecision } from './date-span.js';

/**
 * The kinds of happening any story is made of (states, companies, deals, disputes, projects,
 * incidents); DESIGN.md has their meanings. A story may declare more in its file.
 */
export const BASE_EVENT_TYPES = [
  'AGREEMENT',
  'FINANCING',
  'DELIVERY',
  'PRODUCTION_TECH_TRANSFER',
  'TEST_ACTIVATION',
  'NEGOTIATION_MEETING',
  'STATEMENT',
  'DENIAL',
  'WARNING_THREAT',
  'SANCTION',
  'APPROVAL_RIVAL_OFFER',
  'PROGRAM_EXCLUSION',
  'CONSTRUCTION',
  'LEGAL_REGULATORY',
  'INCIDENT',
  'CORPORATE',
] as const;
export type BaseEventType = (typeof BASE_EVENT_TYPES)[number];
/** A base type, or one the story declares in its file (upper case, such as PRODUCTION). */
export type EventType = BaseEventType | (string & {});

export function isBaseEventType(type: string): type is BaseEventType {
  return (BASE_EVENT_TYPES as readonly string[]).includes(type);
}

/** main: what the article is about; new: another recent happening; background: old news restated; planned: an expectation. */
export type EventRole = 'main' | 'new' | 'background' | 'planned';

/** An article as stored after cleaning. */
export interface Article {
  readonly id: string;
  readonly storyId: string;
  readonly url: string;
  readonly sourceId: string;
  readonly title: string;
  readonly outlet: string;
  readonly lang: string | undefined;
  /** ISO instant; undefined when the page gives no date (then `firstSeenAt` stands in). */
  readonly publishedAt: string | undefined;
  /**
   * The calendar day the page shows for its publication (YYYY-MM-DD, in the page's own time zone),
   * which the UTC instant may put on the day before or after: the day events are dated from.
   */
  readonly publishedDay?: string;
  readonly firstSeenAt: string;
  readonly fetchedAt: string;
  readonly text: string;
  readonly rawKey: string;
  readonly relevance: { readonly score: number; readonly reason: string };
  /** EXTRACTOR_VERSION of the cleaning and extraction that wrote it (extractor-version.ts). */
  readonly extractorVersion: number;
}

export interface StoryEvent {
  readonly id: string;
  readonly articleId: string;
  readonly type: EventType;
  readonly role: EventRole;
  readonly date: string | null;
  readonly precision: DatePrecision | null;
  readonly actors: readonly string[];
  readonly people: readonly string[];
  readonly systems: readonly string[];
  readonly amount: string | null;
  readonly evidence: string;
  readonly confidence: number;
  /** Where its date comes from: its own words, or (none there) the article's publication. */
  readonly datedBy?: 'text' | 'publication';
  /** EXTRACTOR_VERSION of the extraction that found it (extractor-version.ts). */
  readonly extractorVersion: number;
}

/** One article's report of a development, as listed under it in the digest. */
export interface DevelopmentSource {
  readonly articleId: string;
  readonly url: string;
  readonly outlet: string;
  readonly title: string;
  readonly publishedAt: string | undefined;
  /** When the article was first seen (in a feed, a listing, a backfill). */
  readonly seenAt?: string;
  /** Whether the development is what the article is about: then its title tells it in one line. */
  readonly aboutIt?: boolean;
  /** The earlier article this report copies or lightly rewrites (set when the digest is composed). */
  readonly duplicateOf?: { readonly articleId: string; readonly kind: 'copy' | 'rewrite' };
}

/** The same happening, however many outlets report it. */
export interface Development {
  readonly id: string;
  readonly storyId: string;
  readonly type: EventType;
  readonly date: string;
  readonly precision: DatePrecision;
  readonly actors: readonly string[];
  /** Who spoke or acted, when the reports name them. */
  readonly people: readonly string[];
  readonly systems: readonly string[];
  /** A sum of money the reports give ("USD 2.5 billion"), when they give one. */
  readonly amount?: string;
  /** Where its date comes from: a report's own words, or (none there) its publication day. */
  readonly datedBy?: 'text' | 'publication';
  readonly summary: string;
  /** Earliest publication (or first-seen) time among its articles: decides its digest week. */
  readonly firstReportedAt: string;
  readonly sources: readonly DevelopmentSource[];
  /** For a denial, the claim or act it answers (linked when the digest is composed). */
  readonly answers?: Pick<Development, 'id' | 'type' | 'date' | 'summary'> & {
    /** The answered development in one line. */
    readonly headline: string;
  };
}
