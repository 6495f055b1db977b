/**
 * The sign-up pages in Chromium on a phone, with JavaScript off: the form fits 375 px, hides its
 * bot field from people, submits as a plain HTML form; the confirmation link's page confirms only
 * with its button. Served by the web handler on the local servers; screenshots go to
 * .local/test-artifacts/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { ARTIFACTS, CHROMIUM, launchChromium, warnWithoutChromium } from '../support/chromium.js';
import { outboxMessages } from '../support/ses-store.js';

warnWithoutChromium('sign-up-browser');

const STORY = 's400-turkey';
const ADDRESS = 'phone-reader@example.org';

/** The page's width as laid out, and what scrolls sideways. */
function widths(): { viewport: number; scroll: number } {
  return {
    viewport: document.documentElement.clientWidth,
    scroll: document.documentElement.scrollWidth,
  };
}

describe.skipIf(!CHROMIUM)('sign-up in a browser without JavaScript', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let browser: Browser;
  let page: Page;
  type Store = import('../../lambdas/adapters/dynamo-subscribers.js').DynamoSubscriberStore;
  let store: Store;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-sign-up-browser-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: false,
      subscribers: [],
      persistent: false,
    });
    const { DynamoSubscriberStore } = await import('../../lambdas/adapters/dynamo-subscribers.js');
    store = new DynamoSubscriberStore(runtime.aws.table);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 375, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a form that fits 375 px, its bot field out of sight and out of the tab order', async () => {
    await page.goto(`${runtime.web.url}subscribe/${STORY}`);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-up-375.png'), fullPage: true });
    expect(await page.evaluate(widths)).toEqual({ viewport: 375, scroll: 375 });
    const field = await page.$eval('#address', (input) => input.getBoundingClientRect().width);
    expect(field).toBeGreaterThan(300);
    const bait = await page.$eval('#website', (input) => ({
      right: input.getBoundingClientRect().right,
      tabIndex: (input as HTMLInputElement).tabIndex,
    }));
    expect(bait.right).toBeLessThanOrEqual(0);
    expect(bait.tabIndex).toBe(-1);
  });

  it('signs up, and the emailed link confirms only through its button', async () => {
    await page.type('#address', ADDRESS);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await page.$eval('h1', (heading) => heading.textContent)).toBe('Check your inbox');
    expect(await page.evaluate(widths)).toEqual({ viewport: 375, scroll: 375 });
    expect((await store.getSubscriber(STORY, ADDRESS))?.status).toBe('pending');

    const [message] = outboxMessages(runtime.aws.outbox.directory);
    const link = /^http:\S+$/m.exec(message?.text ?? '')?.[0] ?? '';
    await page.goto(link);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-up-confirm-375.png'), fullPage: true });
    expect(await page.evaluate(widths)).toEqual({ viewport: 375, scroll: 375 });
    expect((await store.getSubscriber(STORY, ADDRESS))?.status).toBe('pending');

    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await page.$eval('h1', (heading) => heading.textContent)).toBe('Subscribed');
    expect((await store.getSubscriber(STORY, ADDRESS))?.status).toBe('active');
  });
});
