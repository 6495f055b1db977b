import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports.js';

/** Structured JSON logs through Powertools; a line's fields become top-level keys. */
export class PowertoolsLog implements Log {
  readonly logger: Logger;

  constructor(serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'story-digest') {
    this.logger = new Logger({ serviceName });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    fields ? this.logger.debug(message, fields) : this.logger.debug(message);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    fields ? this.logger.info(message, fields) : this.logger.info(message);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    fields ? this.logger.warn(message, fields) : this.logger.warn(message);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    fields ? this.logger.error(message, fields) : this.logger.error(message);
  }
}
