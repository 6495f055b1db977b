import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscribers } from '../../lambdas/core/subscribers/manage-subscribers.js';
import type { SubscriberStatus } from '../../lambdas/core/subscribers/subscriber.js';
import { unsubscribeUrl } from '../../lambdas/core/subscribers/unsubscribe-link.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { digestsByRecipient, outboxMessages, sentMessage } from '../support/ses-store.js';

/**
 * Subscribers, one-click unsubscribe and bounce/complaint suppression, end to end on the local
 * servers: DynamoDB Local, the SES emulator, the web function behind its local Function URL.
 */
const SEED = ['seed@example.org', 'Leaver@Example.org'];
const STORY = 's400-turkey';

describe('subscribers and unsubscribing', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let secret: string;
  type Store = import('../../lambdas/adapters/dynamo-subscribers.js').DynamoSubscriberStore;
  let store: Store;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-subscribers-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: false,
      subscribers: SEED,
    });
    secret = readFileSync(join(dataDir, 'unsubscribe-secret'), 'utf8').trim();
    const { DynamoSubscriberStore } = await import('../../lambdas/adapters/dynamo-subscribers.js');
    store = new DynamoSubscriberStore(runtime.aws.table);
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const statusOf = async (address: string): Promise<SubscriberStatus | undefined> =>
    (await store.getSubscriber(STORY, address))?.status;
  const linkFor = (address: string) =>
    unsubscribeUrl({ baseUrl: runtime.web.url, secret }, STORY, address);
  const post = (url: string, body = 'List-Unsubscribe=One-Click') =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('seeds the stack’s addresses, sends to active subscribers only, with their own one-click link', async () => {
    await addSubscribers(STORY, ['pending-is-not-mailed@example.org'], {
      subscribers: store,
      now: () => new Date(),
    });
    await store.unsubscribe(STORY, 'pending-is-not-mailed@example.org', new Date().toISOString());
    const week = '2019-W20';
    const result = await runtime.digest({ week });
    expect(result).toMatchObject({ delivery: { queued: 2, sent: 2, failed: 0, pending: 0 } });
    expect(await statusOf('leaver@example.org')).toBe('active'); // normalised to lower case

    const emails = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    expect([...emails.keys()].sort()).toEqual(['leaver@example.org', 'seed@example.org']);
    const [email] = emails.get('seed@example.org') ?? [];
    const link = linkFor('seed@example.org');
    // The headers as sent, from the local outbox (the emulator's store keeps none of a raw message's).
    const sent = sentMessage(runtime.aws.outbox.directory, email?.messageId ?? '');
    expect(sent.header('List-Unsubscribe')).toBe(`<${link}>`);
    expect(sent.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // The footer carries the same link (entity-escaped in the HTML part).
    expect(email?.body.text).toContain(link);
    const href = /href="([^"]*\/unsubscribe\?[^"]*)"/.exec(email?.body.html ?? '')?.[1] ?? '';
    expect(href.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=')).toBe(link);
    expect(link).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?story=s400-turkey&address=seed%40example\.org&token=[\w-]{43}$/,
    );
  });

  it('builds a MIME message that is multipart/alternative, text before HTML, lines ≤ 998, with both unsubscribe headers', async () => {
    const emails = await digestsByRecipient(runtime.aws.sesEndpoint, '2019-W20');
    const [email] = emails.get('seed@example.org') ?? [];
    const mime = sentMessage(runtime.aws.outbox.directory, email?.messageId ?? '').raw;
    const blank = mime.indexOf('\r\n\r\n');
    expect(blank).toBeGreaterThan(0);
    const head = mime.slice(0, blank);
    const body = mime.slice(blank + 4);
    const headers = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    expect(headers).toContain(`List-Unsubscribe: <${linkFor('seed@example.org')}>`);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const contentType = headers.find((line) => /^content-type:/i.test(line)) ?? '';
    expect(contentType).toMatch(/^Content-Type: multipart\/alternative;\s*boundary=/i);
    const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1] ?? '';
    const parts = body
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => /content-type:\s*([\w/]+)/i.exec(part)?.[1]?.toLowerCase());
    expect(parts).toEqual(['text/plain', 'text/html']);
    const longest = Math.max(...mime.split('\r\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(998);
  });

  it('previews a week to given addresses only: marked as a preview, nothing recorded or archived', async () => {
    const week = '2019-W25';
    const before = outboxMessages(runtime.aws.outbox.directory).length;
    const preview = await runtime.handlers.digest.handler({
      week,
      preview: ['Editor@example.org'],
    });
    expect(preview).toEqual({ week, developments: 0, preview: ['editor@example.org'], failed: [] });
    const [sent, ...more] = outboxMessages(runtime.aws.outbox.directory).slice(before);
    expect(more).toEqual([]);
    expect(sent?.header('To')).toBe('editor@example.org');
    expect(sent?.header('Subject')).toMatch(/^\[Preview\] S-400 & Turkey, week 2019-W25: /);
    // Not a subscriber's copy: no unsubscribe link, in the headers or the footer.
    expect(sent?.header('List-Unsubscribe')).toBeUndefined();
    expect(sent?.text).not.toContain('/unsubscribe?');
    // Nothing recorded: no delivery, no web copy, no subscriber.
    const { DynamoDeliveryLedger } = await import(
      '../../lambdas/adapters/dynamo-delivery-ledger.js'
    );
    expect(
      await new DynamoDeliveryLedger(runtime.aws.table).firstSentAt(STORY, week),
    ).toBeUndefined();
    expect((await fetch(`${runtime.web.url}digests/${STORY}/${week}`)).status).toBe(404);
    expect(await statusOf('editor@example.org')).toBeUndefined();
    // The week then goes out as scheduled, to every subscriber and only to them.
    expect(await runtime.digest({ week })).toMatchObject({
      delivery: { sent: 2, failed: 0, pending: 0 },
    });
    const scheduled = outboxMessages(runtime.aws.outbox.directory).slice(before + 1);
    expect(scheduled.map((message) => message.header('To')).sort()).toEqual([
      'leaver@example.org',
      'seed@example.org',
    ]);
    expect(scheduled.every((message) => !message.header('Subject')?.includes('Preview'))).toBe(
      true,
    );
    expect((await fetch(`${runtime.web.url}digests/${STORY}/${week}`)).status).toBe(200);
  });

  it('GET shows a confirmation page and changes nothing; the one-click POST unsubscribes', async () => {
    const link = linkFor('leaver@example.org');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await statusOf('leaver@example.org')).toBe('active');

    const done = await post(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('will get no more');
    const leaver = await store.getSubscriber(STORY, 'leaver@example.org');
    expect(leaver).toMatchObject({ status: 'unsubscribed', unsubscribedAt: expect.any(String) });
    // Twice is harmless.
    expect((await post(link)).status).toBe(200);

    // Never sent to again, and the seed (which still lists the address) does not bring it back.
    const week = '2019-W21';
    expect(await runtime.digest({ week })).toMatchObject({ delivery: { queued: 1, sent: 1 } });
    expect([...(await digestsByRecipient(runtime.aws.sesEndpoint, week)).keys()]).toEqual([
      'seed@example.org',
    ]);
    expect(await statusOf('leaver@example.org')).toBe('unsubscribed');
  });

  it('answers a bad or missing token with 403 / 400 and changes nothing', async () => {
    const link = new URL(linkFor('seed@example.org'));
    const forged = new URL(link);
    forged.searchParams.set('token', `${link.searchParams.get('token')?.slice(0, -2)}xx`);
    const otherAddress = new URL(link);
    otherAddress.searchParams.set('address', 'someone-else@example.org');
    for (const url of [forged, otherAddress]) {
      const response = await post(url.toString());
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Nothing was changed');
    }
    const noToken = new URL(link);
    noToken.searchParams.delete('token');
    const missing = await post(noToken.toString());
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('lacks its token');
    const otherStory = new URL(link);
    otherStory.searchParams.set('story', 'another-story');
    expect((await fetch(otherStory)).status).toBe(400);
    expect((await fetch(new URL('/elsewhere', link))).status).toBe(404);
    expect((await fetch(link, { method: 'PUT' })).status).toBe(405);
    expect(await statusOf('seed@example.org')).toBe('active');
    expect(await statusOf('someone-else@example.org')).toBeUndefined();
  });

  it('unsubscribes on any POST to a signed link: urlencoded, multipart/form-data (RFC 8058’s SHOULD), empty', async () => {
    const readers = ['urlencoded', 'multipart', 'empty', 'other-body'].map(
      (kind) => `${kind}@example.org`,
    );
    await addSubscribers(STORY, readers, { subscribers: store, now: () => new Date() });
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    const [urlencoded, asMultipart, empty, otherBody] = readers.map(linkFor) as [
      string,
      string,
      string,
      string,
    ];
    const answers = await Promise.all([
      post(urlencoded),
      // fetch sends FormData as multipart/form-data with its boundary, as a mail client would.
      fetch(asMultipart, { method: 'POST', body: multipart }),
      fetch(empty, { method: 'POST' }),
      post(otherBody, 'unsubscribe=yes'),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    for (const address of readers) expect(await statusOf(address), address).toBe('unsubscribed');

    // The signature still decides: a multipart POST to a forged link changes nothing.
    const forged = new URL(linkFor('seed@example.org'));
    forged.searchParams.set('token', `${forged.searchParams.get('token')?.slice(0, -2)}xx`);
    const refused = await fetch(forged, { method: 'POST', body: multipart });
    expect(refused.status).toBe(403);
    expect(await statusOf('seed@example.org')).toBe('active');
  });

  it('suppresses hard bounces and complaints from SES notifications, ignores transient bounces', async () => {
    await addSubscribers(STORY, ['hard@example.org', 'soft@example.org', 'angry@example.org'], {
      subscribers: store,
      now: () => new Date(),
    });
    const notifications = [
      {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'Hard@example.org', status: '5.1.1' }],
          timestamp: '2019-07-22T06:00:01.000Z',
        },
        mail: { messageId: 'm-1', destination: ['hard@example.org'] },
      },
      {
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 'soft@example.org' }],
        },
        mail: { messageId: 'm-2' },
      },
      {
        notificationType: 'Complaint',
        complaint: {
          complaintFeedbackType: 'abuse',
          complainedRecipients: [{ emailAddress: 'angry@example.org' }],
        },
        mail: { messageId: 'm-3' },
      },
      { eventType: 'Delivery', delivery: { recipients: ['seed@example.org'] }, mail: {} },
    ];
    const outcomes = await runtime.handlers.sesEvents.handler({
      Records: notifications.map((notification) => ({
        EventSource: 'aws:sns',
        Sns: { Type: 'Notification', Message: JSON.stringify(notification) },
      })),
    });
    expect(outcomes).toEqual([
      { kind: 'Bounce', suppressed: ['hard@example.org'] },
      { kind: 'Bounce', suppressed: [], ignored: 'a Transient bounce' },
      { kind: 'Complaint', suppressed: ['angry@example.org'] },
      { kind: 'Delivery', suppressed: [], ignored: 'a Delivery notification' },
    ]);
    expect(await store.getSubscriber(STORY, 'hard@example.org')).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'bounce: Permanent/General',
      suppressedAt: expect.any(String),
    });
    expect(await store.getSubscriber(STORY, 'angry@example.org')).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'complaint: abuse',
    });
    expect(await statusOf('soft@example.org')).toBe('active');

    // Neither an operator's add nor an unsubscribe link revives or rewrites a suppressed address.
    const again = await addSubscribers(STORY, ['hard@example.org'], {
      subscribers: store,
      now: () => new Date(),
    });
    expect(again.added).toEqual([]);
    expect((await post(linkFor('angry@example.org'))).status).toBe(200);
    expect(await statusOf('angry@example.org')).toBe('suppressed');

    const week = '2019-W22';
    await runtime.digest({ week });
    expect([...(await digestsByRecipient(runtime.aws.sesEndpoint, week)).keys()].sort()).toEqual([
      'seed@example.org',
      'soft@example.org',
    ]);
  });

  it('rejects an SNS event that is not one, naming what is wrong', async () => {
    await expect(runtime.handlers.sesEvents.handler({ Records: [] })).rejects.toThrow(
      /SNS event: Records/,
    );
    await expect(
      runtime.handlers.sesEvents.handler({ Records: [{ Sns: { Message: 'not json' } }] }),
    ).rejects.toThrow(/Records\[0\]\.Sns\.Message is not JSON/);
  });
});
