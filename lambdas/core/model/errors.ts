/**
 * The project's one error hierarchy. Every error names what it is about (a file, a URL, an
 * id) in its message and keeps the underlying `cause`, so a log line alone says what broke
 * and where.
 */
export class StoryDigestError extends Error {
  override readonly name: string = 'StoryDigestError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A story file that cannot be read or does not match the schema. */
export class StoryFileError extends StoryDigestError {
  override readonly name = 'StoryFileError';

  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`story file ${file}: ${detail}`, options);
  }
}

/** A Lambda event or CLI payload that does not match what the handler accepts. */
export class PayloadError extends StoryDigestError {
  override readonly name = 'PayloadError';

  constructor(
    readonly source: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${detail}`, options);
  }
}

/** Missing or invalid configuration (environment variables) at start-up. */
export class ConfigError extends StoryDigestError {
  override readonly name = 'ConfigError';
}

/** A page or feed that could not be fetched. `permanent` failures are not worth retrying. */
export class FetchError extends StoryDigestError {
  override readonly name: string = 'FetchError';

  constructor(
    readonly url: string,
    detail: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${detail}`, options);
  }
}

/**
 * A request refused without being sent because its host is closed: paused by a Retry-After
 * longer than a call waits, or given up after failing every request lately. Transient: the URL
 * is tried again once the host reopens.
 */
export class HostClosedError extends FetchError {
  override readonly name: string = 'HostClosedError';

  constructor(
    url: string,
    readonly host: string,
    readonly closedUntil: number,
    reason: string,
  ) {
    super(
      url,
      `host ${host} ${reason}; not asked again before ${new Date(closedUntil).toISOString()}`,
      false,
    );
  }
}

/** A feed whose body is not a readable RSS, Atom or RDF document. */
export class FeedParseError extends StoryDigestError {
  override readonly name = 'FeedParseError';

  constructor(
    readonly url: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`feed ${url}: ${detail}`, options);
  }
}

/**
 * SES refused a send because the account's sending rate (or quota) was exceeded: the reader is
 * not lost, the sender backs off and tries again.
 */
export class SendThrottledError extends StoryDigestError {
  override readonly name = 'SendThrottledError';
}

/** A subscriber list that cannot be imported: every bad line, with its number; nothing was added. */
export class SubscriberImportError extends StoryDigestError {
  override readonly name = 'SubscriberImportError';

  constructor(
    readonly file: string,
    readonly problems: readonly { readonly line: number; readonly reason: string }[],
  ) {
    super(
      `${file}: ${problems.length} invalid line(s), nothing imported:\n` +
        problems.map(({ line, reason }) => `  line ${line}: ${reason}`).join('\n'),
    );
  }
}

/** Formats any thrown value for a log line or an error report. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Synchronous work (cleaning, extraction) that used up its time budget. Nothing can interrupt
 * it from outside, so it checks its `Deadline` between steps and stops with this.
 */
export class BudgetExceededError extends StoryDigestError {
  override readonly name = 'BudgetExceededError';

  constructor(
    readonly subject: string,
    readonly step: string,
    readonly budgetMs: number,
  ) {
    super(`${subject}: over its ${budgetMs} ms budget before ${step}`);
  }
}
