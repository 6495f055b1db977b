import { isoWeekOf, localDay, type WeekWindow } from '../model/iso-week.js';
import type { Development } from '../model/records.js';

/** When a development was first seen: its earliest report's first sighting. */
export function firstSeenAt(development: Development): string {
  const seen = development.sources.map(
    (source) => source.seenAt ?? source.publishedAt ?? development.firstReportedAt,
  );
  return seen.sort()[0] ?? development.firstReportedAt;
}

/**
 * Developments reported before the week but first seen during it ("reported earlier, found
 * now"): a backfill or a slow source found them after their own week's digest went out, so no
 * reader has had them. One first seen before its week's digest was sent was in that digest.
 * Only reports since `since` count: a backfill of older weeks is history, not news.
 */
export async function lateFinds(
  history: readonly Development[],
  window: WeekWindow,
  since: string,
  sentAt: (week: string) => Promise<string | undefined>,
  timeZone: string,
): Promise<Development[]> {
  const candidates = history.filter((development) => {
    if (development.firstReportedAt < since || development.firstReportedAt >= window.from) {
      return false;
    }
    const seen = firstSeenAt(development);
    return seen >= window.from && seen < window.to;
  });
  const weeks = [...new Set(candidates.map((development) => reportedWeek(development, timeZone)))];
  const sent = new Map(
    await Promise.all(weeks.map(async (week) => [week, await sentAt(week)] as const)),
  );
  return candidates.filter((development) => {
    const sentOn = sent.get(reportedWeek(development, timeZone));
    return sentOn === undefined || firstSeenAt(development) > sentOn;
  });
}

/** The week whose digest a development belongs to by its first report. */
export function reportedWeek(development: Development, timeZone: string): string {
  return isoWeekOf(localDay(new Date(development.firstReportedAt), timeZone));
}
