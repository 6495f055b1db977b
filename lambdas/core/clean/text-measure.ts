import type { AnyNode, Element } from 'domhandler';

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
  private readonly lengths = new Map<AnyNode, number>();
  private readonly linked = new Map<AnyNode, number>();

  constructor(root: AnyNode) {
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
      this.lengths.set(node, total);
      this.linked.set(node, linked - before);
      return total;
    };
    walk(root, false);
  }

  /** Characters of text below the element. */
  length(node: AnyNode): number {
    return this.lengths.get(node) ?? 0;
  }

  /** Linked text / all text below the element (0 without text). */
  linkDensity(node: AnyNode): number {
    const length = this.length(node);
    return length === 0 ? 0 : (this.linked.get(node) ?? 0) / length;
  }

  /** Takes the element's text out of its ancestors', as it leaves the page. */
  detach(element: AnyNode): void {
    const length = this.length(element);
    const linked = this.linked.get(element) ?? 0;
    if (length === 0) return;
    for (let node = element.parent; node; node = node.parent) {
      this.lengths.set(node, this.length(node) - length);
      this.linked.set(node, (this.linked.get(node) ?? 0) - linked);
    }
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
