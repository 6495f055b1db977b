import { MetricUnit, Metrics as PowertoolsClient } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type MetricName, STORY_DIMENSION } from '../core/model/metric-names.js';
import type { Metrics } from '../core/ports/metrics.js';

/**
 * CloudWatch metrics in Embedded Metric Format through Powertools: JSON lines on stdout that
 * CloudWatch Logs turns into metrics, so no API call and no IAM grant. Counts are summed until
 * `publish()`, which each handler calls once per invocation, failed ones included.
 *
 * `POWERTOOLS_METRICS_DISABLED=true` (set by the local runtime) keeps EMF off the terminal.
 */
export class PowertoolsMetrics implements Metrics {
  readonly #client: PowertoolsClient;
  /**
   * Sums by extra dimensions, then by name. Summed here rather than handed to Powertools value
   * by value: Powertools publishes by itself at 100 values and drops the dimensions it had.
   */
  readonly #pending = new Map<
    string,
    { dimensions: Record<string, string>; sums: Map<MetricName, number> }
  >();

  constructor(storyId: string) {
    this.#client = new PowertoolsClient({ namespace: METRICS_NAMESPACE });
    // Only `story`: Powertools' default `service` dimension would be one more dimension every
    // alarm has to name, and the namespace already says which service it is.
    this.#client.clearDefaultDimensions();
    this.#client.setDefaultDimensions({ [STORY_DIMENSION]: storyId });
  }

  count(name: MetricName, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    const sorted = Object.fromEntries(
      Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)),
    );
    const key = JSON.stringify(sorted);
    const group = this.#pending.get(key) ?? { dimensions: sorted, sums: new Map() };
    group.sums.set(name, (group.sums.get(name) ?? 0) + value);
    this.#pending.set(key, group);
  }

  /** Writes one EMF document per set of dimensions recorded since the last call. */
  publish(): void {
    // EMF gives every metric of a document the same dimensions: one document per set.
    for (const { dimensions, sums } of this.#pending.values()) {
      for (const [name, value] of Object.entries(dimensions))
        this.#client.addDimension(name, value);
      for (const [name, sum] of sums) this.#client.addMetric(name, MetricUnit.Count, sum);
      this.#client.publishStoredMetrics();
    }
    this.#pending.clear();
  }
}
