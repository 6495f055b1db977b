import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionPatterns } from '../../lambdas/adapters/table-layout.js';
import { sourceUrl } from '../../lambdas/core/model/story.js';
import { matchesPattern, TABLE_ACCESS } from '../../lib/table-access.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { emailProblems } from '../support/email-checks.js';
import { FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { quiet } from '../support/memory/log.js';
import { archivedArticles } from '../support/pipeline-state.js';
import { outboxMessages } from '../support/ses-store.js';

/**
 * The whole pipeline on the bundled sample: sample site → discover → SQS → fetch → S3 →
 * DynamoDB → digest → the SES emulator, through the handlers Lambda runs. DynamoDB is reached
 * through a proxy that records the partition key of every item each handler touches, so the
 * stack's `dynamodb:LeadingKeys` grants (lib/table-access.ts) are checked against what the
 * handlers really do.
 */
const READER = 'reader@example.com';
const WEEK = '2019-W29';

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { html: string; text: string };
}

describe('a collection cycle on the sample news site', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let dynamo: FaultProxy;
  /** The handler whose DynamoDB requests are being recorded, and what each touched. */
  let recording: keyof typeof TABLE_ACCESS | undefined;
  const touched = new Map<string, Set<string>>();

  async function sentEmails(): Promise<StoredEmail[]> {
    const response = await fetch(`${runtime.aws.sesEndpoint}/store`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  /** Events the archived clean articles hold, however many articles hold them. */
  async function storedEventCount(): Promise<number> {
    const articles = await archivedArticles(runtime);
    return articles.reduce((count, article) => count + article.events.length, 0);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-e2e-'));
    dynamo = await FaultProxy.start('dynamodb');
    dynamo.observe((request) => {
      if (!recording) return;
      const keys = touched.get(recording) ?? new Set<string>();
      for (const key of partitionKeysOf(request)) keys.add(key);
      touched.set(recording, keys);
    });
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [READER],
      endpoints: async (environment) => {
        dynamo.forwardTo(environment.AWS_ENDPOINT_URL_DYNAMODB ?? '');
        return { ...environment, AWS_ENDPOINT_URL_DYNAMODB: dynamo.url };
      },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await dynamo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('collects every on-story article, stores it, and emails the week once', async () => {
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered.failures).toEqual([]);
    expect(discovered.offStory).toBe(1); // the India explainer never reaches the fetcher
    expect(discovered.queued).toBeGreaterThanOrEqual(12);

    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ delivered: discovered.queued, deadLettered: [] });

    const result = await runtime.digest({ week: WEEK });
    expect(result).toMatchObject({
      week: WEEK,
      queuedNow: 1,
      delivery: { queued: 1, sent: 1, suppressed: 0, failed: 0, pending: 0 },
    });
    // The seed (the stack's `subscribers`) made the reader an active subscriber.
    const { DynamoSubscriberStore } = await import('../../lambdas/adapters/dynamo-subscribers.js');
    const subscribers = new DynamoSubscriberStore(runtime.aws.table);
    expect(await subscribers.listSubscribers(runtime.story.id)).toMatchObject([
      { address: READER, status: 'active' },
    ]);
    expect(result.developments).toBeGreaterThanOrEqual(3);
    expect(result.archived).toBe(`digests/s400-turkey/${WEEK}.html`);

    const emails = await sentEmails();
    expect(emails).toHaveLength(1);
    const [email] = emails as [StoredEmail];
    expect(email.destination.to).toEqual([READER]);
    // The message as SES was handed it, kept in the local outbox: the reader's own one-click
    // unsubscribe link in both RFC 8058 headers and the footer, a text part and an HTML part
    // that passes the project's email checks.
    expect(runtime.aws.outbox.saved).toHaveLength(1);
    const [sent] = outboxMessages(runtime.aws.outbox.directory);
    const listUnsubscribe = sent?.header('List-Unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?story=s400-turkey&address=reader%40example\.com&token=[\w-]+>$/,
    );
    expect(sent?.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(sent?.header('To')).toBe(READER);
    expect(sent?.text).toContain(listUnsubscribe.slice(1, -1));
    expect(sent?.text.trimEnd()).toBe(email.body.text.trimEnd());
    expect(sent?.html).toBe(email.body.html);
    expect(await emailProblems(sent?.html ?? '')).toEqual([]);
    expect(email.body.text).toContain(listUnsubscribe.slice(1, -1));
    expect(email.subject).toBe(
      `S-400 & Turkey, week ${WEEK}: ${result.developments} new developments`,
    );

    // The week's developments, each once, with every outlet that reported it.
    const { html, text } = email.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Programme exclusion');
    expect(html).toMatch(/Pentagon said on Wednesday it was suspending Turkey from the F-35/);
    expect(html).toMatch(/Foreign Ministry said on Thursday/);
    expect(html).toMatch(/Donald Trump said on Tuesday/);
    expect(countOf(text, 'suspending Turkey from the F-35')).toBe(1);
    for (const outlet of [
      'Meridian Defence Journal',
      'Northgate Security Wire',
      'The Steppe Gazette',
      'Aegean Ledger',
    ]) {
      expect(html).toContain(outlet);
    }
    const [firstSource] = runtime.story.sources;
    const origin = new URL(firstSource ? sourceUrl(firstSource) : '').origin; // the sample site's
    expect(html).toContain(
      `href="${origin}/northgate-wire/story/19904-pentagon-suspends-turkey-f35.html"`,
    );
    expect(text).toContain(
      `${origin}/steppe-gazette/world/turkey-foreign-ministry-f35-unfair.html`,
    );
    expect(text).toContain('Programme exclusion, 17 Jul 2019');
    // Turkey's rejection is shown beside the exclusion it answers.
    expect(text).toMatch(
      /CLAIMS AND DENIALS\n\n\* Claim – Programme exclusion, 17 Jul 2019: .+\n {2}Denial, 18 Jul 2019: /,
    );
    expect(text).not.toContain('&amp;');

    // Old news is not this week's news: the first S-400 parts (12 July) belong to 2019-W28.
    expect(text).not.toMatch(/first components of Russia's S-400/);
  });

  it('run again, stores nothing twice and sends no second digest for the week', async () => {
    const { tableStores } = await import('../../local/table-stores.js');
    const { developments, deliveries } = tableStores(runtime.aws.table);
    const window = { from: '2019-07-01T00:00:00Z', to: '2019-08-01T00:00:00Z' };
    const before = await developments.developmentsFirstReported(
      runtime.story.id,
      window.from,
      window.to,
    );
    const eventsBefore = await storedEventCount();
    expect(eventsBefore).toBeGreaterThan(0);

    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ queued: 0, failures: [] });
    expect(discovered.alreadyKnown).toBeGreaterThanOrEqual(12);
    expect(await runtime.drainFetchQueue(quiet)).toMatchObject({ delivered: 0 });

    // The ledger tells when a week's digest first went out, for late finds of the next week.
    expect(await deliveries.firstSentAt(runtime.story.id, WEEK)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await deliveries.firstSentAt(runtime.story.id, '2019-W30')).toBeUndefined();
    // The status box reads each strand's latest development as of a day, one item each.
    expect(
      await developments.latestOfType(runtime.story.id, 'DELIVERY', '2019-07-21'),
    ).toMatchObject({
      date: '2019-07-14',
      headline: expect.stringMatching(/S-400/),
    });
    // As of the 13th, the latest report of a delivery: the digest clusters reports into
    // developments (one report dates the 12 July delivery to the 13th).
    expect(
      (await developments.latestOfType(runtime.story.id, 'DELIVERY', '2019-07-13'))?.date,
    ).toMatch(/^2019-07-1[23]$/);
    expect(
      await developments.latestOfType(runtime.story.id, 'SANCTION', '2019-07-21'),
    ).toBeUndefined();

    const again = await runtime.digest({ week: WEEK });
    expect(again).toMatchObject({ queuedNow: 0, delivery: { sent: 1, pending: 0 } });
    expect(await sentEmails()).toHaveLength(1);

    // Re-processing the archive (no network) replaces events instead of adding to them.
    const reprocessed = await runtime.handlers.backfill.handler({ reprocess: true });
    expect(reprocessed).toMatchObject({ reprocessFailed: [], queued: 0 });
    expect(reprocessed.reprocessed).toBe(discovered.alreadyKnown);

    const after = await developments.developmentsFirstReported(
      runtime.story.id,
      window.from,
      window.to,
    );
    const sourcesOf = (developments: typeof before) =>
      developments.map((development) => `${development.id}:${development.sources.length}`).sort();
    expect(sourcesOf(after)).toEqual(sourcesOf(before));
    expect(await storedEventCount()).toBe(eventsBefore);
  });

  it('touches only the table partitions each handler is granted (dynamodb:LeadingKeys)', async () => {
    const during = async (name: keyof typeof TABLE_ACCESS, work: () => Promise<unknown>) => {
      recording = name;
      try {
        await work();
      } finally {
        recording = undefined;
      }
    };
    await during('discover', () => runtime.handlers.discover.handler());
    // One known article again through the fetch handler: it archives, stores and analyses it.
    const [source] = runtime.story.sources;
    const url = `${new URL(source ? sourceUrl(source) : '').origin}/meridian-defence/news/us-suspends-turkey-f35-programme-s400.html`;
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.aws.queueUrl,
        MessageBody: JSON.stringify({
          storyId: runtime.story.id,
          sourceId: 'meridian-defence',
          url,
          firstSeenAt: new Date().toISOString(),
        }),
      }),
    );
    sqs.destroy();
    await during('fetch', () => runtime.drainFetchQueue(quiet));
    await during('backfill', () => runtime.handlers.backfill.handler({ reprocess: true }));
    await during('backfill', () => runtime.handlers.backfill.handler({ urls: [url] }));
    await during('digest', () => runtime.handlers.digest.handler({ week: '2019-W28' }));
    // The week's one batch, as the delivery queue's event source hands it to a sender.
    await during('deliver', () => runtime.drainDeliveryQueue());

    const partitions = partitionPatterns(runtime.story.id);
    for (const [name, kinds] of Object.entries(TABLE_ACCESS)) {
      const keys = [...(touched.get(name) ?? [])];
      expect(keys.length, name).toBeGreaterThan(0);
      const outside = keys.filter(
        (key) =>
          key !== 'index:byFirstReported' &&
          !kinds.some((kind) => matchesPattern(key, partitions[kind])),
      );
      expect([name, outside]).toEqual([name, []]);
    }
    // The one index query is the digest's, on the index it is granted by name.
    expect([...touched.entries()].filter(([, keys]) => keys.has('index:byFirstReported'))).toEqual([
      ['digest', expect.any(Set)],
    ]);
  });
});

function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The partition keys of the items a DynamoDB request reads or writes (`index:<name>` for an index query). */
function partitionKeysOf(request: ProxiedRequest): string[] {
  type Key = { pk?: { S?: string } };
  const input = JSON.parse(request.body || '{}') as {
    Key?: Key;
    Item?: Key;
    IndexName?: string;
    ExpressionAttributeValues?: Record<string, { S?: string }>;
    RequestItems?: Record<string, { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[]>;
    TransactItems?: Record<string, { Key?: Key; Item?: Key }>[];
  };
  const pk = (key: Key | undefined) => (key?.pk?.S ? [key.pk.S] : []);
  switch (request.operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return pk(input.Key);
    case 'PutItem':
      return pk(input.Item);
    case 'Query':
      return input.IndexName
        ? [`index:${input.IndexName}`]
        : [input.ExpressionAttributeValues?.[':pk']?.S ?? '(no :pk)'];
    case 'BatchWriteItem':
      return Object.values(input.RequestItems ?? {}).flatMap((requests) =>
        requests.flatMap((entry) => [
          ...pk(entry.PutRequest?.Item),
          ...pk(entry.DeleteRequest?.Key),
        ]),
      );
    case 'TransactWriteItems':
      return (input.TransactItems ?? []).flatMap((entry) =>
        Object.values(entry).flatMap((action) => [...pk(action.Key), ...pk(action.Item)]),
      );
    default:
      return [`(${request.operation})`];
  }
}
