import { describe, expect, it } from 'vitest';
import type { Mailer, OutgoingEmail } from '../../lambdas/core/ports/mailer.js';
import {
  confirmSignUp,
  REQUESTS_PER_SOURCE_PER_HOUR,
  requestSignUp,
  type SignUpDeps,
  sourceKey,
} from '../../lambdas/core/subscribers/sign-up.js';
import { quiet } from '../support/memory/log.js';
import { MemoryRequestQuota } from '../support/memory/request-quota.js';
import { MemorySubscriberStore } from '../support/memory/subscriber-store.js';

const STORY = 's400-turkey';
const BASE = 'https://abc.lambda-url.eu-west-1.on.aws/';

class KeptMail implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    this.sent.push(email);
    return { messageId: String(this.sent.length) };
  }
}

function setUp() {
  let now = new Date('2026-12-01T10:00:00Z');
  const mail = new KeptMail();
  const subscribers = new MemorySubscriberStore();
  const deps: SignUpDeps = {
    subscribers,
    quota: new MemoryRequestQuota(),
    mailer: mail,
    story: {
      id: STORY,
      title: 'S-400 & Turkey',
      digest: { sender: 'digest@example.com', postalAddress: '1 Example Street, Ankara' },
    },
    secret: 'a-test-secret-of-some-length',
    log: quiet,
    now: () => now,
  };
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const signUp = (address: string, sourceIp = '203.0.113.7', honeypot = '') =>
    requestSignUp({ address, honeypot, sourceIp, baseUrl: BASE }, deps);
  /** The query of the confirmation link in the last email. */
  const lastLink = () => {
    const text = mail.sent.at(-1)?.text ?? '';
    const url = new URL(/https:\S+/.exec(text)?.[0] ?? 'https://none/');
    return Object.fromEntries(url.searchParams) as Record<string, string>;
  };
  const status = async (address: string) =>
    (await subscribers.getSubscriber(STORY, address))?.status;
  return { deps, mail, subscribers, later, signUp, lastLink, status };
}

describe('sign-up with double opt-in', () => {
  it('records a new address as pending and mails it a link whose page confirms only on POST', async () => {
    const { deps, mail, signUp, lastLink, status } = setUp();
    expect(await signUp('Ana@Example.org ')).toEqual({
      kind: 'checkInbox',
      address: 'ana@example.org',
    });
    expect(await status('ana@example.org')).toBe('pending');
    expect(mail.sent).toHaveLength(1);
    const [email] = mail.sent;
    expect(email).toMatchObject({
      from: 'digest@example.com',
      to: 'ana@example.org',
      subject: 'Confirm your subscription to S-400 & Turkey',
    });
    expect(email?.html).toContain('S-400 &amp; Turkey');
    expect(email?.text).toContain(`${BASE}subscribe/${STORY}/confirm?address=ana%40example.org`);
    expect(email?.headers).toBeUndefined();

    // A link scanner's GET: the page, nothing changed.
    expect(await confirmSignUp('show', lastLink(), deps)).toEqual({
      kind: 'confirmPage',
      address: 'ana@example.org',
    });
    expect(await status('ana@example.org')).toBe('pending');
    expect(await confirmSignUp('confirm', lastLink(), deps)).toEqual({
      kind: 'confirmed',
      address: 'ana@example.org',
    });
    expect(await status('ana@example.org')).toBe('active');
    // Clicked twice: still subscribed, same page.
    expect((await confirmSignUp('confirm', lastLink(), deps)).kind).toBe('confirmed');
  });

  it('answers the same for new, pending, active, unsubscribed and suppressed addresses', async () => {
    const { mail, subscribers, signUp, later } = setUp();
    const at = '2026-11-01T00:00:00Z';
    await subscribers.addSubscriber({
      storyId: STORY,
      address: 'active@example.org',
      status: 'active',
      createdAt: at,
    });
    await subscribers.addSubscriber({
      storyId: STORY,
      address: 'gone@example.org',
      status: 'unsubscribed',
      createdAt: at,
      unsubscribedAt: at,
    });
    await subscribers.addSubscriber({
      storyId: STORY,
      address: 'bounced@example.org',
      status: 'suppressed',
      createdAt: at,
      suppressedAt: at,
    });
    await signUp('pending@example.org');
    later(60_000);
    mail.sent.length = 0;
    const answers = [];
    for (const address of [
      'new@example.org',
      'pending@example.org',
      'active@example.org',
      'gone@example.org',
      'bounced@example.org',
    ]) {
      const outcome = await signUp(address);
      answers.push({ ...outcome, address: 'x' });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    // Only the new and the unsubscribed address get a link; the pending one had one a minute ago.
    expect(mail.sent.map((email) => email.to)).toEqual(['new@example.org', 'gone@example.org']);
    expect((await subscribers.getSubscriber(STORY, 'bounced@example.org'))?.status).toBe(
      'suppressed',
    );
    expect((await subscribers.getSubscriber(STORY, 'gone@example.org'))?.status).toBe(
      'unsubscribed',
    );
  });

  it('mails one address at most once an hour', async () => {
    const { mail, signUp, later } = setUp();
    await signUp('ana@example.org');
    later(59 * 60_000);
    await signUp('ana@example.org', '198.51.100.1');
    expect(mail.sent).toHaveLength(1);
    later(61_000);
    await signUp('ana@example.org');
    expect(mail.sent).toHaveLength(2);
  });

  it('refuses a source past its hourly quota, counting an IPv6 /64 as one source', async () => {
    const { mail, signUp, later } = setUp();
    for (let i = 0; i < REQUESTS_PER_SOURCE_PER_HOUR; i++) {
      expect((await signUp(`r${i}@example.org`, `2001:db8:1:2::${i}`)).kind).toBe('checkInbox');
    }
    expect(await signUp('one-more@example.org', '2001:db8:1:2:ffff::1')).toEqual({
      kind: 'tooManyRequests',
    });
    expect((await signUp('other@example.org', '2001:db8:1:3::1')).kind).toBe('checkInbox');
    expect(mail.sent.map((email) => email.to)).not.toContain('one-more@example.org');
    later(3_600_000);
    expect((await signUp('one-more@example.org', '2001:db8:1:2::1')).kind).toBe('checkInbox');
  });

  it('keys sources by network, never by the address as given', () => {
    const secret = 'k';
    expect(sourceKey(secret, '2001:db8:0:1::5')).toBe(sourceKey(secret, '2001:0db8:0000:0001:9::'));
    expect(sourceKey(secret, '::ffff:192.0.2.1')).toBe(sourceKey(secret, '192.0.2.1'));
    expect(sourceKey(secret, '192.0.2.1')).not.toBe(sourceKey(secret, '192.0.2.2'));
    expect(sourceKey(secret, '192.0.2.1')).not.toContain('192');
  });

  it('does nothing for a filled hidden field, with the same answer', async () => {
    const { mail, signUp, status } = setUp();
    expect(await signUp('bot@example.org', '203.0.113.9', 'https://spam.example')).toEqual({
      kind: 'checkInbox',
      address: 'bot@example.org',
    });
    expect(mail.sent).toEqual([]);
    expect(await status('bot@example.org')).toBeUndefined();
  });

  it('asks again for an address that is not one, recording nothing', async () => {
    const { mail, signUp, subscribers } = setUp();
    expect(await signUp('not an address')).toEqual({
      kind: 'invalidAddress',
      given: 'not an address',
    });
    expect(mail.sent).toEqual([]);
    expect(await subscribers.listSubscribers(STORY)).toEqual([]);
  });

  it('re-subscribes an unsubscribed address through a new link, not through an older one', async () => {
    const { deps, subscribers, signUp, lastLink, later, status } = setUp();
    await signUp('ana@example.org');
    const first = lastLink();
    await confirmSignUp('confirm', first, deps);
    later(60_000);
    await subscribers.unsubscribe(STORY, 'ana@example.org', deps.now().toISOString());
    later(60_000);
    // The link sent before the unsubscribe does not undo it.
    expect(await confirmSignUp('confirm', first, deps)).toMatchObject({
      kind: 'notConfirmed',
      status: 'unsubscribed',
    });
    expect(await status('ana@example.org')).toBe('unsubscribed');
    later(3_600_000);
    await signUp('ana@example.org');
    expect(await confirmSignUp('confirm', lastLink(), deps)).toMatchObject({ kind: 'confirmed' });
    expect(await status('ana@example.org')).toBe('active');
  });

  it('never revives a suppressed address, even with a link sent before it bounced', async () => {
    const { deps, subscribers, signUp, lastLink, status } = setUp();
    await signUp('ana@example.org');
    await subscribers.suppress(STORY, 'ana@example.org', deps.now().toISOString(), 'bounce');
    expect(await confirmSignUp('confirm', lastLink(), deps)).toMatchObject({
      kind: 'notConfirmed',
      status: 'suppressed',
    });
    expect(await status('ana@example.org')).toBe('suppressed');
  });

  it('refuses expired, edited, truncated and other stories’ links, changing nothing', async () => {
    const { deps, signUp, lastLink, later, status } = setUp();
    await signUp('ana@example.org');
    const link = lastLink();
    const refused = async (params: Record<string, string | undefined>, d = deps) => [
      (await confirmSignUp('show', params, d)).kind,
      (await confirmSignUp('confirm', params, d)).kind,
    ];
    for (const edited of [
      { ...link, address: 'bob@example.org' },
      { ...link, issued: new Date().toISOString() },
      { ...link, token: link.token?.slice(0, -1) },
      { ...link, token: undefined },
      { ...link, issued: 'yesterday' },
    ]) {
      expect(await refused(edited)).toEqual(['badLink', 'badLink']);
    }
    const otherStory = { ...deps, story: { ...deps.story, id: 'another-story' } };
    expect(await refused(link, otherStory)).toEqual(['badLink', 'badLink']);
    later(48 * 3_600_000 + 1);
    expect(await confirmSignUp('confirm', link, deps)).toEqual({
      kind: 'badLink',
      reason: 'expired',
    });
    expect(await status('ana@example.org')).toBe('pending');
  });
});
