import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/project-paths.js';

export const REAL_CORPORA = join(PROJECT_ROOT, 'eval', 'real-corpus');

/** An annotated article of a real corpus (articles.jsonl). */
export interface CorpusArticle {
  readonly id: string;
  readonly url: string;
  readonly outlet: string;
  readonly language: string;
  /** The article's own publication day, YYYY-MM-DD. */
  readonly published: string;
  readonly relevant: boolean;
  readonly main_event: string | null;
  readonly query: string;
}

/** A gold development (timeline.json). */
export interface GoldDevelopment {
  readonly id: string;
  readonly date: string;
  readonly precision: 'day' | 'month' | 'year';
  readonly type: string;
  readonly summary: string;
  readonly actors: readonly string[];
  readonly sources: readonly string[];
  readonly answers?: string;
}

export interface RealCorpus {
  readonly name: string;
  readonly storyFile: string;
  readonly articles: readonly CorpusArticle[];
  readonly timeline: readonly GoldDevelopment[];
  /** Article texts from the git-ignored cache, by article id; missing ones are absent. */
  readonly texts: ReadonlyMap<string, string>;
}

/** The corpora and the story file each is read with. */
export const CORPUS_STORIES: Readonly<Record<string, string>> = {
  's400-turkey': 's400-turkey.json',
  'boeing-737-max': 'boeing-737-max.json',
};

export function loadRealCorpus(name: string): RealCorpus {
  const dir = join(REAL_CORPORA, name);
  const articles = readFileSync(join(dir, 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as CorpusArticle);
  const timeline = JSON.parse(
    readFileSync(join(dir, 'timeline.json'), 'utf8'),
  ) as GoldDevelopment[];
  const texts = new Map<string, string>();
  for (const article of articles) {
    const path = join(dir, 'cache', `${article.id}.json`);
    if (existsSync(path)) {
      texts.set(article.id, (JSON.parse(readFileSync(path, 'utf8')) as { text: string }).text);
    }
  }
  const storyFile = join(PROJECT_ROOT, 'stories', CORPUS_STORIES[name] ?? `${name}.json`);
  return { name, storyFile, articles, timeline, texts };
}

/**
 * A cached text as the article to analyse: the stored page's own date marker (" date
 * YYYY-MM-DD") is not the article's text, nor are the short lines of page furniture before the
 * headline ("News", "Contact Us", a site's name); the headline is the first line of four words
 * or more that does not end a sentence, when it comes before any sentence.
 */
export function headlineAndText(cached: string): { title: string; text: string } {
  const lines = cached
    .replace(/^\s*date \d{4}-\d{2}-\d{2}\s*/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const words = (line: string) => line.split(/\s+/).length;
  const unspaced = (line: string) =>
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(line);
  const first = lines.findIndex((line) => words(line) >= 4 || (unspaced(line) && line.length >= 8));
  const head = lines[first] ?? '';
  if (first >= 0 && head.length <= 200 && !/[.!?…»"”。]$/.test(head)) {
    return { title: head, text: lines.slice(first + 1).join('\n') };
  }
  return { title: '', text: lines.slice(Math.max(first, 0)).join('\n') };
}
