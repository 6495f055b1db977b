import type { AnyNode, Document, Element } from 'domhandler';
import { removeElement } from 'domutils';

/**
 * Every element of a page by tag name, by itemprop, and those with a class or id, collected in
 * one walk. CSS selector queries cost a full tree scan each; the cleaner asks dozens of
 * questions per page, so it asks this index instead.
 */
export class PageIndex {
  private readonly byTag = new Map<string, Element[]>();
  private readonly byItemprop = new Map<string, Element[]>();
  /** Elements with a class or an id, in document order. */
  readonly named: Element[] = [];
  /** Each element's position in document order. */
  private readonly positions = new Map<Element, number>();

  constructor(readonly root: Document) {
    const stack: AnyNode[] = [...root.children].reverse();
    while (stack.length) {
      const node = stack.pop() as AnyNode;
      if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
      const element = node as Element;
      this.positions.set(element, this.positions.size);
      push(this.byTag, element.name, element);
      const { itemprop } = element.attribs;
      if (itemprop) for (const name of itemprop.split(/\s+/)) push(this.byItemprop, name, element);
      if (element.attribs.class || element.attribs.id) this.named.push(element);
      for (let index = element.children.length - 1; index >= 0; index -= 1) {
        const child = element.children[index];
        // Text is most of the nodes and none of the index.
        if (child && child.type !== 'text' && child.type !== 'comment') stack.push(child);
      }
    }
  }

  /** Elements with this tag name, in document order, still in the page. */
  tag(name: string): Element[] {
    return (this.byTag.get(name) ?? []).filter((element) => this.attached(element));
  }

  itemprop(name: string): Element[] {
    return (this.byItemprop.get(name) ?? []).filter((element) => this.attached(element));
  }

  /** The element's position in document order (elements added after indexing have none). */
  position(element: Element): number | undefined {
    return this.positions.get(element);
  }

  /** Elements indexed (positions run from 0 to this, less one). */
  get size(): number {
    return this.positions.size;
  }

  /** Whether the element is still part of the page (not inside something removed). */
  attached(element: AnyNode): boolean {
    let node: AnyNode | null = element;
    while (node?.parent) node = node.parent;
    return node === this.root;
  }

  remove(element: Element): void {
    removeElement(element);
  }
}

function push(map: Map<string, Element[]>, key: string, element: Element): void {
  const list = map.get(key);
  if (list) list.push(element);
  else map.set(key, [element]);
}

/** The nearest ancestor (or the element itself) with one of these tag names. */
export function closest(element: AnyNode, names: ReadonlySet<string>): Element | undefined {
  let node: AnyNode | null = element;
  while (node) {
    if (node.type === 'tag' && names.has((node as Element).name)) return node as Element;
    node = node.parent;
  }
  return undefined;
}

/** Class names of real pages fit in this; a hostile page's run to megabytes, read by every pattern. */
const NAMES_CHARS = 1_000;

/** The element's class and id, as the name patterns read them (capped). */
export function namesOf(element: Element): string {
  const names = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
  return names.length > NAMES_CHARS ? names.slice(0, NAMES_CHARS) : names;
}
