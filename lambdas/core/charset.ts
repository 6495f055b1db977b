/**
 * Decodes page bytes the way browsers do, in order: byte-order mark, the HTTP Content-Type
 * charset, a `<meta charset>` / `http-equiv` declaration in the first 2 KB, then UTF-8.
 * Labels TextDecoder does not know fall back to UTF-8 rather than failing the page.
 */
export function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const charset = bomCharset(body) ?? headerCharset(contentType) ?? metaCharset(body) ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function bomCharset(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function headerCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

function metaCharset(body: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
}
