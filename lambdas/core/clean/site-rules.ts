/**
 * Per-site extraction rules, as data: where a site's article body is, and what inside it is
 * not article. Looked up by host (without "www."), then by registrable domain; a page with no
 * rule goes to the generic extractor. Adding a site is adding an entry here and a saved page
 * with its expected text under test/fixtures/sites/.
 */
export interface SiteRule {
  /** CSS selector of the element(s) holding the article body. */
  readonly content?: string;
  /** CSS selectors of elements to remove before extraction (inline promos, embedded lists). */
  readonly drop?: readonly string[];
}

export const SITE_RULES: Readonly<Record<string, SiteRule>> = {
  // The fixture outlet of the golden test: its body is split around a promo block.
  'newsroom.example': { content: '.story-text', drop: ['.panel-weekly'] },
};

/** Second-level labels under which registrable domains have three labels (news.example.co.uk). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'gen', 'web', 'info']);

export function siteRuleFor(
  url: string | undefined,
  rules: Readonly<Record<string, SiteRule>> = SITE_RULES,
): SiteRule | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
  return rules[host] ?? rules[registrableDomain(host)];
}

function registrableDomain(host: string): string {
  const labels = host.split('.');
  const keep = labels.length > 2 && SECOND_LEVEL.has(labels.at(-2) ?? '') ? 3 : 2;
  return labels.slice(-keep).join('.');
}
