import {
  type DevelopmentReport,
  earliestReportKey,
} from '../../../lambdas/core/5-cluster/developments.js';
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
  summaryFrom: string;
  title?: string;
  titleFrom?: string;
}

/**
 * The DevelopmentStore in memory, with the DynamoDB adapter's rules: a development keeps its
 * earliest report's fields, and the per-type index its earliest sentence and title.
 */
export class MemoryDevelopmentStore implements DevelopmentStore {
  readonly developments = new Map<string, Omit<Development, 'sources'>>();
  readonly sources = new Map<string, Map<string, DevelopmentSource>>();
  /** "<story>#<type>" → "<first day>#<id>" → entry. */
  private readonly strands = new Map<string, Map<string, StrandEntry>>();
  private readonly amounts = new Map<string, Map<string, string>>();

  async recordDevelopment(report: DevelopmentReport): Promise<boolean> {
    const { development, source } = report;
    const reports = this.sources.get(development.id) ?? new Map<string, DevelopmentSource>();
    reports.set(source.articleId, source);
    this.sources.set(development.id, reports);
    this.indexByType(report);
    const held = this.developments.get(development.id);
    if (held && held.firstReportedAt <= development.firstReportedAt) return false;
    this.developments.set(development.id, development);
    return held === undefined;
  }

  async retractReport(developmentId: string, articleId: string): Promise<void> {
    const reports = this.sources.get(developmentId);
    reports?.delete(articleId);
    if (reports?.size) return;
    this.sources.delete(developmentId);
    const development = this.developments.get(developmentId);
    if (!development) return;
    const sk = `${daySpan(development.date).first}#${developmentId}`;
    const strandKey = `${development.storyId}#${development.type}`;
    this.strands.get(strandKey)?.delete(sk);
    this.amounts.get(strandKey)?.delete(sk);
    this.developments.delete(developmentId);
  }

  private indexByType(report: DevelopmentReport): void {
    const { development, source } = report;
    const sk = `${daySpan(development.date).first}#${development.id}`;
    const strandKey = `${development.storyId}#${development.type}`;
    const strand = this.strands.get(strandKey) ?? new Map<string, StrandEntry>();
    this.strands.set(strandKey, strand);
    const from = earliestReportKey(report);
    let entry = strand.get(sk);
    if (!entry || entry.summaryFrom > from) {
      entry = {
        ...entry,
        developmentId: development.id,
        date: development.date,
        summary: development.summary,
        summaryFrom: from,
      };
      strand.set(sk, entry);
    }
    if (source.aboutIt && (entry.titleFrom === undefined || entry.titleFrom > from)) {
      strand.set(sk, { ...entry, title: source.title, titleFrom: from });
    }
    if (development.amount) {
      const amounts = this.amounts.get(strandKey) ?? new Map<string, string>();
      amounts.set(sk, development.amount);
      this.amounts.set(strandKey, amounts);
    }
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
        sources: [...(this.sources.get(development.id)?.values() ?? [])],
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
