import type { AnyNode, Element } from 'domhandler';

/**
 * Text measures of a whole tree, each in one pass. Recursive: the tree is at most MAX_DEPTH
 * deep by then (markup-budget.ts and dom-depth.ts see to it), and a recursive walk allocates
 * nothing per node, which on a page of 200,000 elements is most of its cost.
 */

/** Characters of text (whitespace aside) below every element. */
export function textLengths(root: AnyNode): Map<AnyNode, number> {
  const lengths = new Map<AnyNode, number>();
  const walk = (node: AnyNode): number => {
    if (node.type === 'text') return visibleLength(node.data);
    if (node.type !== 'tag' && node.type !== 'root') return 0;
    let total = 0;
    for (const child of (node as Element).children) total += walk(child);
    lengths.set(node, total);
    return total;
  };
  walk(root);
  return lengths;
}

/** Link density (linked text / all text, whitespace aside) of every element. */
export function linkDensities(root: AnyNode): Map<AnyNode, number> {
  const densities = new Map<AnyNode, number>();
  // Linked characters read so far: an element's are the growth of this count across it.
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
    densities.set(node, total === 0 ? 0 : (linked - before) / total);
    return total;
  };
  walk(root, false);
  return densities;
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
