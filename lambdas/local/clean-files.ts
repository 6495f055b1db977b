import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from '../core/charset.js';
import { cleanHtml, cleanText } from '../core/clean/article.js';

export interface CleanedFile {
  readonly file: string;
  readonly url: string | null;
  readonly title: string | null;
  readonly byline: string | null;
  readonly outlet: string | null;
  readonly lang: string | null;
  readonly publishedAt: string | null;
  readonly modifiedAt: string | null;
  readonly text: string;
  readonly problem: string | null;
}

const PAGE = /\.(html?|html?\.gz|txt)$/i;

/** Expands directories into the pages below them (.html, .html.gz, .txt), sorted. */
export function pageFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((file) => PAGE.test(file))
      .sort()
      .map((file) => join(path, file));
  });
}

/** Cleans one saved page (bytes decoded with the fetcher's charset rules) or plain-text file. */
export function cleanFile(file: string): CleanedFile {
  let bytes: Uint8Array = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  if (/\.txt$/i.test(file)) {
    const text = cleanText(new TextDecoder('utf-8').decode(bytes));
    return {
      file,
      url: null,
      title: null,
      byline: null,
      outlet: null,
      lang: null,
      publishedAt: null,
      modifiedAt: null,
      text,
      problem: text ? null : 'no text',
    };
  }
  const page = cleanHtml(decodeBody(bytes, undefined));
  return {
    file,
    url: page.canonicalUrl ?? null,
    title: page.title || null,
    byline: page.byline ?? null,
    outlet: page.outlet ?? null,
    lang: page.lang ?? null,
    publishedAt: page.publishedAt ?? null,
    modifiedAt: page.modifiedAt ?? null,
    text: page.text,
    problem: page.problem ?? null,
  };
}
