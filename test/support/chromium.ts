import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Chromium (`.ci/run` installs it), or another at CHROMIUM_PATH; undefined when absent. */
export const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((path): path is string => path !== undefined && existsSync(path));

/** Where browser tests leave their screenshots (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, '../../.local/test-artifacts');

/** Says why a browser test file is skipped, so a missing Chromium is never silent. */
export function warnWithoutChromium(file: string): void {
  if (CHROMIUM) return;
  console.warn(
    `${file}: skipped, no Chromium at /usr/bin/chromium (or CHROMIUM_PATH); ` +
      '.ci/run installs it with apt-get install chromium',
  );
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Containers run as root without a user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--hide-scrollbars'],
  });
}
