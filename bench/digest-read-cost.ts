/**
 * What building one week's digest reads from DynamoDB, with a short and a long history stored:
 * the same 12 recent weeks (5 developments a week, each with one source) and, before them, the
 * rest of the history spread over 20 years. The count comes from the SDK client itself (items
 * returned by every Query and GetItem), through the same adapters the digest Lambda uses.
 *
 *   npm run bench            (or: npx tsx bench/digest-read-cost.ts [100 100000])
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { type DevelopmentReport, mentionId } from '../lambdas/core/5-cluster/developments.js';
import { addDays, mondayOf, weekWindow } from '../lambdas/core/model/iso-week.js';
import { BASE_EVENT_TYPES } from '../lambdas/core/model/records.js';
import { startLocalAws } from '../local/local-aws.js';
import { DEFAULT_STORY } from '../local/project-paths.js';

const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
const HISTORIES = SIZES.length ? SIZES : [100, 100_000];
const WEEK = '2026-W46';
const RECENT_WEEKS = 12;
const PER_RECENT_WEEK = 5;
const HISTORY_DAYS = 20 * 365;
const WRITERS = 48;

// Local development runs on Node 20 (Lambda on 24); the SDK's notice about it is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dataDir = mkdtempSync(join(tmpdir(), 'story-digest-bench-'));
const aws = await startLocalAws({ dataDir, persistent: false });
Object.assign(process.env, aws.environment);
// Imported once the endpoints are set: the adapters create their clients on import.
const { documents } = await import('../lambdas/adapters/dynamo-documents.js');
const { tableStores } = await import('../local/table-stores.js');
const { developmentPartition, developmentsIndexPartition, strandPartition } = await import(
  '../lambdas/adapters/table-layout.js'
);
const { composeDigest } = await import('../lambdas/core/6-digest/compose-digest.js');

const reads = { requests: 0, items: 0 };
documents.middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    const output = result.output as { Items?: unknown[]; Item?: unknown };
    reads.requests += 1;
    reads.items += output.Items?.length ?? (output.Item ? 1 : 0);
    return result;
  },
  { step: 'initialize', name: 'countItemsRead' },
);

const stores = tableStores(aws.table);
const baseStory = loadStoryFile(DEFAULT_STORY);
const weekStart = Date.parse(weekWindow(WEEK, baseStory.timeZone).from);

function report(storyId: string, index: number, reportedAt: number): DevelopmentReport {
  const type = BASE_EVENT_TYPES[index % BASE_EVENT_TYPES.length] ?? 'STATEMENT';
  const instant = new Date(reportedAt).toISOString();
  const date = instant.slice(0, 10);
  const id = mentionId(storyId, `article-${index}`);
  return {
    development: {
      id,
      storyId,
      type,
      date,
      precision: 'day',
      actors: ['Turkey', 'Russia'],
      people: [],
      systems: ['S-400'],
      ...(index % 7 === 0 ? { amount: 'USD 2.5 billion' } : {}),
      summary: `Development ${index} of the bench history, told in one sentence.`,
      firstReportedAt: instant,
    },
    source: {
      articleId: `${storyId}-article-${index}`,
      url: `https://news.example.com/${storyId}/${index}`,
      outlet: 'Example News',
      title: `Headline of development ${index}`,
      publishedAt: instant,
      seenAt: instant,
      aboutIt: true,
    },
  };
}

/**
 * The recent weeks go through `recordDevelopment`, the path the fetch Lambda takes. The older
 * history is written in batches of the same items (a development, its report, its per-type
 * index entry: the keys of table-layout.ts), since 100,000 developments one by one would take
 * DynamoDB Local minutes; a digest of an old week then checks that they are found like the rest.
 */
async function load(storyId: string, size: number): Promise<number> {
  const recent = Math.min(RECENT_WEEKS * PER_RECENT_WEEK, size);
  const spacing = (RECENT_WEEKS * 7 * 86_400_000) / recent;
  const started = performance.now();
  const newest = Array.from({ length: recent }, (_, index) =>
    report(storyId, index, weekStart + 7 * 86_400_000 - (index + 1) * spacing),
  );
  await Promise.all(newest.map((item) => stores.developments.recordDevelopment(item)));
  const older = size - recent;
  const items = Array.from({ length: older }, (_, offset) => {
    const reportedAt =
      weekStart -
      RECENT_WEEKS * 7 * 86_400_000 -
      ((offset + 1) / older) * HISTORY_DAYS * 86_400_000;
    const { development, source } = report(storyId, recent + offset, reportedAt);
    const pk = developmentPartition(development.id);
    return [
      { pk, sk: `SOURCE#${source.articleId}`, ...source },
      {
        pk,
        sk: 'DEV',
        ...development,
        gsi1pk: developmentsIndexPartition(storyId),
        gsi1sk: `${development.firstReportedAt}#${development.id}`,
      },
      {
        pk: strandPartition(storyId, development.type),
        sk: `${development.date}#${development.id}`,
        developmentId: development.id,
        date: development.date,
        summary: development.summary,
        title: source.title,
      },
    ];
  }).flat();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < items.length) {
        const batch = items.slice(next, next + 25);
        next += 25;
        let unprocessed: Record<string, unknown[]> | undefined = {
          [aws.table]: batch.map((Item) => ({ PutRequest: { Item } })),
        };
        while (unprocessed && Object.keys(unprocessed).length) {
          const result = await documents.send(
            new BatchWriteCommand({ RequestItems: unprocessed as never }),
          );
          unprocessed = result.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

try {
  const rows: string[] = [];
  let reference: { items: number; requests: number } | undefined;
  for (const size of HISTORIES) {
    const storyId = `bench-${size}`;
    const seconds = await load(storyId, size);
    const story = { ...baseStory, id: storyId };
    reads.requests = 0;
    reads.items = 0;
    const digest = await composeDigest(story, WEEK, stores);
    const measured = { ...reads };
    const oldWeek = await composeDigest(story, '2016-W10', stores);
    if (size > 10_000 && oldWeek.items.length + oldWeek.exchanges.length === 0) {
      throw new Error(
        'the batch-written history is not found by the digest: its items drifted from the store',
      );
    }
    reference ??= measured;
    rows.push(
      `${String(size).padStart(9)} developments stored (loaded in ${seconds.toFixed(0)} s): ` +
        `${measured.items} items read in ${measured.requests} requests for ${digest.items.length + digest.exchanges.length} new developments` +
        `  ${(measured.items / reference.items).toFixed(2)}× the items of the shortest history`,
    );
  }
  console.log(
    `\none week's digest (${WEEK}, the ${RECENT_WEEKS} weeks before ${addDays(mondayOf(WEEK), 6)} alike in every history)`,
  );
  for (const row of rows) console.log(row);
} finally {
  await aws.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
