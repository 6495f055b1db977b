import { describe, expect, it } from 'vitest';
import { etaMs, formatDuration, TerminalProgress } from '../../local/progress.js';

/** An output that keeps what is written, and a clock the test moves. */
function harness(isTTY: boolean) {
  const written: string[] = [];
  let now = 1_000_000;
  const progress = new TerminalProgress(
    { isTTY, columns: 100, write: (text: string) => written.push(text) },
    { label: 'backfill', every: 10, redrawMs: 100, now: () => now },
  );
  return {
    progress,
    written,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

describe('progress', () => {
  it('estimates the time left at the rate so far', () => {
    // 25 of 100 in 10 s: 0.4 s each, 75 left.
    expect(etaMs(25, 100, 10_000)).toBe(30_000);
    expect(etaMs(1, 3, 500)).toBe(1_000);
    expect(etaMs(100, 100, 10_000)).toBe(0);
    expect(etaMs(120, 100, 10_000)).toBe(0);
    // Nothing done yet, or no total: no estimate rather than a made-up one.
    expect(etaMs(0, 100, 10_000)).toBeUndefined();
    expect(etaMs(5, undefined, 10_000)).toBeUndefined();
    expect(formatDuration(950)).toBe('1s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });

  it('writes plain lines when stderr is not a terminal: phase start, every N items with the ETA, phase end', () => {
    const { progress, written, tick } = harness(false);
    progress.phase('queue', 25);
    for (let item = 0; item < 25; item += 1) {
      tick(200);
      progress.advance(1);
    }
    progress.phase('fetch', undefined);
    tick(1_500);
    progress.advance(3);
    progress.finish();
    expect(written.join('')).toBe(
      [
        'backfill: queue: started, 25 items',
        'backfill: queue: 10/25 (40%), ETA 3s',
        'backfill: queue: 20/25 (80%), ETA 1s',
        'backfill: queue: done, 25 items in 5s',
        'backfill: fetch: started',
        'backfill: fetch: done, 3 items in 2s',
        '',
      ].join('\n'),
    );
    expect(written.join('')).not.toContain('\r');
  });

  it('redraws one bar with the ETA on a terminal, at most every redraw interval', () => {
    const { progress, written, tick } = harness(true);
    progress.phase('fetch', 4);
    tick(1_000);
    progress.advance(1);
    tick(10);
    progress.advance(1); // within 100 ms of the last draw: not drawn
    tick(2_000);
    progress.advance(1);
    progress.finish();
    expect(written).toHaveLength(5); // start, two draws, the final draw and its newline
    // Carriage return and erase-line first, so the next draw replaces this one.
    expect(written[1]?.startsWith('\r\u001b[2K')).toBe(true);
    expect(written[1]).toMatch(/backfill: fetch \[#+-+\] 1\/4 \(25%\), ETA 3s$/);
    expect(written[2]).toMatch(/ 3\/4 \(75%\), ETA 1s$/);
    expect(written.at(-2)).toContain('3/4');
    expect(written.at(-1)).toBe('\n');
    // Stays on one line: nothing but the closing newline moves down.
    expect(written.slice(0, -1).join('')).not.toContain('\n');
  });
});
