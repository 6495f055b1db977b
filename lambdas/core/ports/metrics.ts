import type { MetricName } from '../model/metric-names.js';

/**
 * Operational counts (names and dimensions in model/metric-names.ts). Recorded as the use case
 * goes and published once per invocation by the adapter, so a failing invocation still reports
 * them.
 */
export interface Metrics {
  /** Records `value` (a count, or a streak) of `name`, split by the given extra dimensions. */
  count(name: MetricName, value: number, dimensions?: Readonly<Record<string, string>>): void;
}
