import type { AnyNode, Element } from 'domhandler';

/**
 * Text measures of a whole tree, each in one iterative post-order pass (pages can be deep and
 * large: no recursion, no per-element re-walks).
 */

/** Characters of text (whitespace aside) below every node. */
export function textLengths(root: AnyNode): Map<AnyNode, number> {
  const lengths = new Map<AnyNode, number>();
  const stack: [AnyNode, boolean][] = [[root, false]];
  while (stack.length) {
    const [node, childrenDone] = stack.pop() as [AnyNode, boolean];
    if (node.type === 'text') {
      lengths.set(node, visibleLength(node.data));
    } else if (node.type === 'tag' || node.type === 'root') {
      const children = (node as Element).children;
      if (childrenDone) {
        let total = 0;
        for (const child of children) total += lengths.get(child) ?? 0;
        lengths.set(node, total);
      } else {
        stack.push([node, true]);
        for (const child of children) stack.push([child, false]);
      }
    }
  }
  return lengths;
}

/** Link density (linked text / all text, whitespace aside) of every element. */
export function linkDensities(root: AnyNode): Map<AnyNode, number> {
  const totals = new Map<AnyNode, [number, number]>();
  const stack: [AnyNode, boolean, boolean][] = [[root, false, false]];
  while (stack.length) {
    const [node, inLink, childrenDone] = stack.pop() as [AnyNode, boolean, boolean];
    if (node.type === 'text') {
      const length = visibleLength(node.data);
      totals.set(node, [length, inLink ? length : 0]);
    } else if (node.type === 'tag' || node.type === 'root') {
      const element = node as Element;
      if (childrenDone) {
        let total = 0;
        let linked = 0;
        for (const child of element.children) {
          const [childTotal, childLinked] = totals.get(child) ?? [0, 0];
          total += childTotal;
          linked += childLinked;
        }
        totals.set(node, [total, linked]);
      } else {
        stack.push([node, inLink, true]);
        const childInLink = inLink || element.name === 'a';
        for (const child of element.children) stack.push([child, childInLink, false]);
      }
    }
  }
  const densities = new Map<AnyNode, number>();
  for (const [node, [total, linked]] of totals)
    densities.set(node, total === 0 ? 0 : linked / total);
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
