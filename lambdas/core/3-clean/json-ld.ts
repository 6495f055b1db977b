import type { Element } from 'domhandler';
import type { PageIndex } from './page-index.js';

/**
 * A page's JSON-LD (`<script type="application/ld+json">`), parsed once for every reader (dates,
 * publisher, the article's own text): each script's nodes, or its source when it does not parse
 * (its fields can still be read from the text).
 */
export type JsonLdNode = Readonly<Record<string, unknown>>;

export interface JsonLdScript {
  /** The script's objects: at its top, in `@graph` and `mainEntity`, in document order. */
  readonly nodes: readonly JsonLdNode[];
  /** The script's text (undefined when it is over the size limit). */
  readonly source: string | undefined;
  readonly parsed: boolean;
}

/** Metadata, not content: a script larger than this is not read (an article is 10–100 KB). */
const MAX_SCRIPT_CHARS = 1_000_000;
/** Objects read from one script: more are not metadata of one page. */
const MAX_NODES = 5_000;

export function readJsonLd(page: PageIndex): JsonLdScript[] {
  return page
    .tag('script')
    .filter((script) => /^\s*application\/ld\+json\s*$/i.test(script.attribs.type ?? ''))
    .map((script) => {
      const source = scriptText(script);
      if (source === undefined) return { nodes: [], source, parsed: false };
      try {
        return { nodes: objectsOf(JSON.parse(source)), source, parsed: true };
      } catch {
        return { nodes: [], source, parsed: false };
      }
    });
}

function scriptText(script: Element): string | undefined {
  let text = '';
  for (const child of script.children) {
    if (child.type !== 'text') continue;
    text += child.data;
    if (text.length > MAX_SCRIPT_CHARS) return undefined;
  }
  return text;
}

/**
 * The objects of parsed JSON-LD, depth first: a node, then its `@graph`, then its `mainEntity`.
 * Iterative, and bounded: JSON nests as deep as its author likes.
 */
function objectsOf(data: unknown): JsonLdNode[] {
  const nodes: JsonLdNode[] = [];
  const stack: unknown[] = [data];
  while (stack.length && nodes.length < MAX_NODES) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push(value[index]);
    } else if (value && typeof value === 'object') {
      const node = value as JsonLdNode;
      nodes.push(node);
      stack.push(node.mainEntity, node['@graph']);
    }
  }
  return nodes;
}

/** A field's text: the string itself, or the first of a list. */
export function stringField(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() ? first : undefined;
}

/** Whether a node's `@type` (a string or a list) is one of these. */
export function hasType(node: JsonLdNode, types: ReadonlySet<string>): boolean {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list.some((entry) => typeof entry === 'string' && types.has(entry));
}
