import { z } from 'zod';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { loadDigestTemplates } from '../adapters/template-files.js';
import { ConfigError } from '../core/errors.js';
import { previousWeek } from '../core/iso-week.js';
import { DigestRenderer } from '../core/render-digest.js';
import { sendDigest } from '../core/use-cases/send-digest.js';
import { parsePayload } from '../core/validation.js';
import { readEnvironment } from './environment.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'BUCKET_NAME', 'TEMPLATES_DIR']);
// Only the story: the digest neither fetches nor extracts.
const story = loadStoryFile(env.STORY_PATH);
const recipients = parseRecipients(process.env.SUBSCRIBERS ?? '');
const log = new PowertoolsLog();
const deps = {
  store: new DynamoStore(env.TABLE_NAME),
  archive: new S3Archive(env.BUCKET_NAME),
  mailer: new SesMailer(process.env.SES_CONFIGURATION_SET || undefined),
  renderer: new DigestRenderer(loadDigestTemplates(env.TEMPLATES_DIR), story.digest.subject),
  log,
  now: () => new Date(),
};

/** The schedule sends no `week` (the last complete week); an operator may name one. */
const digestEventSchema = z.looseObject({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2019-W28')
    .optional(),
});

export interface DigestResult {
  readonly week: string;
  readonly developments: number;
  readonly archived: string;
  readonly sent: number;
  readonly alreadySent: number;
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
}

export async function handler(event: unknown): Promise<DigestResult> {
  const parsed = parsePayload(digestEventSchema, event ?? {}, 'digest event');
  const week = parsed.week ?? previousWeek(deps.now(), story.timeZone);
  const outcome = await sendDigest(story, week, recipients, deps);
  return {
    week,
    developments: outcome.developments,
    archived: outcome.htmlKey,
    sent: outcome.sent.length,
    alreadySent: outcome.alreadySent.length,
    failed: outcome.failed,
  };
}

function parseRecipients(list: string): string[] {
  const addresses = list
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const invalid = addresses.filter((address) => !z.email().safeParse(address).success);
  if (invalid.length)
    throw new ConfigError(`SUBSCRIBERS holds invalid address(es): ${invalid.join(', ')}`);
  return addresses;
}
