import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports/log.js';

/**
 * Structured JSON logs through Powertools; a line's fields become top-level keys. The use cases
 * name their subjects alike (`url`, `sourceId`, `articleId`, `developmentId`, `week`,
 * `recipient`, `reason`), so one Logs Insights filter follows a thing through every function.
 */
export class PowertoolsLog implements Log {
  readonly logger: Logger;

  /** `persistentKeys` go on every line (the handlers put `storyId` there). */
  constructor(persistentKeys: Readonly<Record<string, string>> = {}) {
    this.logger = new Logger({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'story-digest',
      persistentKeys,
    });
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
