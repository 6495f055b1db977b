import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { quiet } from '../support/memory/log.js';
import { storedEmails } from '../support/ses-store.js';

/**
 * The week's web copy and the story's timeline, end to end: a sample cycle archives them, the
 * email links to them, and the web function serves them over HTTP from its local Function URL
 * (the same handler, reading the same S3 archive, as in Lambda).
 */
const READER = 'reader@example.com';
const WEEK = '2019-W29';
const STORY = 's400-turkey';

describe('the web copy and the timeline', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let digestUrl: string;
  let timelineUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-web-pages-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [READER],
    });
    await runtime.handlers.discover.handler();
    await runtime.drainFetchQueue(quiet);
    digestUrl = `${runtime.web.url}digests/${STORY}/${WEEK}`;
    timelineUrl = `${runtime.web.url}timeline/${STORY}`;
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('archives both with the week’s digest and links the email to them', async () => {
    const result = await runtime.digest({ week: WEEK });
    expect(result).toMatchObject({
      delivery: { sent: 1 },
      archived: `digests/${STORY}/${WEEK}.html`,
      timeline: `digests/${STORY}/timeline-2019.html`,
    });
    const [email] = await storedEmails(runtime.aws.sesEndpoint);
    expect(email?.body.html).toContain(`<a href="${digestUrl}">View it in your browser</a>`);
    expect(email?.body.html).toContain(`<a href="${timelineUrl}">`);
    expect(email?.body.text).toContain(`View it in your browser: ${digestUrl}\n`);
    expect(email?.body.text).toContain(`The story's timeline: ${timelineUrl}\n`);
  });

  it('serves the web copy: the whole week, no reader’s link, cacheable, no scripts allowed', async () => {
    const response = await fetch(digestUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('Programme exclusion');
    expect(html).toMatch(/Pentagon said on Wednesday it was suspending Turkey from the F-35/);
    expect(html).toMatch(/Foreign Ministry said on Thursday/);
    expect(html).toMatch(/Donald Trump said on Tuesday/);
    expect(html).not.toMatch(/unsubscribe/i);
    expect(html).not.toContain('View it in your browser');
    expect(html).toContain(`<a href="${timelineUrl}">`);
  });

  it('serves the timeline: this week’s developments and the earlier ones, newest first', async () => {
    const response = await fetch(timelineUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const html = await response.text();
    const webCopy = await (await fetch(digestUrl)).text();
    // Every source of the week's digest, and the week before's first S-400 parts.
    const origin = new URL(
      /href="(http:\/\/127\.0\.0\.1:\d+\/[a-z-]+\/[^"]+\.html)"/.exec(webCopy)?.[1] ?? '',
    ).origin;
    const weekSources = [...webCopy.matchAll(/href="([^"]+)"/g)]
      .map(([, url]) => url ?? '')
      .filter((url) => url.startsWith(origin));
    expect(weekSources.length).toBeGreaterThanOrEqual(3);
    for (const url of weekSources) expect(html).toContain(`href="${url}"`);
    expect(html).toContain('Delivery');
    expect(html).toMatch(/<label for="type-PROGRAM_EXCLUSION">Programme exclusion/);
    expect(html).toMatch(/<label for="actor-turkey">Turkey/);
    expect(html).toContain(`<a href="${digestUrl}">`);
    // Newest first: the entries' days never go forward.
    const days = [...html.matchAll(/<\/span> · (\d{1,2} \w{3} \d{4})/g)].map(([, day]) =>
      Date.parse(`${day} UTC`),
    );
    expect(days.length).toBeGreaterThanOrEqual(4);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(Math.min(...days)).toBeLessThan(Date.parse('2019-07-15T00:00:00Z'));
  });

  it('keeps a page per year, the latest also at the timeline address, each linking the year before', async () => {
    const year = await fetch(`${timelineUrl}/2019`);
    expect(year.status).toBe(200);
    const html = await year.text();
    expect(html).toBe(await (await fetch(timelineUrl)).text());
    expect(html).toContain('of 2019 up to 21 Jul 2019');
    expect(html).toContain(`<a href="${timelineUrl}/2018">Those of 2018</a>`);
    // No digest of 2018 was sent: that year has no page yet.
    expect((await fetch(`${timelineUrl}/2018`)).status).toBe(404);
  });

  it('finds nothing for a week not archived, a malformed week or another story', async () => {
    for (const path of [
      `digests/${STORY}/2019-W30`,
      `digests/${STORY}/2019-W60`,
      `digests/${STORY}/${WEEK}.html`,
      `digests/${STORY}/..%2F..%2Fraw`,
      `digests/another-story/${WEEK}`,
      'timeline/another-story',
    ]) {
      const response = await fetch(`${runtime.web.url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toContain('Not found');
    }
    const post = await fetch(digestUrl, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
