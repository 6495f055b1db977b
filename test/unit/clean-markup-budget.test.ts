import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  boundMarkup,
  MARKUP_LIMITS,
  type MarkupLimits,
} from '../../lambdas/core/3-clean/markup-budget.js';

/** Every page scanned (no quick path), with a small depth so that tests stay small. */
const LIMITS: MarkupLimits = { ...MARKUP_LIMITS, quickTags: 0, maxDepth: 32 };

/** Each node with its depth, in document order (iterative: the unbounded pages are deep). */
function* nodesOf(html: string): Generator<[AnyNode, number]> {
  const stack: [AnyNode, number][] = [[parseDocument(html), 0]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    yield [node, depth];
    if (node.type === 'tag' || node.type === 'root' || node.type === 'script') {
      const children = (node as Element).children;
      for (let index = children.length - 1; index >= 0; index -= 1)
        stack.push([children[index] as AnyNode, depth + 1]);
    }
  }
}

function depthOf(html: string): number {
  let deepest = 0;
  for (const [, depth] of nodesOf(html)) deepest = Math.max(deepest, depth);
  return deepest;
}

function textOf(html: string): string {
  const parts: string[] = [];
  for (const [node] of nodesOf(html)) if (node.type === 'text') parts.push(node.data);
  return parts.join('');
}

describe('boundMarkup', () => {
  it('returns a page within budget as it is', () => {
    const html =
      '<!doctype html><html><head><title>a < b</title><script>if (a<b) x("</div>")</script></head><body><!-- <div> --><table><tr><td>1<td>2</table><p>One<p>Two<ul><li>a<li>b</ul><svg><path d="M0"/></svg><img src="x.png"></body></html>';
    const bounded = boundMarkup(html, LIMITS);
    expect(bounded.html).toBe(html);
    expect(bounded).toMatchObject({ tooDeep: false, tooManyTags: false, attributesTrimmed: false });
  });

  it('leaves pages with few tags unscanned', () => {
    const html = `${'<div>'.repeat(1_000)}deep${'</div>'.repeat(1_000)}`;
    expect(boundMarkup(html).html).toBe(html);
  });

  it.each([
    ['nested', `${'<div><span>'.repeat(5_000)}core${'</span></div>'.repeat(5_000)}`],
    ['unclosed', `${'<div><b><i>word '.repeat(5_000)}core`],
    ['table soup', `${'<table><tr><td>cell '.repeat(5_000)}core`],
    ['nested lists', `${'<ul><li>item '.repeat(5_000)}core`],
    ['svg in svg', `${'<svg><desc>x</svg>'.repeat(5_000)}core`],
  ])('keeps the parser within the depth limit on %s markup, and the text', (_name, html) => {
    const bounded = boundMarkup(html, LIMITS);
    expect(bounded.tooDeep).toBe(true);
    expect(depthOf(bounded.html)).toBeLessThanOrEqual(LIMITS.maxDepth + 1);
    expect(textOf(bounded.html).replace(/\s+/g, ' ')).toBe(textOf(html).replace(/\s+/g, ' '));
  });

  it('drops a script too deep whole, rather than read its code as markup', () => {
    const html = `${'<div>'.repeat(40)}<script>var s = "<div><p>code</p></div>";</script>text`;
    const bounded = boundMarkup(html, LIMITS);
    expect(bounded.html).not.toContain('code');
    expect(textOf(bounded.html)).toBe('text');
  });

  it('is not led astray by markup-like text in comments, raw text and attribute values', () => {
    // Tags the parser never sees (in a comment, a script, a title, a quoted value) must not count,
    // and `>` inside a quoted value does not end a tag.
    const decoys = `<!-- <div><div> --><script>"<div>"</script><title><div></title><a title="<div>" href='>'>x</a><p data-x=a"b>y</p><b =">">z</b>`;
    const html = `${decoys.repeat(200)}${'<div>'.repeat(100)}core`;
    const bounded = boundMarkup(html, LIMITS);
    expect(depthOf(bounded.html)).toBeLessThanOrEqual(LIMITS.maxDepth + 1);
    expect(depthOf(bounded.html)).toBeGreaterThanOrEqual(LIMITS.maxDepth - 1);
  });

  it('keeps the model of the parser in step on random hostile markup', () => {
    const pieces = [
      '<div>',
      '</div>',
      '<p>',
      '</p>',
      '<li>',
      '<td>',
      '<tr>',
      '<table>',
      '</table>',
      '<svg>',
      '</svg>',
      '<title>t</title>',
      '<desc>',
      '<math>',
      '<br/>',
      '<div/>',
      '<span>',
      '</span>',
      '<b x=">">',
      '<i y="a>b" z=c>',
      '<!-- c -->',
      '<!x>',
      '<?p?>',
      '</ >',
      '</1>',
      '<script>"<div>"</script>',
      '<select><option>o',
      '<dd>',
      '<dt>',
      'text ',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let page = 0; page < 20; page += 1) {
      const html = Array.from(
        { length: 3_000 },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      expect(depthOf(boundMarkup(html, LIMITS).html)).toBeLessThanOrEqual(LIMITS.maxDepth + 1);
    }
  });

  it('drops attribute values over the limit and attributes past the count', () => {
    // The third attribute is the last one kept; the oversized one counts too.
    const limits = { ...LIMITS, maxAttributes: 3, maxAttributeChars: 10 };
    const html = '<div class="keep" data-big="0123456789abc" id=short a=1 b=2 c=3>t</div>';
    const bounded = boundMarkup(html, limits);
    expect(bounded.attributesTrimmed).toBe(true);
    const [div] = parseDocument(bounded.html).children as Element[];
    expect(div?.attribs).toEqual({ class: 'keep', id: 'short' });
  });

  it('keeps the text of tags past the tag budget', () => {
    const limits = { ...LIMITS, maxTags: 10 };
    const html = Array.from({ length: 50 }, (_, index) => `<p>w${index}</p>`).join('');
    const bounded = boundMarkup(html, limits);
    expect(bounded.tooManyTags).toBe(true);
    expect(bounded.html.match(/<p>/g)?.length).toBe(5);
    expect(textOf(bounded.html)).toBe(textOf(html));
  });
});
