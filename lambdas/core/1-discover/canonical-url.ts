/** A link resolved against its page or feed, if it is http(s); anything else is undefined. */
export function resolveHttpUrl(
  link: string | undefined,
  base: string | undefined,
): string | undefined {
  if (!link?.trim()) return undefined;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Query parameters that identify a campaign or a click, never the article. */
const TRACKING_PARAMETER =
  /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|ref|ref_src|cmpid|ocid)$/i;

/**
 * The form of a URL used to recognise the same article found through different links: resolved
 * against `base`, lower-case host, no fragment, no default port, no tracking parameters, the
 * remaining parameters sorted. Returns undefined for anything that is not http(s).
 */
export function canonicalUrl(link: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  const kept = [...url.searchParams].filter(([name]) => !TRACKING_PARAMETER.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  return url.href;
}

/**
 * The URL an article is stored under: the page's declared canonical URL when it is on the same
 * site as the page (www., m. and amp. prefixes aside, so an AMP or mobile copy points to the
 * article), else the URL it was fetched from. A canonical link to another site is not trusted:
 * any page could otherwise claim any article's place.
 */
export function articleUrl(fetchedUrl: string, declaredCanonical: string | undefined): string {
  const fetched = canonicalUrl(fetchedUrl) ?? fetchedUrl;
  const declared = declaredCanonical ? canonicalUrl(declaredCanonical, fetchedUrl) : undefined;
  if (!declared) return fetched;
  return siteOf(declared) === siteOf(fetched) ? declared : fetched;
}

function siteOf(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname.replace(/^(www|m|amp|mobile)\./, '')}:${port}`;
}
