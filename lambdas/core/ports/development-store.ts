import type { DevelopmentReport } from '../5-cluster/developments.js';
import type { StrandLatest } from '../6-digest/story-status.js';
import type { Development, EventType } from '../model/records.js';

/** The story's developments, by the time of their first report and by type. */
export interface DevelopmentStore {
  /**
   * Keeps an article's report of its development (a mention: one per article, under the
   * article's own mention id; reports of one happening are clustered when read), replacing a
   * copy of the same report written before; true when there was none.
   */
  recordDevelopment(report: DevelopmentReport): Promise<boolean>;
  /**
   * Withdraws the article's report, and with it its entries in the time, type and amount
   * indexes. Nothing happens when the article never reported it, so it can be repeated.
   */
  retractReport(developmentId: string, articleId: string): Promise<void>;
  /** Developments whose first report falls in [from, to), read through the time index. */
  developmentsFirstReported(storyId: string, from: string, to: string): Promise<Development[]>;
  /**
   * The latest development of one event type dated on or before `upToDay`, with the last sum
   * of money that type named by then: one item read, however long the story's history.
   */
  latestOfType(
    storyId: string,
    type: EventType,
    upToDay: string,
  ): Promise<StrandLatest | undefined>;
}
