/**
 * story-digest: the operator's CLI. Every command that touches data starts the local
 * AWS-compatible servers on the data directory and drives the same handler code Lambda runs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PowertoolsLog } from '../lambdas/adapters/logger.js';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { parseBackfillPayload } from '../lambdas/core/1-discover/backfill-payload.js';
import { EventExtractor } from '../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../lambdas/core/4-extract/relevance.js';
import { digestJson } from '../lambdas/core/6-digest/digest.js';
import { describeError, StoryDigestError } from '../lambdas/core/model/errors.js';
import { mondayOf, previousWeek, weeksBetween } from '../lambdas/core/model/iso-week.js';
import {
  addSubscribers,
  removeSubscribers,
} from '../lambdas/core/subscribers/manage-subscribers.js';
import { parseAddresses, type Subscriber } from '../lambdas/core/subscribers/subscriber.js';
import { subscribersCsv } from '../lambdas/core/subscribers/subscriber-csv.js';
import { parseSubscriberList } from '../lambdas/core/subscribers/subscriber-list.js';
import {
  ARTICLE_FILES,
  cleanFile,
  filesBelow,
  PAGE_FILES,
  readArticleFile,
} from '../local/clean-files.js';
import {
  asTheStackDrains,
  type DrainResult,
  type LocalDigestResult,
  LocalRuntime,
} from '../local/local-runtime.js';
import { TerminalProgress } from '../local/progress.js';
import { DEFAULT_STORY, PROJECT_ROOT } from '../local/project-paths.js';
import { runMode } from '../local/run-mode.js';

const USAGE = `Usage: story-digest <command> [options]

Commands:
  run      one collection cycle (discover, fetch, clean, extract) and the week's digest
           [--sample | --live] [--week YYYY-Www] [--to EMAIL]
           with no --story: the bundled sample site (--sample); --story FILE or --live: the
           story's own sources; --sample is for the default story only
  digest   render stored developments: --week YYYY-Www | --from YYYY-MM-DD --to YYYY-MM-DD
           [--format html|text|json] [--out FILE] [--send] [--recipient EMAIL]
           --week YYYY-Www --preview EMAIL...: send the week now to these addresses only,
           "[Preview]" in the subject; nothing recorded, archived or sent to subscribers
  backfill run the backfill handler with a JSON payload, then fetch what it queued:
           --payload JSON | --payload @FILE | --payload-file FILE
           {"urls"|"sitemap"|"feed"|"sources", "from", "to", "reprocess", "dryRun"}
           (progress on stderr: a bar on a terminal, plain lines otherwise)
  dlq      list | replay: the fetch DLQ, one JSON line per message with why it failed;
           replay sends every message back to the fetch queue and fetches them
  subscribers add EMAIL... | import FILE | list | remove EMAIL... | export [--out FILE]
           import: one address per line, or a CSV with an "email" column; any invalid line
           (reported with its number) and nothing is imported
           add: active subscribers (a known address keeps its status: an unsubscribed or
           suppressed one is not re-added); remove: marked unsubscribed, never deleted;
           list: one JSON line per subscriber; export: CSV
           --table NAME [--region R]: a deployed stack's table (its TableName output), with
           the AWS SDK's standard credentials, region and AWS_ENDPOINT_URL_DYNAMODB; without
           --table, the local table in --data-dir
  clean    print one JSON line per page: FILE|DIR...  (.html, .html.gz, .txt)
  extract  print the events of each article, one JSON line each: FILE|DIR...
           (.html, .html.gz, .txt with the headline first, .json cleaned article)
           [--published YYYY-MM-DD for files that give no date]

Options for every command:
  --story FILE      story file (default: stories/s400-turkey.json)
  --data-dir DIR    local state (default: .local)
  --verbose         info-level logs (JSON, stdout) as well as warnings and errors (stderr)`;

/** The sample's clock: its newest articles are from the week before this Monday. */
const SAMPLE_NOW = new Date('2019-07-22T06:00:00Z');
const SAMPLE_RECIPIENT = 'reader@example.com';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      story: { type: 'string' },
      'data-dir': { type: 'string', default: join(PROJECT_ROOT, '.local') },
      sample: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      week: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'html' },
      out: { type: 'string' },
      send: { type: 'boolean', default: false },
      recipient: { type: 'string', multiple: true },
      preview: { type: 'string', multiple: true },
      payload: { type: 'string' },
      'payload-file': { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      published: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!command || values.help || ['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= values.verbose ? 'INFO' : 'WARN';
  const common = { storyPath: values.story ?? DEFAULT_STORY, dataDir: values['data-dir'] };
  switch (command) {
    case 'clean':
      return cleanCommand(positionals);
    case 'extract':
      return extractCommand(positionals, common.storyPath, values.published);
    case 'run':
      return runCommand({
        ...common,
        ...runMode(values, DEFAULT_STORY),
        week: values.week,
        to: values.to,
      });
    case 'digest':
      return digestCommand({ ...common, ...values });
    case 'backfill':
      return backfillCommand(common, values.payload, values['payload-file']);
    case 'subscribers':
      return subscribersCommand(
        { ...common, table: values.table, region: values.region, out: values.out },
        positionals,
      );
    case 'dlq':
      return dlqCommand(common, positionals);
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function cleanCommand(paths: string[]): number {
  if (paths.length === 0) throw new StoryDigestError('clean: give at least one FILE or DIR');
  let failures = 0;
  for (const file of filesBelow(paths, PAGE_FILES)) {
    try {
      process.stdout.write(`${JSON.stringify(cleanFile(file))}\n`);
    } catch (error) {
      failures += 1;
      console.error(`${file}: ${describeError(error)}`);
    }
  }
  return failures ? 1 : 0;
}

function extractCommand(paths: string[], storyPath: string, published: string | undefined): number {
  if (paths.length === 0) throw new StoryDigestError('extract: give at least one FILE or DIR');
  if (published !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(published)) {
    throw new StoryDigestError(`--published: expected YYYY-MM-DD, got "${published}"`);
  }
  const story = loadStoryFile(storyPath);
  const extractor = new EventExtractor(story);
  const relevance = new RelevanceFilter(story.relevance);
  // Events name people; the reader of this output also wants whom they speak for.
  const people = new Map(story.entities.people.map((person) => [person.name, person]));
  const whoIs = (name: string) => {
    const person = people.get(name);
    return { name, actor: person?.actor, role: person?.role };
  };
  let failures = 0;
  for (const file of filesBelow(paths, ARTICLE_FILES)) {
    try {
      const article = readArticleFile(file);
      const publishedAt = article.publishedAt ?? published;
      if (!publishedAt) {
        throw new StoryDigestError('no publication date in the file: give --published YYYY-MM-DD');
      }
      const input = { ...article, id: file, publishedAt, firstSeenAt: publishedAt };
      const judged = relevance.judge(article);
      const events = extractor
        .extract(input)
        .map((event) => ({ ...event, people: event.people.map(whoIs) }));
      const reason = events.length ? undefined : extractor.whyNoEvents(input);
      process.stdout.write(
        `${JSON.stringify({ file, title: article.title, publishedAt, relevance: judged, events, reason })}\n`,
      );
    } catch (error) {
      failures += 1;
      console.error(`${file}: ${describeError(error)}`);
    }
  }
  return failures ? 1 : 0;
}

async function runCommand(options: {
  storyPath: string;
  dataDir: string;
  sample: boolean;
  week: string | undefined;
  to: string | undefined;
}): Promise<number> {
  const recipient = options.to ?? SAMPLE_RECIPIENT;
  const runtime = await LocalRuntime.start({ ...options, subscribers: [recipient] });
  const log = new PowertoolsLog();
  try {
    // As on AWS, fetching starts as soon as discovery queues: a slow source delays nothing else.
    const discovering = runtime.handlers.discover.handler();
    const fetching = runtime.drainFetchQueue(log, asTheStackDrains(discovering));
    const found = await discovering;
    say(
      `discover: ${found.sourcesChecked} sources, ${found.itemsSeen} items, ${found.queued} new, ` +
        `${found.alreadyKnown} already known, ${found.offStory} off the story, ${found.failures.length} failed`,
    );
    for (const failure of found.failures)
      say(`  source ${failure.sourceId} failed: ${failure.reason}`);
    reportFetch(await fetching);
    const week =
      options.week ??
      previousWeek(options.sample ? SAMPLE_NOW : new Date(), runtime.story.timeZone);
    const digest = await runtime.digest({ week });
    const htmlFile = await saveDigestCopy(runtime, digest.archived, week);
    const status = reportDelivery(digest);
    say(`digest HTML: ${htmlFile}`);
    // Every message the local SES accepted, exactly as sent: open one in a mail client.
    for (const file of runtime.aws.outbox.saved) say(`email sent: ${file}`);
    say(`outbox: ${runtime.aws.outbox.directory}`);
    return status;
  } finally {
    await runtime.stop();
  }
}

async function digestCommand(options: {
  storyPath: string;
  dataDir: string;
  week?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  format: string;
  out?: string | undefined;
  send: boolean;
  recipient?: string[] | undefined;
  preview?: string[] | undefined;
}): Promise<number> {
  if (options.preview) return previewCommand({ ...options, preview: options.preview });
  if (!['html', 'text', 'json'].includes(options.format)) {
    throw new StoryDigestError(`--format must be html, text or json, not "${options.format}"`);
  }
  if (options.week) mondayOf(options.week); // validates the week before any server starts
  const weeks = options.week
    ? [options.week]
    : options.from && options.to
      ? weeksBetween(isoDay(options.from, '--from'), isoDay(options.to, '--to'))
      : undefined;
  if (!weeks) throw new StoryDigestError('digest: give --week YYYY-Www, or --from DATE --to DATE');
  if (options.send && weeks.length > 1)
    throw new StoryDigestError('digest --send takes one --week');
  const runtime = await LocalRuntime.start({
    ...options,
    sample: false,
    subscribers: options.recipient ?? [SAMPLE_RECIPIENT],
  });
  try {
    // Loaded after LocalRuntime.start: adapters create their SDK clients when first imported.
    const { composeDigest } = await import('../lambdas/core/6-digest/compose-digest.js');
    const { DigestRenderer } = await import('../lambdas/core/6-digest/render-digest.js');
    const { loadDigestTemplates } = await import('../lambdas/adapters/template-files.js');
    const { tableStores } = await import('../local/table-stores.js');
    const deps = {
      ...tableStores(runtime.aws.table),
      renderer: new DigestRenderer(
        loadDigestTemplates(process.env.TEMPLATES_DIR ?? ''),
        runtime.story.digest.subject,
      ),
    };
    const outputs: string[] = [];
    let status = 0;
    for (const week of weeks) {
      // Through the same fan-out as on AWS: queued by the digest run, delivered by the senders.
      if (options.send) status = Math.max(status, reportDelivery(await runtime.digest({ week })));
      const digest = await composeDigest(runtime.story, week, deps);
      const rendered = deps.renderer.renderWebCopy(digest);
      outputs.push(
        options.format === 'json'
          ? digestJson(digest)
          : options.format === 'text'
            ? rendered.text
            : rendered.html,
      );
    }
    const output = `${outputs.join('\n')}\n`;
    if (options.out) {
      mkdirSync(dirname(resolve(options.out)), { recursive: true });
      writeFileSync(options.out, output);
      say(`written: ${resolve(options.out)}`);
    } else {
      process.stdout.write(output);
    }
    return 0;
  } finally {
    await runtime.stop();
  }
}

/** `digest --week W --preview EMAIL...`: the digest handler's preview payload. */
async function previewCommand(options: {
  storyPath: string;
  dataDir: string;
  week?: string | undefined;
  send: boolean;
  preview: string[];
}): Promise<number> {
  if (!options.week) throw new StoryDigestError('digest --preview takes one --week');
  if (options.send) throw new StoryDigestError('give --send or --preview, not both');
  mondayOf(options.week);
  // Validated before any server starts: a typo fails at once, naming the address.
  const preview = parseAddresses(options.preview, 'digest --preview');
  const runtime = await LocalRuntime.start({ ...options, sample: false, subscribers: [] });
  try {
    const result = await runtime.handlers.digest.handler({ week: options.week, preview });
    say(
      `preview of ${result.week} (${result.developments} developments) sent to ` +
        `${result.preview.join(', ') || 'nobody'}; not recorded as delivered, not archived`,
    );
    for (const { recipient, reason } of result.failed) say(`  ${recipient}: ${reason}`);
    for (const file of runtime.aws.outbox.saved) say(`email sent: ${file}`);
    return result.failed.length ? 1 : 0;
  } finally {
    await runtime.stop();
  }
}

async function backfillCommand(
  options: { storyPath: string; dataDir: string },
  payload: string | undefined,
  payloadFile: string | undefined,
): Promise<number> {
  if (payload !== undefined && payloadFile !== undefined) {
    throw new StoryDigestError('backfill: give --payload or --payload-file, not both');
  }
  const file = payloadFile ?? (payload?.startsWith('@') ? payload.slice(1) : undefined);
  const text = file !== undefined ? readPayloadFile(file) : payload;
  if (text === undefined) {
    throw new StoryDigestError('backfill: give --payload JSON or --payload-file FILE');
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw new StoryDigestError(
      `backfill payload${file ? ` ${file}` : ''} is not JSON: ${describeError(error)}`,
      { cause: error },
    );
  }
  // Validated before any server starts: a typo fails at once, naming the field.
  parseBackfillPayload(event, loadStoryFile(options.storyPath));
  const runtime = await LocalRuntime.start({ ...options, sample: false, subscribers: [] });
  // A bar and an ETA on a terminal; plain lines (every 50 items, each phase) in a log or CI.
  const progress = new TerminalProgress(process.stderr, { label: 'backfill', every: 50 });
  try {
    const result = await runtime.handlers.backfill.runBackfill(event, progress);
    let fetched: DrainResult = { delivered: 0, failed: 0, deadLettered: [] };
    if (result.queued > 0 && !result.dryRun) {
      progress.phase('fetch', result.queued);
      fetched = await runtime.drainFetchQueue(new PowertoolsLog(), {
        ...asTheStackDrains(),
        settled: (count) => progress.advance(count),
      });
    }
    progress.finish();
    process.stdout.write(
      `${JSON.stringify({ ...result, fetched: fetched.delivered, failed: fetched.deadLettered.length })}\n`,
    );
    return 0;
  } finally {
    progress.finish();
    await runtime.stop();
  }
}

/** What fetching did, and what it skipped or set aside, each with why. */
function reportFetch(fetched: DrainResult): void {
  const skipped = fetched.skipped ?? [];
  const setAside = fetched.deadLetters ?? [];
  say(
    `fetch: ${fetched.delivered} processed (${skipped.length} skipped), ` +
      `${fetched.deadLettered.length} failed after retries` +
      (fetched.deadLettered.length ? ' (in the DLQ: story-digest dlq list | replay)' : ''),
  );
  for (const { url, reason } of skipped) say(`  skipped ${url}: ${reason}`);
  for (const { url, reason } of setAside) say(`  failed ${url}: ${reason}`);
}

async function dlqCommand(
  options: { storyPath: string; dataDir: string },
  [action, ...rest]: string[],
): Promise<number> {
  if ((action !== 'list' && action !== 'replay') || rest.length) {
    throw new StoryDigestError('dlq: give list or replay');
  }
  const runtime = await LocalRuntime.start({ ...options, sample: false, subscribers: [] });
  try {
    const result = await runtime.handlers.backfill.handler({ dlq: action });
    for (const letter of result.deadLetters) process.stdout.write(`${JSON.stringify(letter)}\n`);
    if (action === 'list') {
      say(`dlq: ${plural(result.deadLetters.length, 'message')}`);
      return 0;
    }
    say(`dlq: ${plural(result.replayed, 'message')} sent back to the fetch queue`);
    if (result.replayed > 0)
      reportFetch(await runtime.drainFetchQueue(new PowertoolsLog(), asTheStackDrains()));
    return 0;
  } finally {
    await runtime.stop();
  }
}

function readPayloadFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new StoryDigestError(`backfill payload file ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

async function subscribersCommand(
  options: {
    storyPath: string;
    dataDir: string;
    table?: string | undefined;
    region?: string | undefined;
    out?: string | undefined;
  },
  [action, ...given]: string[],
): Promise<number> {
  if (!['add', 'list', 'remove', 'export', 'import'].includes(action ?? '')) {
    throw new StoryDigestError(
      'subscribers: give add EMAIL..., import FILE, list, remove EMAIL... or export',
    );
  }
  if ((action === 'list' || action === 'export') && given.length) {
    throw new StoryDigestError(`subscribers ${action} takes no addresses`);
  }
  if (options.region !== undefined && options.table === undefined) {
    throw new StoryDigestError("--region goes with --table (a deployed stack's table)");
  }
  // Validated before any server starts or AWS is called: a typo fails at once, naming it; an
  // imported file with any bad line adds nobody.
  let addresses: string[];
  if (action === 'import') {
    if (given.length !== 1) throw new StoryDigestError('subscribers import takes one FILE');
    const file = given[0] ?? '';
    addresses = parseSubscriberList(readFileSync(file, 'utf8'), file);
  } else {
    addresses = parseAddresses(given, `subscribers ${action}`);
  }
  if ((action === 'add' || action === 'remove') && addresses.length === 0) {
    throw new StoryDigestError(`subscribers ${action}: give at least one EMAIL`);
  }
  const storyId = loadStoryFile(options.storyPath).id;
  const request = { action: action as SubscriberAction, addresses, storyId, out: options.out };
  if (options.table !== undefined) {
    // A deployed stack's table, through the SDK's standard configuration: credentials and
    // region from the environment or profile, endpoints from AWS_ENDPOINT_URL_DYNAMODB.
    if (options.region !== undefined) process.env.AWS_REGION = options.region;
    return manageSubscribers({ ...request, table: options.table });
  }
  const runtime = await LocalRuntime.start({ ...options, sample: false, subscribers: [] });
  try {
    return await manageSubscribers({ ...request, table: runtime.aws.table });
  } finally {
    await runtime.stop();
  }
}

type SubscriberAction = 'add' | 'list' | 'remove' | 'export' | 'import';

/** The subscriber commands, on whichever table: the local one or a deployed stack's. */
async function manageSubscribers(request: {
  action: SubscriberAction;
  addresses: string[];
  storyId: string;
  table: string;
  out: string | undefined;
}): Promise<number> {
  // Loaded here: the adapter creates its SDK client when first imported.
  const { DynamoSubscriberStore } = await import('../lambdas/adapters/dynamo-subscribers.js');
  const deps = { subscribers: new DynamoSubscriberStore(request.table), now: () => new Date() };
  const { action, addresses, storyId } = request;
  if (action === 'list') {
    for (const subscriber of await deps.subscribers.listSubscribers(storyId)) {
      process.stdout.write(`${JSON.stringify(subscriber)}\n`);
    }
  } else if (action === 'export') {
    const subscribers = await deps.subscribers.listSubscribers(storyId);
    writeOutput(subscribersCsv(subscribers), request.out);
    if (request.out)
      say(`${plural(subscribers.length, 'subscriber')} written to ${resolve(request.out)}`);
  } else if (action === 'add') {
    const { added, kept } = await addSubscribers(storyId, addresses, deps);
    for (const address of added) say(`${address}: added (active)`);
    for (const subscriber of kept) say(keptLine(subscriber));
  } else if (action === 'import') {
    // Known addresses keep their status (an unsubscribed one is not re-added), so an import
    // stopped by a storage error is completed by running it again.
    const { added, kept } = await addSubscribers(storyId, addresses, deps);
    for (const subscriber of kept) say(keptLine(subscriber));
    say(`imported: ${plural(added.length, 'subscriber')} added, ${kept.length} already known`);
  } else {
    for (const { address, previous } of await removeSubscribers(storyId, addresses, deps)) {
      say(
        previous === 'suppressed' || previous === 'unsubscribed'
          ? `${address}: already ${previous}`
          : `${address}: unsubscribed${previous ? '' : ' (was not a subscriber; it will not be added by a seed)'}`,
      );
    }
  }
  return 0;
}

/** Why `add` left a known address as it was. */
function keptLine(subscriber: Subscriber): string {
  if (subscriber.status === 'suppressed') {
    return (
      `${subscriber.address}: suppressed since ${subscriber.suppressedAt ?? subscriber.createdAt}` +
      ` (${subscriber.suppressionReason ?? 'no reason recorded'}): not added; SES refuses to mail it too`
    );
  }
  const since = subscriber.unsubscribedAt ?? subscriber.confirmedAt ?? subscriber.createdAt;
  return `${subscriber.address}: already known, left ${subscriber.status} (since ${since})`;
}

function writeOutput(text: string, out: string | undefined): void {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, text);
}

async function saveDigestCopy(runtime: LocalRuntime, key: string, week: string): Promise<string> {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({});
  const object = await s3.send(new GetObjectCommand({ Bucket: runtime.aws.bucket, Key: key }));
  const file = join(runtime.dataDir, 'digests', `${runtime.story.id}-${week}.html`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, (await object.Body?.transformToString('utf8')) ?? '');
  s3.destroy();
  return file;
}

function isoDay(value: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new StoryDigestError(`${option} must be a date such as 2019-07-01, not "${value}"`);
  }
  return value;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`story-digest: ${describeError(error)}`);
    process.exitCode = 1;
  },
);

/**
 * One line for a week's delivery: the run's counters after the senders drained the queue, and
 * each reader set aside with why. Exit code 1 when a reader was not reached.
 */
function reportDelivery(digest: LocalDigestResult): number {
  const { delivery, drained } = digest;
  const already = drained.alreadySent.length
    ? `, ${drained.alreadySent.length} had it already`
    : '';
  say(
    `digest ${digest.week}: ${digest.developments} developments; ` +
      `${plural(digest.queuedNow, 'reader')} queued now, ${drained.sent.length} sent now${already}; ` +
      `week: ${delivery.queued} queued, ${delivery.sent} sent, ${delivery.suppressed} suppressed, ` +
      `${delivery.failed} failed, ${delivery.pending} pending`,
  );
  for (const [reader, reason] of Object.entries(drained.setAside)) {
    say(`  not delivered to ${reader}: ${reason} (in the delivery DLQ)`);
  }
  return delivery.failed || delivery.pending ? 1 : 0;
}
