import { developmentsReported } from '../5-cluster/cluster.js';
import { subscribeWebUrl, timelineWebUrl } from '../7-web/web-routes.js';
import { addDays, mondayOf, weekWindow, zonedMidnight } from '../model/iso-week.js';
import type { Story } from '../model/story.js';
import type { DevelopmentStore } from '../ports/development-store.js';
import { EventTypeLabels } from './event-type-labels.js';
import type { TimelineRenderer } from './render-timeline.js';

export interface TimelineDeps {
  readonly developments: Pick<DevelopmentStore, 'developmentsFirstReported'>;
  readonly timeline: TimelineRenderer;
  /** The web function's URL: the page links the year before below it. */
  readonly webBaseUrl: string;
}

/**
 * The timeline page of the year a week ends in: that year's developments up to the week's end,
 * newest first (one year read, however long the story runs).
 */
export async function composeTimeline(
  story: Story,
  week: string,
  digestUrl: string,
  deps: TimelineDeps,
): Promise<{ year: number; html: string }> {
  const window = weekWindow(week, story.timeZone);
  const upTo = addDays(mondayOf(week), 6);
  const year = Number(upTo.slice(0, 4));
  const history = await developmentsReported(
    deps.developments,
    story.id,
    zonedMidnight(`${year}-01-01`, story.timeZone),
    window.to,
  );
  const html = deps.timeline.render({
    storyTitle: story.title,
    upTo,
    history,
    types: new EventTypeLabels(story.events),
    digestUrl,
    year,
    previousYearUrl: timelineWebUrl(deps.webBaseUrl, story.id, year - 1),
    subscribeUrl: subscribeWebUrl(deps.webBaseUrl, story.id),
  });
  return { year, html };
}
