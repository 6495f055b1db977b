import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ArchivedArticle } from '../../lambdas/core/ports/article-archive.js';
import type { LocalRuntime } from '../../local/local-runtime.js';

/**
 * What a collection cycle left in storage, keyed so that two runs can be compared: articles,
 * events and fingerprints by canonical URL (not by article id, which depends on the URL an
 * article was fetched from), developments with the URLs of their sources, coverage counters by
 * week, the archive's objects, and the week's digest as `digest --format json` prints it.
 */
export interface PipelineState {
  /** ARTICLE items per canonical URL. */
  readonly articles: Record<string, number>;
  /**
   * Per canonical URL, the events its archived copy holds: `<nnn> <type> <role> <date>`, sorted
   * (duplicates kept).
   */
  readonly events: Record<string, string[]>;
  /** Fingerprint items per canonical URL. */
  readonly fingerprints: Record<string, number>;
  /** Per development, the canonical URLs of its sources, sorted (duplicates kept). */
  readonly developmentSources: Record<string, string[]>;
  /** Per week, the articles counted in it by outcome (COVERAGE#<story> marks). */
  readonly coverage: Record<string, Record<string, number>>;
  /** Objects in the bucket by prefix (`raw`, `articles`). */
  readonly archived: Record<string, number>;
  /** The week's digest (digestJson), parsed. */
  readonly digest: unknown;
}

/** Clients on the real servers, behind no proxy: the test's reads are neither counted nor faulted. */
function clients(runtime: LocalRuntime) {
  const env = runtime.aws.environment;
  const config = {
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  return {
    documents: DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...config, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    ),
    s3: new S3Client({ ...config, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true }),
  };
}

/** Every item of the table, page by page (tests only: the pipeline itself never scans). */
export async function scanTable(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  table: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function scanAll(runtime: LocalRuntime): Promise<Record<string, unknown>[]> {
  const { documents } = clients(runtime);
  try {
    return await scanTable(documents, runtime.aws.table);
  } finally {
    documents.destroy();
  }
}

async function objectKeys(runtime: LocalRuntime, prefix?: string): Promise<string[]> {
  const { s3 } = clients(runtime);
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({
          Bucket: runtime.aws.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    s3.destroy();
  }
  return keys;
}

/** The clean articles the archive holds (`articles/<id>.json`), events included. */
export async function archivedArticles(runtime: LocalRuntime): Promise<ArchivedArticle[]> {
  const { s3 } = clients(runtime);
  try {
    return await Promise.all(
      (await objectKeys(runtime, 'articles/')).map(async (key) => {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: runtime.aws.bucket, Key: key }),
        );
        return JSON.parse((await object.Body?.transformToString()) ?? '{}') as ArchivedArticle;
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** Writes an archived clean article back as it is given (a test ageing what was stored). */
export async function rewriteArchivedArticle(
  runtime: LocalRuntime,
  article: ArchivedArticle,
): Promise<void> {
  const { s3 } = clients(runtime);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: runtime.aws.bucket,
        Key: `articles/${article.id}.json`,
        Body: JSON.stringify(article),
        ContentType: 'application/json',
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** Empties the table and the bucket, so the next cycle starts from nothing. */
export async function wipeStorage(runtime: LocalRuntime): Promise<void> {
  const items = await scanAll(runtime);
  const { documents, s3 } = clients(runtime);
  try {
    for (let start = 0; start < items.length; start += 25) {
      const deletes = items
        .slice(start, start + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      const result = await documents.send(
        new BatchWriteCommand({ RequestItems: { [runtime.aws.table]: deletes } }),
      );
      if (Object.keys(result.UnprocessedItems ?? {}).length) throw new Error('wipe: unprocessed');
    }
    for (const key of await objectKeys(runtime)) {
      await s3.send(new DeleteObjectCommand({ Bucket: runtime.aws.bucket, Key: key }));
    }
  } finally {
    documents.destroy();
    s3.destroy();
  }
}

export async function pipelineState(runtime: LocalRuntime, week: string): Promise<PipelineState> {
  const items = await scanAll(runtime);
  const urlOf = new Map<string, string>();
  for (const item of items) {
    if (item.sk === 'ARTICLE') urlOf.set(String(item.id), String(item.url));
  }
  // An item of an article with no ARTICLE item (an orphan) is kept, under its id.
  const url = (articleId: unknown) => urlOf.get(String(articleId)) ?? `orphan:${articleId}`;
  const articles: Record<string, number> = {};
  const events: Record<string, string[]> = {};
  const fingerprints: Record<string, number> = {};
  const developmentSources: Record<string, string[]> = {};
  const coverage: Record<string, Record<string, number>> = {};
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (sk === 'ARTICLE') increment(articles, String(item.url));
    else if (pk.startsWith('FP#')) increment(fingerprints, url(item.articleId));
    else if (pk.startsWith('DEV#') && sk === 'DEV') {
      const { url } = item.source as { url: string };
      append(developmentSources, pk.slice('DEV#'.length), url);
    } else if (pk.startsWith('COVERAGE#')) {
      const week = String(item.week);
      coverage[week] ??= {};
      increment(coverage[week], String(item.outcome));
    }
  }
  for (const article of await archivedArticles(runtime)) {
    for (const event of article.events) {
      const index = event.id.split('#').at(-1);
      append(events, article.url, `${index} ${event.type} ${event.role} ${event.date}`);
    }
  }
  for (const list of [...Object.values(events), ...Object.values(developmentSources)]) list.sort();
  const archived: Record<string, number> = {};
  for (const key of await objectKeys(runtime)) increment(archived, key.split('/')[0] ?? '');
  return {
    articles,
    events,
    fingerprints,
    developmentSources,
    coverage,
    archived,
    digest: await digestOf(runtime, week),
  };
}

/** The week's digest as composed for sending, read through the handlers' own store. */
async function digestOf(runtime: LocalRuntime, week: string): Promise<unknown> {
  const { tableStores } = await import('../../local/table-stores.js');
  const { composeDigest } = await import('../../lambdas/core/6-digest/compose-digest.js');
  const { digestJson } = await import('../../lambdas/core/6-digest/digest.js');
  const stores = tableStores(runtime.aws.table);
  return JSON.parse(digestJson(await composeDigest(runtime.story, week, stores)));
}

function append(lists: Record<string, string[]>, key: string, value: string): void {
  lists[key] = [...(lists[key] ?? []), value];
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
