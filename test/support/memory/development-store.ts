import type { DevelopmentReport } from '../../../lambdas/core/5-cluster/developments.js';
import type { StrandLatest } from '../../../lambdas/core/6-digest/story-status.js';
import { daySpan } from '../../../lambdas/core/model/date-span.js';
import type {
  Development,
  DevelopmentSource,
  EventType,
} from '../../../lambdas/core/model/records.js';
import type { DevelopmentStore } from '../../../lambdas/core/ports/development-store.js';

interface StrandEntry {
  developmentId: string;
  date: string;
  summary: string;
  title?: string;
}

/** The DevelopmentStore in memory, with the DynamoDB adapter's rules: one item per report. */
export class MemoryDevelopmentStore implements DevelopmentStore {
  readonly developments = new Map<string, Omit<Development, 'sources'>>();
  readonly sources = new Map<string, DevelopmentSource>();
  /** "<story>#<type>" → "<first day>#<id>" → entry. */
  private readonly strands = new Map<string, Map<string, StrandEntry>>();
  private readonly amounts = new Map<string, Map<string, string>>();

  async recordDevelopment({ development, source }: DevelopmentReport): Promise<boolean> {
    const created = !this.developments.has(development.id);
    const sk = `${daySpan(development.date).first}#${development.id}`;
    const strandKey = `${development.storyId}#${development.type}`;
    const strand = this.strands.get(strandKey) ?? new Map<string, StrandEntry>();
    strand.set(sk, {
      developmentId: development.id,
      date: development.date,
      summary: development.summary,
      ...(source.aboutIt ? { title: source.title } : {}),
    });
    this.strands.set(strandKey, strand);
    if (development.amount) {
      const amounts = this.amounts.get(strandKey) ?? new Map<string, string>();
      amounts.set(sk, development.amount);
      this.amounts.set(strandKey, amounts);
    }
    this.developments.set(development.id, development);
    this.sources.set(development.id, source);
    return created;
  }

  async retractReport(developmentId: string, articleId: string): Promise<void> {
    const development = this.developments.get(developmentId);
    if (!development || this.sources.get(developmentId)?.articleId !== articleId) return;
    const sk = `${daySpan(development.date).first}#${developmentId}`;
    const strandKey = `${development.storyId}#${development.type}`;
    this.strands.get(strandKey)?.delete(sk);
    this.amounts.get(strandKey)?.delete(sk);
    this.developments.delete(developmentId);
    this.sources.delete(developmentId);
  }

  async developmentsFirstReported(
    storyId: string,
    from: string,
    to: string,
  ): Promise<Development[]> {
    return [...this.developments.values()]
      .filter(
        (development) =>
          development.storyId === storyId &&
          development.firstReportedAt >= from &&
          development.firstReportedAt < to,
      )
      .sort(
        (a, b) => a.firstReportedAt.localeCompare(b.firstReportedAt) || a.id.localeCompare(b.id),
      )
      .map((development) => ({
        ...development,
        sources: [this.sources.get(development.id)].filter((source) => source !== undefined),
      }));
  }

  async latestOfType(
    storyId: string,
    type: EventType,
    upToDay: string,
  ): Promise<StrandLatest | undefined> {
    const latest = <T>(entries: Map<string, T> | undefined): T | undefined =>
      [...(entries ?? new Map<string, T>())]
        .filter(([sk]) => sk <= `${upToDay}~`)
        .sort(([a], [b]) => b.localeCompare(a))[0]?.[1];
    const strand = latest(this.strands.get(`${storyId}#${type}`));
    if (!strand) return undefined;
    const amount = latest(this.amounts.get(`${storyId}#${type}`));
    return {
      developmentId: strand.developmentId,
      date: strand.date,
      headline: strand.title ?? strand.summary,
      ...(amount ? { amount } : {}),
    };
  }
}
