import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from '../lambdas/core/2-fetch/charset.js';
import { cleanHtml, cleanText } from '../lambdas/core/3-clean/article.js';
import { StoryDigestError } from '../lambdas/core/model/errors.js';

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

/** What `clean` reads: saved pages (.html, .html.gz) and plain text. */
export const PAGE_FILES = /\.(html?|html?\.gz|txt)$/i;
/** What `extract` reads: pages, plain text and cleaned articles as the archive keeps them. */
export const ARTICLE_FILES = /\.(html?|html?\.gz|txt|json)$/i;

/** The files given, with each directory expanded into the files below it of that kind, sorted. */
export function filesBelow(paths: readonly string[], kind: RegExp): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((file) => kind.test(file))
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

/** An article as `extract` reads it. */
export interface ArticleFile {
  readonly title: string;
  readonly text: string;
  readonly publishedAt: string | undefined;
  readonly lang: string | undefined;
}

/**
 * A saved page (cleaned), a plain-text article (its first paragraph is the headline) or a
 * cleaned article as the pipeline archives it (`articles/<id>.json`: title, text, publishedAt).
 */
export function readArticleFile(file: string): ArticleFile {
  if (/\.json$/i.test(file)) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, unknown>>;
    if (typeof data.text !== 'string') {
      throw new StoryDigestError('not a cleaned article: no "text" string in the JSON');
    }
    return {
      title: typeof data.title === 'string' ? data.title : '',
      text: data.text,
      publishedAt: typeof data.publishedAt === 'string' ? data.publishedAt : undefined,
      lang: typeof data.lang === 'string' ? data.lang : undefined,
    };
  }
  const cleaned = cleanFile(file);
  if (cleaned.title === null) {
    const [title = '', ...paragraphs] = cleaned.text.split('\n\n');
    return { title, text: paragraphs.join('\n\n'), publishedAt: undefined, lang: undefined };
  }
  return {
    title: cleaned.title,
    text: cleaned.text,
    publishedAt: cleaned.publishedAt ?? undefined,
    lang: cleaned.lang ?? undefined,
  };
}
