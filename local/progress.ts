import type { Progress } from '../lambdas/core/ports/progress.js';

/** Where progress goes: a terminal gets a redrawn bar, anything else (a log file, CI) plain lines. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  /** Terminal width; 0 or absent (a pseudo-terminal without a size) counts as 80. */
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Prefix of every line. */
  readonly label: string;
  /** Not on a terminal: one line per this many items (and one per phase start and end). */
  readonly every?: number;
  /** On a terminal: the bar is redrawn at most this often. */
  readonly redrawMs?: number;
  readonly now?: () => number;
}

/**
 * Time left at the rate so far: elapsed / done per item, times the items left. Undefined until
 * an item is done or when the total is unknown; zero once everything is.
 */
export function etaMs(
  done: number,
  total: number | undefined,
  elapsedMs: number,
): number | undefined {
  if (total === undefined || done <= 0 || elapsedMs < 0) return undefined;
  if (done >= total) return 0;
  return Math.round((elapsedMs / done) * (total - done));
}

/** 950 → "1s", 65_000 → "1m05s", 3_720_000 → "1h02m": an ETA needs no more precision. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * Progress of a long CLI run on stderr. On a terminal, one line redrawn in place: the phase, a
 * bar, done/total, the percentage and the ETA. Elsewhere, where `\r` would pile up as garbage,
 * plain lines: a phase's start, every `every` items with the ETA, and its end with its duration.
 */
export class TerminalProgress implements Progress {
  private name: string | undefined;
  private total: number | undefined;
  private done = 0;
  private startedAt = 0;
  private drawnAt = Number.NEGATIVE_INFINITY;
  private readonly every: number;
  private readonly redrawMs: number;
  private readonly now: () => number;

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: ProgressOptions,
  ) {
    this.every = Math.max(1, options.every ?? 100);
    this.redrawMs = options.redrawMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  phase(name: string, total: number | undefined): void {
    this.finish();
    this.name = name;
    this.total = total;
    this.done = 0;
    this.startedAt = this.now();
    if (this.out.isTTY) this.draw();
    else this.line(`started${total === undefined ? '' : `, ${total} items`}`);
  }

  advance(count: number): void {
    if (this.name === undefined) return;
    const before = this.done;
    this.done += count;
    if (this.out.isTTY) {
      if (this.now() - this.drawnAt >= this.redrawMs) this.draw();
    } else if (Math.floor(this.done / this.every) > Math.floor(before / this.every)) {
      this.line(this.counts());
    }
  }

  /** Ends the current phase: the bar's last state stays on screen, or a closing line is written. */
  finish(): void {
    if (this.name === undefined) return;
    if (this.out.isTTY) {
      this.draw();
      this.out.write('\n');
    } else {
      this.line(`done, ${this.done} items in ${formatDuration(this.now() - this.startedAt)}`);
    }
    this.name = undefined;
  }

  private counts(): string {
    const of = this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`;
    const percent = this.total
      ? ` (${Math.floor((100 * Math.min(this.done, this.total)) / this.total)}%)`
      : '';
    const eta = etaMs(this.done, this.total, this.now() - this.startedAt);
    return `${of}${percent}${eta === undefined ? '' : `, ETA ${formatDuration(eta)}`}`;
  }

  private line(text: string): void {
    this.out.write(`${this.options.label}: ${this.name}: ${text}\n`);
  }

  private draw(): void {
    this.drawnAt = this.now();
    const text = `${this.options.label}: ${this.name} ${this.counts()}`;
    const room = Math.max(10, Math.min(40, (this.out.columns || 80) - text.length - 4));
    const share = this.total ? Math.min(1, this.done / this.total) : 0;
    const filled = Math.round(share * room);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(room - filled)}]`;
    // \r and erase-line: the next draw replaces this one instead of following it.
    this.out.write(`\r\x1b[2K${this.options.label}: ${this.name} ${bar} ${this.counts()}`);
  }
}
