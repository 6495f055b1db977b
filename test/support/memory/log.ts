import type { Log } from '../../../lambdas/core/ports/log.js';

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A Log that keeps its lines, for tests that assert on what was logged. */
export class RecordingLog implements Log {
  readonly lines: LoggedLine[] = [];
  debug = this.keep('debug');
  info = this.keep('info');
  warn = this.keep('warn');
  error = this.keep('error');

  private keep(level: LoggedLine['level']) {
    return (message: string, fields?: Record<string, unknown>): void =>
      void this.lines.push({ level, message, ...(fields ? { fields } : {}) });
  }
}

/** A logger for tests that assert on results, not on log lines. */
export const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
