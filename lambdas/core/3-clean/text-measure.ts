import type { AnyNode, Element } from 'domhandler';
import type { PageIndex } from './page-index.js';

/**
 * Text measures of a whole tree, each in one pass. Recursive: the tree is at most MAX_DEPTH
 * deep by then (markup-budget.ts and dom-depth.ts see to it), and a recursive walk allocates
 * nothing per node, which on a page of 200,000 elements is most of its cost.
 */

/**
 * Text length and linked text (whitespace aside) below every element, measured in one walk and
 * kept true as elements are removed (an element's text is taken out of its ancestors'), so
 * that removing furniture and scoring what is left share one measure.
 */
export class TextMeasures {
  // By the element's position in the page index: typed arrays where maps of 100,000 elements
  // would be most of the cost (the root, not indexed, is the last slot).
  private readonly lengths: Float64Array;
  private readonly linked: Float64Array;

  constructor(private readonly page: PageIndex) {
    this.lengths = new Float64Array(page.size + 1);
    this.linked = new Float64Array(page.size + 1);
    let linked = 0;
    const walk = (node: AnyNode, inLink: boolean): number => {
      if (node.type === 'text') {
        const length = visibleLength(node.data);
        if (inLink) linked += length;
        return length;
      }
      if (node.type !== 'tag' && node.type !== 'root') return 0;
      const element = node as Element;
      const before = linked;
      const childrenInLink = inLink || element.name === 'a';
      let total = 0;
      for (const child of element.children) total += walk(child, childrenInLink);
      const slot = this.slot(node);
      if (slot !== undefined) {
        this.lengths[slot] = total;
        this.linked[slot] = linked - before;
      }
      return total;
    };
    walk(page.root, false);
  }

  /** Characters of text below the element. */
  length(node: AnyNode): number {
    const slot = this.slot(node);
    return slot === undefined ? 0 : (this.lengths[slot] ?? 0);
  }

  /** Linked text / all text below the element (0 without text). */
  linkDensity(node: AnyNode): number {
    const slot = this.slot(node);
    if (slot === undefined) return 0;
    const length = this.lengths[slot] ?? 0;
    return length === 0 ? 0 : (this.linked[slot] ?? 0) / length;
  }

  /** Takes the element's text out of its ancestors', as it leaves the page. */
  detach(element: AnyNode): void {
    const from = this.slot(element);
    if (from === undefined) return;
    const length = this.lengths[from] ?? 0;
    const linked = this.linked[from] ?? 0;
    if (length === 0) return;
    for (let node = element.parent; node; node = node.parent) {
      const slot = this.slot(node);
      if (slot === undefined) continue;
      this.lengths[slot] = (this.lengths[slot] ?? 0) - length;
      this.linked[slot] = (this.linked[slot] ?? 0) - linked;
    }
  }

  private slot(node: AnyNode): number | undefined {
    if (node === this.page.root) return this.page.size;
    return node.type === 'tag' ? this.page.position(node as Element) : undefined;
  }
}

function visibleLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code > 32 && code !== 160) length += 1;
  }
  return length;
}

/** Elements whose text is code or data, never read. */
const UNREAD = new Set(['script', 'style', 'template', 'noscript']);

/**
 * The text below a node up to `max` characters (scripts and styles aside), read in one walk
 * that stops there: asking each of a thousand nested elements for its whole text costs the
 * page a thousand times over.
 */
export function leadingText(node: AnyNode, max: number): string {
  let text = '';
  const stack: AnyNode[] = [node];
  while (stack.length && text.length < max) {
    const current = stack.pop() as AnyNode;
    if (current.type === 'text') text += current.data;
    else if (current.type === 'tag' || current.type === 'root') {
      const element = current as Element;
      if (current.type === 'tag' && UNREAD.has(element.name)) continue;
      for (let index = element.children.length - 1; index >= 0; index -= 1) {
        const child = element.children[index];
        if (child) stack.push(child);
      }
    }
  }
  return text.length > max ? text.slice(0, max) : text;
}
