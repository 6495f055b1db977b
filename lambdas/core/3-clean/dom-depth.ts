import type { AnyNode, Document, Element } from 'domhandler';
import { Text } from 'domhandler';

/** Deeper than any real page; deep enough that every walk of the tree stays far from the stack limit. */
export const MAX_DEPTH = 256;

/**
 * Flattens what lies deeper than MAX_DEPTH into the text of the element at that depth, so a
 * hostile page (10,000 nested tables) cannot exhaust the stack of the recursive walks that
 * follow. Iterative on purpose. Returns whether anything was flattened.
 */
export function flattenDeepNodes(root: Document): boolean {
  let flattened = false;
  // Two stacks rather than one of [node, depth] pairs: no allocation per node.
  const nodes: AnyNode[] = [root];
  const depths: number[] = [0];
  while (nodes.length) {
    const node = nodes.pop() as AnyNode;
    const depth = depths.pop() as number;
    if (node.type !== 'tag' && node.type !== 'root') continue;
    const parent = node as Element;
    if (depth >= MAX_DEPTH && parent.children.length) {
      const text = new Text(textBelow(parent));
      text.parent = parent;
      parent.children = [text];
      flattened = true;
      continue;
    }
    for (const child of parent.children) {
      if (child.type !== 'tag') continue;
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
  return flattened;
}

function textBelow(node: Element): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [...node.children].reverse();
  while (stack.length) {
    const current = stack.pop() as AnyNode;
    if (current.type === 'text') parts.push(current.data);
    else if (current.type === 'tag') {
      if (current.name === 'script' || current.name === 'style') continue;
      parts.push(' ');
      for (let index = current.children.length - 1; index >= 0; index -= 1) {
        const child = current.children[index];
        if (child) stack.push(child);
      }
    }
  }
  return parts.join('');
}
