/**
 * The timeline page in Chromium on a phone: it fits 375 px, and its filters, plain radio inputs
 * and CSS (the page has no script), show only the chosen type and actor. A screenshot goes to
 * .local/test-artifacts/ for a look by eye.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, launchChromium, warnWithoutChromium } from '../support/chromium.js';
import { renderTimeline, SCRIPT_TITLE, sampleDevelopments } from '../support/digest-fixture.js';

warnWithoutChromium('timeline-browser');

const history = sampleDevelopments(40);
const [first, ...rest] = history;
const html = renderTimeline({
  storyTitle: 'S-400 & Turkey',
  upTo: '2020-10-18',
  // One scraped title tries to run a script.
  history: first
    ? [{ ...first, sources: first.sources.map((s) => ({ ...s, title: SCRIPT_TITLE })) }, ...rest]
    : rest,
});

/** The shown entries' type and actors, as the reader sees them (display: none left out). */
function visibleEntries(): { type: string; actors: string }[] {
  return [...document.querySelectorAll<HTMLElement>('.entries > li')]
    .filter((entry) => entry.checkVisibility())
    .map((entry) => ({ type: entry.dataset.type ?? '', actors: entry.dataset.actors ?? '' }));
}

describe.skipIf(!CHROMIUM)('the timeline in a browser', () => {
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 375, height: 800 });
    await page.setContent(html, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('fits a 375 px phone, runs nothing, shows every development at first', async () => {
    await page.screenshot({ path: join(ARTIFACTS, 'timeline-375.png'), fullPage: true });
    const width = await page.evaluate(() => ({
      viewport: document.documentElement.clientWidth,
      scroll: document.documentElement.scrollWidth,
    }));
    expect(width).toEqual({ viewport: 375, scroll: 375 });
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(visibleEntries)).toHaveLength(40);
  });

  it('filters by type, by actor and by both, without JavaScript; All shows them again', async () => {
    // JavaScript is off in this page: only the radio inputs and the CSS can do this.
    await page.click('label[for="type-DELIVERY"]');
    const deliveries = await page.evaluate(visibleEntries);
    expect(deliveries.length).toBe(history.filter((d) => d.type === 'DELIVERY').length);
    expect(deliveries.every((entry) => entry.type === 'DELIVERY')).toBe(true);

    await page.click('label[for="actor-russia"]');
    const both = await page.evaluate(visibleEntries);
    expect(both.length).toBeGreaterThan(0);
    expect(both).toHaveLength(
      history.filter((d) => d.type === 'DELIVERY' && d.actors.includes('Russia')).length,
    );

    await page.click('label[for="actor-united-states"]');
    await page.click('label[for="type-all"]');
    const american = await page.evaluate(visibleEntries);
    expect(american.length).toBe(history.filter((d) => d.actors.includes('United States')).length);
    expect(american.every((entry) => entry.actors.split(' ').includes('united-states'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'timeline-375-filtered.png'), fullPage: true });

    await page.click('label[for="actor-all"]');
    expect(await page.evaluate(visibleEntries)).toHaveLength(40);
  });
});
