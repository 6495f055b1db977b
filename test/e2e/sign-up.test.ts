import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUESTS_PER_SOURCE_PER_HOUR } from '../../lambdas/core/subscribers/sign-up.js';
import type { SubscriberStatus } from '../../lambdas/core/subscribers/subscriber.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { emailProblems } from '../support/email-checks.js';
import { quiet } from '../support/memory/log.js';
import { digestsByRecipient, outboxMessages, type SentMessage } from '../support/ses-store.js';

/**
 * Sign-up with double opt-in, end to end on the local servers: the form served by the web
 * handler behind its local Function URL, the pending subscriber and the per-source counts in
 * DynamoDB Local, the confirmation email read back from the local outbox, the confirmation page,
 * and the next digest reaching the new address.
 */
const STORY = 's400-turkey';
const WEEK = '2019-W29';
const READER = 'reader@example.com';
const NEWCOMER = 'newcomer@example.org';
const FORMER = 'former@example.org';

describe('sign-up on the web function', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let formUrl: string;
  type Store = import('../../lambdas/adapters/dynamo-subscribers.js').DynamoSubscriberStore;
  let store: Store;
  /**
   * Sign-up requests counted so far: they all come from 127.0.0.1, one source (a filled hidden
   * field is not counted: it costs nothing).
   */
  let requests = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-sign-up-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [READER],
      persistent: false,
    });
    const { DynamoSubscriberStore } = await import('../../lambdas/adapters/dynamo-subscribers.js');
    store = new DynamoSubscriberStore(runtime.aws.table);
    formUrl = `${runtime.web.url}subscribe/${STORY}`;
    await runtime.handlers.discover.handler();
    await runtime.drainFetchQueue(quiet);
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const statusOf = async (address: string): Promise<SubscriberStatus | undefined> =>
    (await store.getSubscriber(STORY, address))?.status;
  const post = (url: string, fields: Record<string, string>) => {
    if (url === formUrl && !fields.website) requests += 1;
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  };
  const messagesTo = (address: string): SentMessage[] =>
    outboxMessages(runtime.aws.outbox.directory).filter((message) =>
      message.header('To')?.includes(address),
    );

  it('form → confirmation email in the outbox → confirm → the next digest reaches the address', async () => {
    const form = await fetch(formUrl);
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.headers.get('content-security-policy')).toContain("form-action 'self'");
    const formHtml = await form.text();
    expect(formHtml).toContain(`<form method="post" action="/subscribe/${STORY}">`);
    expect(formHtml).toMatch(/<input id="address" name="address" type="email" required/);

    const answer = await post(formUrl, { address: NEWCOMER, website: '' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Check your inbox');
    expect(await statusOf(NEWCOMER)).toBe('pending');

    const [message, ...more] = messagesTo(NEWCOMER);
    expect(more).toEqual([]);
    expect(message?.header('Subject')).toBe(
      "Confirm your subscription to Russia's S-400 sale to Turkey",
    );
    expect(message?.header('List-Unsubscribe')).toBeUndefined();
    expect(await emailProblems(message?.html ?? '')).toEqual([]);
    const link = /^http:\/\/127\.0\.0\.1:\d+\/subscribe\/\S+$/m.exec(message?.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(message?.html).toContain(`href="${(link ?? '').replaceAll('&', '&amp;')}"`);

    // What a mail scanner does with the link: a page, nobody subscribed.
    const page = await fetch(link ?? '');
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('<button type="submit">Confirm the subscription</button>');
    expect(await statusOf(NEWCOMER)).toBe('pending');

    const confirmed = await post(link ?? '', {});
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Subscribed');
    expect(await statusOf(NEWCOMER)).toBe('active');

    const result = await runtime.digest({ week: WEEK });
    expect(result).toMatchObject({ delivery: { queued: 2, sent: 2, failed: 0, pending: 0 } });
    const byRecipient = await digestsByRecipient(runtime.aws.sesEndpoint, WEEK);
    expect(byRecipient.get(NEWCOMER)).toHaveLength(1);
  });

  it('links the form from the week’s web copy and the timeline', async () => {
    for (const path of [`digests/${STORY}/${WEEK}`, `timeline/${STORY}`]) {
      const html = await (await fetch(`${runtime.web.url}${path}`)).text();
      expect([path, html]).toEqual([path, expect.stringContaining(`<a href="${formUrl}">`)]);
    }
  });

  it('answers an active, a pending, an unsubscribed and a new address alike, mailing only who may confirm', async () => {
    await post(formUrl, { address: 'pending@example.org' });
    const at = new Date().toISOString();
    await store.addSubscriber({ storyId: STORY, address: FORMER, status: 'active', createdAt: at });
    await store.unsubscribe(STORY, FORMER, at);
    const before = outboxMessages(runtime.aws.outbox.directory).length;
    const answers: string[] = [];
    for (const address of [NEWCOMER, 'pending@example.org', FORMER, 'fresh@example.org']) {
      const response = await post(formUrl, { address });
      answers.push(`${response.status} ${(await response.text()).replaceAll(address, 'ADDRESS')}`);
    }
    expect(new Set(answers).size).toBe(1);
    const mailed = outboxMessages(runtime.aws.outbox.directory)
      .slice(before)
      .map((message) => message.header('To'));
    // The active address needs no link, the pending one had its link this hour.
    expect(mailed).toEqual([FORMER, 'fresh@example.org']);
    // Unsubscribed it stays, until it confirms.
    expect(await statusOf(FORMER)).toBe('unsubscribed');
  });

  it('re-subscribes an unsubscribed address through the same confirmation', async () => {
    const [message] = messagesTo(FORMER);
    const link = /^http:\S+$/m.exec(message?.text ?? '')?.[0] ?? '';
    expect((await post(link, {})).status).toBe(200);
    expect(await statusOf(FORMER)).toBe('active');
  });

  it('does not let a link sent before an unsubscribe undo it', async () => {
    const [first] = messagesTo(NEWCOMER);
    const link = /^http:\S+$/m.exec(first?.text ?? '')?.[0] ?? '';
    await store.unsubscribe(STORY, NEWCOMER, new Date().toISOString());
    const response = await post(link, {});
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('it unsubscribed after this link was sent');
    expect(await statusOf(NEWCOMER)).toBe('unsubscribed');
  });

  it('cannot re-add a suppressed address', async () => {
    await store.suppress(STORY, 'bounced@example.org', new Date().toISOString(), 'hard bounce');
    const response = await post(formUrl, { address: 'bounced@example.org' });
    expect(await response.text()).toContain('Check your inbox');
    expect(messagesTo('bounced@example.org')).toEqual([]);
    expect(await statusOf('bounced@example.org')).toBe('suppressed');
  });

  it('does nothing when the hidden field is filled', async () => {
    const response = await post(formUrl, { address: 'bot@example.org', website: 'http://x.test' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your inbox');
    expect(messagesTo('bot@example.org')).toEqual([]);
    expect(await statusOf('bot@example.org')).toBeUndefined();
  });

  it('limits one source’s requests an hour, counted in the table', async () => {
    while (requests < REQUESTS_PER_SOURCE_PER_HOUR) {
      expect((await post(formUrl, { address: `r${requests}@example.org` })).status).toBe(200);
    }
    const refused = await post(formUrl, { address: 'one-too-many@example.org' });
    expect(refused.status).toBe(429);
    expect(messagesTo('one-too-many@example.org')).toEqual([]);
    expect(await statusOf('one-too-many@example.org')).toBeUndefined();
  });
});
