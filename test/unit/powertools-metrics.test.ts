import { afterEach, describe, expect, it, vi } from 'vitest';
import { PowertoolsMetrics } from '../../lambdas/adapters/powertools-metrics.js';

/** What the adapter writes to stdout while `run` runs, line by line. */
function stdoutOf(run: () => void): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('PowertoolsMetrics', () => {
  it('writes one EMF document per dimension set at the end of an invocation, and nothing before', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    const metrics = new PowertoolsMetrics('s400-turkey');
    const before = stdoutOf(() => {
      metrics.count('ArticlesStored', 1);
      metrics.count('ArticlesStored', 1);
      metrics.count('ArticlesNotStored', 1, { reason: 'off-story' });
    });
    const published = stdoutOf(() => metrics.publish());
    const again = stdoutOf(() => metrics.publish());

    expect(before).toEqual([]);
    expect(again).toEqual([]);
    const documents = published.map((line) => JSON.parse(line));
    expect(documents).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'StoryDigest',
              Dimensions: [['story']],
              Metrics: [{ Name: 'ArticlesStored', Unit: 'Count' }],
            },
          ],
        },
        story: 's400-turkey',
        ArticlesStored: 2,
      },
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'StoryDigest',
              Dimensions: [['story', 'reason']],
              Metrics: [{ Name: 'ArticlesNotStored', Unit: 'Count' }],
            },
          ],
        },
        story: 's400-turkey',
        reason: 'off-story',
        ArticlesNotStored: 1,
      },
    ]);
    expect(Math.abs(documents[0]._aws.Timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED is set, as the local runtime does', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const metrics = new PowertoolsMetrics('s400-turkey');
    expect(
      stdoutOf(() => {
        metrics.count('ArticlesStored', 1);
        metrics.publish();
      }),
    ).toEqual([]);
  });
});
