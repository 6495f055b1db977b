import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoryFileError } from '../lambdas/core/model/errors.js';
import { parseStory, type Story } from '../lambdas/core/model/story.js';
import * as z from '../lambdas/core/model/zod.js';

/** The story the app deploys when no `-c story=<file>` is given. */
export const DEFAULT_STORY_FILE = 'stories/s400-turkey.json';

/** Everything `bin/app.ts` needs, read from CDK context and the story file. */
export interface AppConfig {
  /** Absolute path of the story file. */
  readonly storyFile: string;
  readonly story: Story;
  readonly subscribers: readonly string[];
  /** The SES identity (domain or address) the digest is sent through. */
  readonly sesIdentity: string;
  /** Subscribed to the alarm topic, when given. */
  readonly alarmEmail?: string;
}

/**
 * Reads and validates a story file (`label`: how errors name it). Errors name the file and, for schema problems, the offending
 * field (`story file stories/x.json: digest.sender: Invalid email address`).
 */
export function loadStory(path: string, label: string = path): Story {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StoryFileError(label, `cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseStory(text, label);
}

/**
 * Builds the app's configuration from context values (`story`, `subscribers`, `sesIdentity`,
 * `alarmEmail`).
 * `getContext` is `app.node.tryGetContext`; paths are resolved against `cwd`.
 */
export function loadAppConfig(
  getContext: (key: string) => unknown,
  cwd: string = process.cwd(),
): AppConfig {
  const storyArg = getContext('story') ?? DEFAULT_STORY_FILE;
  if (typeof storyArg !== 'string' || storyArg.trim() === '') {
    throw new Error('context "story" must be the path of a story file');
  }
  const storyFile = resolve(cwd, storyArg);
  const story = loadStory(storyFile, storyArg);
  return {
    storyFile,
    story,
    subscribers: parseSubscribers(getContext('subscribers')),
    sesIdentity: parseSesIdentity(getContext('sesIdentity'), story.digest.sender),
    ...parseAlarmEmail(getContext('alarmEmail')),
  };
}

/** The optional `alarmEmail` context value: one address, checked here rather than by SNS at deploy. */
export function parseAlarmEmail(value: unknown): { alarmEmail?: string } {
  if (value === undefined || value === null || value === '') return {};
  const address = typeof value === 'string' ? value.trim() : '';
  if (!email.safeParse(address).success) {
    throw new Error(`context "alarmEmail" must be one email address, not ${JSON.stringify(value)}`);
  }
  return { alarmEmail: address };
}

const email = z.email();

/** `"a@x.org, b@y.org"` or `["a@x.org"]` → validated, de-duplicated addresses. */
export function parseSubscribers(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (parts === null) {
    throw new Error('context "subscribers" must be a comma-separated list of email addresses');
  }
  const addresses = parts.map((part) => String(part).trim()).filter((part) => part !== '');
  const invalid = addresses.filter((address) => !email.safeParse(address).success);
  if (invalid.length > 0) {
    throw new Error(`context "subscribers": not an email address: ${invalid.join(', ')}`);
  }
  return [...new Set(addresses)];
}

/**
 * The SES identity must be able to send as the story's sender: the sender address itself, its
 * domain, or a parent domain of it. Default: the sender's domain.
 */
export function parseSesIdentity(value: unknown, sender: string): string {
  const senderDomain = sender.slice(sender.lastIndexOf('@') + 1).toLowerCase();
  if (value === undefined || value === null || value === '') return senderDomain;
  if (typeof value !== 'string' || /\s/.test(value)) {
    throw new Error('context "sesIdentity" must be a domain or an email address');
  }
  const identity = value.trim().toLowerCase();
  const covers = identity.includes('@')
    ? identity === sender.toLowerCase()
    : senderDomain === identity || senderDomain.endsWith(`.${identity}`);
  if (!covers) {
    throw new Error(
      `context "sesIdentity" (${value}) cannot send as the story's digest.sender (${sender})`,
    );
  }
  return identity;
}
