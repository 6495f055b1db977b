import type { DevelopmentReport } from '../5-cluster/developments.js';
import type { StrandLatest } from '../6-digest/story-status.js';
import type { Development, EventType } from '../model/records.js';

/** The story's developments, by the time of their first report and by type. */
export interface DevelopmentStore {
  /**
   * Adds the article as a source of the development, creating it or moving its first report
   * earlier (a development keeps the week and wording of its earliest report, whatever the
   * fetch order); true when this report created it.
   */
  recordDevelopment(report: DevelopmentReport): Promise<boolean>;
  /**
   * Withdraws the article's report of the development; a development left with no report goes,
   * and with it its entries in the time, type and amount indexes. Nothing happens when the
   * article never reported it, so it can be repeated.
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
