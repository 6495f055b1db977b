import type { EventType } from '../model/records.js';

/** A strand's latest development as of a day, as the store keeps it per event type. */
export interface StrandLatest {
  readonly developmentId: string;
  readonly date: string;
  /** The development in one line: the title of an article about it, else its sentence. */
  readonly headline: string;
  /** The last sum of money a development of the strand named, as of the same day. */
  readonly amount?: string;
}

/** A line of the story-status box: where one strand of the story stands. */
export interface StatusRow {
  readonly label: string;
  readonly latestDate: string;
  readonly latestSummary: string;
  /** The last sum of money the strand named. */
  readonly amount?: string;
  /** The strand moved this week. */
  readonly changed: boolean;
}

/** The strands of a story, each moved by one event type; the same for every story. */
export const STRANDS: readonly { readonly label: string; readonly type: EventType }[] = [
  { label: 'Agreements', type: 'AGREEMENT' },
  { label: 'Money', type: 'FINANCING' },
  { label: 'Deliveries', type: 'DELIVERY' },
  { label: 'Tests and activation', type: 'TEST_ACTIVATION' },
  { label: 'Production and technology', type: 'PRODUCTION_TECH_TRANSFER' },
  { label: 'Sanctions in force', type: 'SANCTION' },
  { label: 'Programme exclusions', type: 'PROGRAM_EXCLUSION' },
  { label: 'Pending threats', type: 'WARNING_THREAT' },
  { label: 'Rival offers', type: 'APPROVAL_RIVAL_OFFER' },
];

/**
 * Where the story stands: per strand, its latest development as of the week's end (read from
 * the store's per-type index, so the cost does not grow with the story's history) and whether
 * this week moved it. Strands the story never had are left out.
 */
export function storyStatus(
  latest: ReadonlyMap<EventType, StrandLatest>,
  typesThisWeek: ReadonlySet<EventType>,
): StatusRow[] {
  return STRANDS.flatMap(({ label, type }) => {
    const strand = latest.get(type);
    if (!strand) return [];
    return [
      {
        label,
        latestDate: strand.date,
        latestSummary: strand.headline,
        amount: strand.amount,
        changed: typesThisWeek.has(type),
      },
    ];
  });
}
