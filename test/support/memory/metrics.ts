import type { MetricName } from '../../../lambdas/core/model/metric-names.js';
import type { Metrics } from '../../../lambdas/core/ports/metrics.js';

export interface RecordedMetric {
  readonly name: MetricName;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** The Metrics port in memory: what a use case recorded, in order, for assertions. */
export class RecordingMetrics implements Metrics {
  readonly recorded: RecordedMetric[] = [];

  count(name: MetricName, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    this.recorded.push({ name, value, dimensions });
  }

  /** Sums by name and dimensions, as CloudWatch's Sum would: `{"ArticlesNotStored reason=off-story": 1}`. */
  totals(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const { name, value, dimensions } of this.recorded) {
      const key = [name, ...Object.entries(dimensions).map(([k, v]) => `${k}=${v}`)].join(' ');
      totals[key] = (totals[key] ?? 0) + value;
    }
    return totals;
  }
}
