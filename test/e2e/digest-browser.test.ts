/**
 * The digest as a reader sees it: rendered by Chromium on a phone-width and a desktop-width
 * pane and in dark mode, nothing may stick out sideways and every piece of text must be
 * visible and legible. Screenshots go to .local/test-artifacts/ for a look by eye.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, launchChromium, warnWithoutChromium } from '../support/chromium.js';
import {
  hostileDigest,
  LONG_QUOTE,
  LONG_URL,
  renderDigest,
  sampleDigest,
} from '../support/digest-fixture.js';

warnWithoutChromium('digest-browser');

/** WCAG's minimum for large text and the least any text in the digest may have. */
const MIN_CONTRAST = 3;

interface TextBox {
  readonly element: string;
  readonly text: string;
  readonly width: number;
  readonly height: number;
  readonly visible: boolean;
  readonly color: string;
  /** The first non-transparent background among the element and its ancestors. */
  readonly background: string;
  /** Inside an aria-hidden element: text deliberately kept from the reader, like a preheader. */
  readonly deliberatelyHidden: boolean;
}

interface Layout {
  readonly viewportWidth: number;
  readonly scrollWidth: number;
  /** Elements whose right edge lies beyond the viewport. */
  readonly overflowing: readonly string[];
  readonly texts: readonly TextBox[];
}

/** Runs in the page: plain DOM code, no helpers from this module. */
function measureLayout(): Layout {
  const describe = (element: Element): string =>
    `<${element.tagName.toLowerCase()}> "${(element.textContent ?? '').trim().slice(0, 60)}"`;
  const viewportWidth = document.documentElement.clientWidth;
  const elements = [...document.body.querySelectorAll('*')];
  const overflowing = elements
    .filter((element) => element.getBoundingClientRect().right > viewportWidth + 0.5)
    .map(describe);
  const texts = elements
    .filter((element) =>
      [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '',
      ),
    )
    .map((element) => {
      const rect = element.getBoundingClientRect();
      let background = 'rgba(0, 0, 0, 0)';
      for (
        let current: Element | null = element;
        current && /rgba\(.*,\s*0\)$|^transparent$/.test(background);
        current = current.parentElement
      )
        background = getComputedStyle(current).backgroundColor;
      return {
        element: describe(element),
        text: (element.textContent ?? '').trim(),
        width: rect.width,
        height: rect.height,
        visible: element.checkVisibility({ visibilityProperty: true, opacityProperty: true }),
        color: getComputedStyle(element).color,
        background,
        deliberatelyHidden: element.closest('[aria-hidden="true"]') !== null,
      };
    });
  return { viewportWidth, scrollWidth: document.documentElement.scrollWidth, overflowing, texts };
}

type Rgba = readonly [number, number, number, number];

function parseColour(css: string): Rgba {
  const parts = (css.match(/[\d.]+/g) ?? []).map(Number);
  if (!/^rgba?\(/.test(css) || parts.length < 3) throw new Error(`unexpected colour ${css}`);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance([red, green, blue]: Rgba): number {
  const linear = (channel: number) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

function contrast(text: string, background: string): number {
  // A page with no background anywhere shows the white canvas (the digest asks for light only).
  const below = background.endsWith(', 0)')
    ? parseColour('rgb(255, 255, 255)')
    : parseColour(background);
  const [red, green, blue, alpha] = parseColour(text);
  const blend = (front: number, back: number) => front * alpha + back * (1 - alpha);
  const shown: Rgba = [blend(red, below[0]), blend(green, below[1]), blend(blue, below[2]), 1];
  const [lighter, darker] = [luminance(shown), luminance(below)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** What a reader would miss or struggle to read, one line per piece of text. */
function illegibleText(layout: Layout): string[] {
  return layout.texts
    .filter((box) => !box.deliberatelyHidden)
    .flatMap((box) => {
      if (!box.visible) return [`${box.element}: hidden`];
      if (box.width === 0 || box.height === 0) return [`${box.element}: no size`];
      const ratio = contrast(box.color, box.background);
      return ratio < MIN_CONTRAST
        ? [`${box.element}: contrast ${ratio.toFixed(2)} (${box.color} on ${box.background})`]
        : [];
    });
}

describe.skipIf(!CHROMIUM)('the digest in a browser', () => {
  let browser: Browser;
  const week = renderDigest(sampleDigest(40)).html;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(
    html: string,
    width: number,
    scheme: 'light' | 'dark',
    screenshot: string,
  ): Promise<{ page: Page; layout: Layout; dialogs: string[] }> {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.setViewport({ width, height: 800 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
    const layout = await page.evaluate(measureLayout);
    return { page, layout, dialogs };
  }

  for (const { width, scheme, screenshot } of [
    { width: 375, scheme: 'light', screenshot: 'digest-375.png' },
    { width: 600, scheme: 'light', screenshot: 'digest-600.png' },
    { width: 375, scheme: 'dark', screenshot: 'digest-dark.png' },
  ] as const) {
    it(`fits ${width} px in ${scheme} mode with every text visible and legible`, async () => {
      const { page, layout } = await open(week, width, scheme, screenshot);
      await page.close();
      expect(layout.viewportWidth).toBe(width);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.overflowing).toEqual([]);
      expect(layout.texts.length).toBeGreaterThan(200);
      expect(illegibleText(layout)).toEqual([]);
      // The one deliberately hidden text is the inbox preview line above the digest.
      const hidden = layout.texts.filter((box) => box.deliberatelyHidden);
      expect(hidden).toHaveLength(1);
      expect(hidden[0]?.text).toMatch(/^40 new developments: /);
    });
  }

  it('wraps a 2,000-character quote and a long address on a phone, and runs nothing', async () => {
    const { html } = renderDigest(hostileDigest());
    const { page, layout, dialogs } = await open(html, 375, 'light', 'digest-hostile-375.png');
    await page.close();
    expect(dialogs).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(375);
    expect(layout.overflowing).toEqual([]);
    const shown = layout.texts.filter((box) => !box.deliberatelyHidden).map((box) => box.text);
    expect(shown.some((text) => text.includes(LONG_QUOTE))).toBe(true);
    expect(shown.some((text) => text.includes(LONG_URL))).toBe(true);
    expect(illegibleText(layout)).toEqual([]);
  });
});
