import { addDays, isoWeekOf, mondayOf } from '../model/iso-week.js';
import type { Development } from '../model/records.js';
import { reportedWeek } from './late-finds.js';

export interface TimelineBar {
  readonly week: string;
  /** The week's Monday, `YYYY-MM-DD`. */
  readonly monday: string;
  readonly count: number;
  /** Bar length, 0–100, relative to the busiest week shown. */
  readonly percent: number;
  readonly current: boolean;
}

/** Developments per week, first reported in each of the `weeks` weeks up to and including `week`. */
export function weeklyTimeline(
  history: readonly Development[],
  week: string,
  timeZone: string,
  weeks = 12,
): TimelineBar[] {
  const counts = new Map<string, number>();
  for (const development of history) {
    const reported = reportedWeek(development, timeZone);
    counts.set(reported, (counts.get(reported) ?? 0) + 1);
  }
  const mondays = Array.from({ length: weeks }, (_, index) =>
    addDays(mondayOf(week), (index - weeks + 1) * 7),
  );
  const busiest = Math.max(1, ...mondays.map((monday) => counts.get(isoWeekOf(monday)) ?? 0));
  return mondays.map((monday) => {
    const count = counts.get(isoWeekOf(monday)) ?? 0;
    return {
      week: isoWeekOf(monday),
      monday,
      count,
      percent: Math.round((count / busiest) * 100),
      current: isoWeekOf(monday) === week,
    };
  });
}
