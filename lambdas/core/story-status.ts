import { headlineOf } from './developments.js';
import type { Development, EventType } from './model.js';

/** A line of the story-status box: where one strand of the story stands. */
export interface StatusRow {
  readonly label: string;
  /** How many developments of this strand the story has had. */
  readonly count: number;
  readonly latestDate: string;
  readonly latestSummary: string;
  /** The last sum of money the strand named. */
  readonly amount?: string;
  /** The strand moved this week. */
  readonly changed: boolean;
}

/** The strands of a story, by the event types that move them; the same for every story. */
const STRANDS: readonly { readonly label: string; readonly types: readonly EventType[] }[] = [
  { label: 'Agreements', types: ['AGREEMENT'] },
  { label: 'Money', types: ['FINANCING'] },
  { label: 'Deliveries', types: ['DELIVERY'] },
  { label: 'Tests and activation', types: ['TEST_ACTIVATION'] },
  { label: 'Production and technology', types: ['PRODUCTION_TECH_TRANSFER'] },
  { label: 'Sanctions in force', types: ['SANCTION'] },
  { label: 'Programme exclusions', types: ['PROGRAM_EXCLUSION'] },
  { label: 'Pending threats', types: ['WARNING_THREAT'] },
  { label: 'Rival offers', types: ['APPROVAL_RIVAL_OFFER'] },
];

/**
 * Where the story stands, derived from every development so far: per strand, its latest
 * development and whether this week moved it. Strands the story never had are left out.
 */
export function storyStatus(
  history: readonly Development[],
  thisWeek: ReadonlySet<string>,
): StatusRow[] {
  return STRANDS.flatMap(({ label, types }) => {
    const strand = history
      .filter((development) => types.includes(development.type))
      .sort(
        (a, b) =>
          a.date.localeCompare(b.date) || a.firstReportedAt.localeCompare(b.firstReportedAt),
      );
    const latest = strand.at(-1);
    if (!latest) return [];
    const amount = [...strand].reverse().find((development) => development.amount)?.amount;
    return [
      {
        label,
        count: strand.length,
        latestDate: latest.date,
        latestSummary: headlineOf(latest),
        ...(amount ? { amount } : {}),
        changed: strand.some((development) => thisWeek.has(development.id)),
      },
    ];
  });
}
