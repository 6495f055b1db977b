/**
 * A linear pre-scan that trims, before the parser sees it, markup no article needs and whose
 * cost is not linear in the page: htmlparser2 keeps its open elements in an array it shifts
 * and searches on every tag, so a page of 100,000 nested or unclosed elements costs
 * 100,000² steps. The scan tokenizes as htmlparser2 does (comments, declarations, raw-text
 * elements, quoted attributes) and keeps a model of the parser's stack with the same implied
 * closes, so it knows the depth the parser would reach without building anything. Over budget:
 *
 * - an element that would open deeper than `maxDepth` loses its tags (its text stays, in the
 *   element at the limit; a script or style that deep goes whole, since its text is code);
 * - past `maxTags` tags, the remaining tags go and their text stays;
 * - an attribute value longer than `maxAttributeChars` goes (a data: URI, an inlined JSON
 *   blob), and so does every attribute of a tag past its `maxAttributes`-th.
 *
 * A page within budget is returned as it is, without a copy; a page with few tags is not
 * scanned at all (counting its `<` is a tenth of the scan's cost, itself a third of a parse).
 */

export interface MarkupLimits {
  /**
   * A page with no more opening tags than this is left as it is: nested all the way it would
   * cost the parser milliseconds, and the tree walks that follow flatten what is too deep.
   * Most pages have 500–2,000 tags; the scan is for the rest.
   */
  readonly quickTags: number;
  readonly maxDepth: number;
  readonly maxTags: number;
  readonly maxAttributes: number;
  readonly maxAttributeChars: number;
}

export const MARKUP_LIMITS: MarkupLimits = {
  quickTags: 4_096,
  // Real pages stay under 100 levels; the walks that follow are iterative but per-element
  // ancestor checks cost the depth.
  maxDepth: 256,
  // Article pages of a megabyte carry 10,000–25,000 tags; tags beyond this are not an
  // article's (their text is kept).
  maxTags: 50_000,
  maxAttributes: 64,
  maxAttributeChars: 4_096,
};

export interface BoundedMarkup {
  readonly html: string;
  /** Elements that were deeper than the limit lost their tags (their text was kept). */
  readonly tooDeep: boolean;
  readonly tooManyTags: boolean;
  readonly attributesTrimmed: boolean;
}

/** htmlparser2's Parser: an opening tag closes these open elements at the top of the stack. */
const P = new Set(['p']);
const FORM_TAGS = new Set([
  'input',
  'option',
  'optgroup',
  'select',
  'button',
  'datalist',
  'textarea',
]);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['select', FORM_TAGS],
  ['input', FORM_TAGS],
  ['output', FORM_TAGS],
  ['button', FORM_TAGS],
  ['datalist', FORM_TAGS],
  ['textarea', FORM_TAGS],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTIONS],
  ['tfoot', TABLE_SECTIONS],
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name) => [name, P] as const),
]);
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements that open (svg, math) or leave (the rest) a foreign context: self-closing counts there. */
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);
/** htmlparser2's raw-text elements: their content is text up to their own end tag. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

const GT = 62;
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const EQUALS = 61;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

const NO_CUTS: readonly (readonly [number, number])[] = [];

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 12 || code === 13;
}

function isEndOfName(code: number): boolean {
  return code === SLASH || code === GT || isWhitespace(code);
}

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** The page's markup within the limits (the page itself when it already is). */
export function boundMarkup(html: string, limits: MarkupLimits = MARKUP_LIMITS): BoundedMarkup {
  if (openingTagsAtMost(html, limits.quickTags))
    return { html, tooDeep: false, tooManyTags: false, attributesTrimmed: false };
  return new MarkupScan(html, limits).run();
}

/**
 * Whether the page has at most `limit` places where an opening tag may start (`<` and a
 * letter; inside scripts and comments too, so never fewer than the parser's tags).
 */
function openingTagsAtMost(html: string, limit: number): boolean {
  let count = 0;
  let index = html.indexOf('<');
  while (index !== -1) {
    if (isAsciiLetter(html.charCodeAt(index + 1)) && ++count > limit) return false;
    index = html.indexOf('<', index + 1);
  }
  return true;
}

/** An opening tag as read: its name, where it ends, and the attribute spans to cut from it. */
interface OpenTag {
  readonly name: string;
  /** Index just past the tag's `>` (the page's length when the tag runs to its end). */
  readonly end: number;
  readonly selfClosing: boolean;
  readonly cuts: readonly (readonly [number, number])[];
}

class MarkupScan {
  private readonly parts: string[] = [];
  /** Where the copy of the page stopped: everything before it is in `parts`. */
  private copied = 0;
  /** The parser's open elements, innermost last. */
  private readonly stack: string[] = [];
  /** The parser's foreign-context flags (svg/math: true; integration points: false), innermost last. */
  private readonly foreign: boolean[] = [false];
  /** Opening tags cut for depth, by name: their closing tags are cut too. */
  private readonly cutOpen = new Map<string, number>();
  private tags = 0;
  private tooDeep = false;
  private tooManyTags = false;
  private attributesTrimmed = false;

  constructor(
    private readonly html: string,
    private readonly limits: MarkupLimits,
  ) {}

  run(): BoundedMarkup {
    const { html } = this;
    let index = 0;
    while (index < html.length) {
      const lt = html.indexOf('<', index);
      if (lt === -1) break;
      index = this.markup(lt);
    }
    if (this.parts.length) this.parts.push(html.slice(this.copied));
    return {
      html: this.parts.length ? this.parts.join('') : html,
      tooDeep: this.tooDeep,
      tooManyTags: this.tooManyTags,
      attributesTrimmed: this.attributesTrimmed,
    };
  }

  /** Reads the markup that starts at `lt` (a `<`); returns where the text after it starts. */
  private markup(lt: number): number {
    const { html } = this;
    const next = html.charCodeAt(lt + 1);
    if (next === BANG) {
      if (html.startsWith('--', lt + 2)) return this.after(html.indexOf('-->', lt + 2), 3);
      if (html.startsWith('[CDATA[', lt + 2)) return this.after(html.indexOf(']]>', lt + 9), 3);
      return this.after(html.indexOf('>', lt + 2), 1);
    }
    if (next === QUESTION) return this.after(html.indexOf('>', lt + 2), 1);
    if (next === SLASH) return this.closingTag(lt);
    if (isAsciiLetter(next)) return this.openingTag(lt);
    return lt + 1;
  }

  /** Just past a terminator found at `at` (the page's end when there is none). */
  private after(at: number, length: number): number {
    return at === -1 ? this.html.length : at + length;
  }

  private closingTag(lt: number): number {
    const { html } = this;
    let start = lt + 2;
    while (start < html.length && isWhitespace(html.charCodeAt(start))) start += 1;
    if (html.charCodeAt(start) === GT) return start + 1;
    if (!isAsciiLetter(html.charCodeAt(start))) return this.after(html.indexOf('>', start), 1);
    let end = start;
    while (end < html.length && html.charCodeAt(end) !== GT && !isWhitespace(html.charCodeAt(end)))
      end += 1;
    const tagEnd = this.after(html.indexOf('>', end), 1);
    const name = html.slice(start, end).toLowerCase();
    if (this.overTagBudget()) {
      this.cut(lt, tagEnd);
      return tagEnd;
    }
    const cut = this.cutOpen.get(name) ?? 0;
    if (cut > 0) {
      this.cutOpen.set(name, cut - 1);
      this.cut(lt, tagEnd);
      return tagEnd;
    }
    this.close(name);
    return tagEnd;
  }

  private openingTag(lt: number): number {
    const tag = this.readOpeningTag(lt);
    const { name } = tag;
    const raw = RAW_TEXT.has(name) && !tag.selfClosing;
    const end = raw ? this.rawTextEnd(name, tag.end) : tag.end;
    if (this.overTagBudget()) {
      // Raw text whose tags are cut would be read as markup: it goes whole.
      if (raw) this.cut(lt, end);
      else this.cut(lt, tag.end);
      return end;
    }
    if (!VOID.has(name) && this.depthAfterOpening(name) > this.limits.maxDepth) {
      this.tooDeep = true;
      if (raw) {
        this.cut(lt, end);
      } else {
        this.cutOpen.set(name, (this.cutOpen.get(name) ?? 0) + 1);
        this.cut(lt, tag.end);
      }
      return end;
    }
    for (const [from, to] of tag.cuts) this.cut(from, to);
    this.open(name, tag.selfClosing);
    if (raw) this.close(name);
    return end;
  }

  /** Whether this tag is past the page's tag budget (counting it). */
  private overTagBudget(): boolean {
    this.tags += 1;
    if (this.tags <= this.limits.maxTags) return false;
    this.tooManyTags = true;
    return true;
  }

  /**
   * The opening tag at `lt` read as htmlparser2's tokenizer reads it: the name up to
   * whitespace, `/` or `>`; attributes with double-, single- or unquoted values; the tag ends at
   * the first `>` outside a quoted value.
   */
  private readOpeningTag(lt: number): OpenTag {
    const { html, limits } = this;
    const length = html.length;
    let index = lt + 1;
    while (index < length && !isEndOfName(html.charCodeAt(index))) index += 1;
    const name = html.slice(lt + 1, index).toLowerCase();
    let cuts: [number, number][] | undefined;
    let attributes = 0;
    let selfClosing = false;
    while (index < length) {
      const code = html.charCodeAt(index);
      if (code === GT) return { name, end: index + 1, selfClosing, cuts: cuts ?? NO_CUTS };
      if (isWhitespace(code)) {
        index += 1;
        continue;
      }
      if (code === SLASH) {
        // As the tokenizer reads it, `/` then whitespace then `>` still closes the tag itself.
        index = this.afterWhitespace(index + 1);
        selfClosing = html.charCodeAt(index) === GT;
        continue;
      }
      selfClosing = false;
      // An attribute: its name (whatever its first character), then perhaps `=` and a value.
      const start = index;
      index += 1;
      while (index < length) {
        const inName = html.charCodeAt(index);
        if (inName === EQUALS || isEndOfName(inName)) break;
        index += 1;
      }
      let probe = this.afterWhitespace(index);
      let valueLength = 0;
      if (html.charCodeAt(probe) === EQUALS) {
        probe = this.afterWhitespace(probe + 1);
        const quote = html.charCodeAt(probe);
        if (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) {
          const close = html.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", probe + 1);
          index = close === -1 ? length : close + 1;
          valueLength = index - probe - 2;
        } else {
          index = probe;
          while (index < length) {
            const inValue = html.charCodeAt(index);
            if (inValue === GT || isWhitespace(inValue)) break;
            index += 1;
          }
          valueLength = index - probe;
        }
      }
      attributes += 1;
      if (attributes > limits.maxAttributes || valueLength > limits.maxAttributeChars) {
        cuts ??= [];
        cuts.push([start, index]);
        this.attributesTrimmed = true;
      }
    }
    return { name, end: length, selfClosing, cuts: cuts ?? NO_CUTS };
  }

  private afterWhitespace(from: number): number {
    let index = from;
    while (index < this.html.length && isWhitespace(this.html.charCodeAt(index))) index += 1;
    return index;
  }

  /** Just past the end tag of a raw-text element whose content starts at `from`. */
  private rawTextEnd(name: string, from: number): number {
    const { html } = this;
    let index = from;
    for (;;) {
      const lt = html.indexOf('</', index);
      if (lt === -1) return html.length;
      const nameEnd = lt + 2 + name.length;
      if (
        html.slice(lt + 2, nameEnd).toLowerCase() === name &&
        (nameEnd >= html.length ||
          html.charCodeAt(nameEnd) === GT ||
          isWhitespace(html.charCodeAt(nameEnd)))
      ) {
        return this.after(html.indexOf('>', nameEnd), 1);
      }
      index = lt + 2;
    }
  }

  private depthAfterOpening(name: string): number {
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    let depth = this.stack.length;
    if (implied) while (depth > 0 && implied.has(this.stack[depth - 1] ?? '')) depth -= 1;
    const foreignDepth = FOREIGN.has(name) || INTEGRATION.has(name) ? this.foreign.length + 1 : 0;
    return Math.max(depth + 1, foreignDepth);
  }

  /** The parser's stack after an opening tag (htmlparser2's emitOpenTag and self-closing). */
  private open(name: string, selfClosing: boolean): void {
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (implied) while (this.stack.length && implied.has(this.stack.at(-1) ?? '')) this.stack.pop();
    if (VOID.has(name)) return;
    this.stack.push(name);
    if (FOREIGN.has(name)) this.foreign.push(true);
    else if (INTEGRATION.has(name)) this.foreign.push(false);
    if (selfClosing && this.foreign.at(-1) && this.stack.at(-1) === name) this.stack.pop();
  }

  /** The parser's stack after a closing tag (htmlparser2's onclosetag). */
  private close(name: string): void {
    if (FOREIGN.has(name) || INTEGRATION.has(name)) this.foreign.pop();
    if (VOID.has(name)) return;
    const at = this.stack.lastIndexOf(name);
    if (at !== -1) this.stack.length = at;
  }

  /** Leaves html[from, to) out of the result. */
  private cut(from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(this.html.slice(this.copied, from));
    this.copied = to;
  }
}
