const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0xff, 0xd8, 0xff], // JPEG
  [0x50, 0x4b, 0x03, 0x04], // ZIP (docx, xlsx, …)
  [0x1f, 0x8b], // gzip that was not decoded
];

export type PageKind = { readonly html: true } | { readonly html: false; readonly reason: string };

/**
 * Whether a response is an HTML page, judged from its declared type and its first bytes the way
 * browsers sniff: binary content is never HTML whatever its label; a page labelled text/plain
 * that starts like an HTML document is HTML; other declared types (PDF, images, JSON) are not.
 */
export function pageKind(contentType: string | undefined, body: Uint8Array): PageKind {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return { html: false, reason: 'empty body' };
  if (looksBinary(body))
    return { html: false, reason: `binary content${type ? ` served as ${type}` : ''}` };
  if (type === '' || type === 'text/html' || type === 'application/xhtml+xml')
    return { html: true };
  if (type === 'text/plain' && startsLikeHtml(body)) return { html: true };
  return { html: false, reason: `not HTML (${type})` };
}

function looksBinary(body: Uint8Array): boolean {
  if (BINARY_SIGNATURES.some((signature) => signature.every((byte, index) => body[index] === byte)))
    return true;
  // Text has no NUL bytes (UTF-16 aside, which starts with a byte-order mark).
  const head = body.subarray(0, 1024);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  return !utf16 && head.includes(0);
}

function startsLikeHtml(body: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 512)).trimStart().toLowerCase();
  return /^(<!doctype html|<html|<head|<body|<!--)/.test(head);
}
