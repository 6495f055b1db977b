import { detect } from 'chardet';

/**
 * Decodes page bytes the way browsers do, in order: byte-order mark, the HTTP Content-Type
 * charset, a `<meta charset>` / `http-equiv` declaration in the first 4 KB, then sniffing.
 * Two corrections browsers also make: bytes that are valid UTF-8 with multi-byte sequences are
 * UTF-8 whatever a single-byte label claims (a common misconfiguration), and unknown labels
 * fall back to sniffing rather than failing the page.
 */
export function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const bom = bomCharset(body);
  if (bom) return decode(body.subarray(bom.length), bom.charset);
  const declared = usable(headerCharset(contentType)) ?? usable(metaCharset(body));
  if (declared && !/^utf-?16/.test(declared)) {
    if (declared !== 'utf-8' && isMultiByteUtf8(body)) return decode(body, 'utf-8');
    return decode(body, declared);
  }
  // A UTF-16 label on bytes without UTF-16's zeros is wrong (browsers read such pages as UTF-8).
  if (declared) return decode(body, utf16Endianness(body) ?? 'utf-8');
  return decode(body, sniff(body));
}

function decode(body: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(body);
}

function usable(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

function bomCharset(body: Uint8Array): { charset: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)
    return { charset: 'utf-8', length: 3 };
  if (body[0] === 0xfe && body[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  if (body[0] === 0xff && body[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  return undefined;
}

function headerCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

function metaCharset(body: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 4096)).replace(/\0/g, '');
  // The attributes before `charset` are bounded: `[^>]+` backtracks over the whole of every
  // unclosed <meta in the head.
  return /<meta\b[^>]{0,512}?charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
}

/** UTF-16 without a BOM: ASCII text has a zero in every other byte. */
function utf16Endianness(body: Uint8Array): string | undefined {
  const sample = body.subarray(0, 512);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < sample.length; index += 1) {
    if (sample[index] !== 0) continue;
    // An if/else rather than assignments inside a ternary (Biome's noAssignInExpressions).
    if (index % 2 === 0) evenZeros += 1;
    else oddZeros += 1;
  }
  if (evenZeros > sample.length / 4) return 'utf-16be';
  if (oddZeros > sample.length / 4) return 'utf-16le';
  return undefined;
}

function isMultiByteUtf8(body: Uint8Array): boolean {
  let multiByte = false;
  for (const byte of body) {
    if (byte >= 0x80) {
      multiByte = true;
      break;
    }
  }
  if (!multiByte) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** Enough of a page for its letters' statistics; detection over megabytes would cost them. */
const SNIFF_BYTES = 256 * 1024;

/**
 * No declaration: UTF-16 by its zeros, UTF-8 when the bytes are valid UTF-8 (or plain ASCII),
 * else whatever chardet (ICU's detectors: the single-byte code pages of Europe, Cyrillic, Greek,
 * Hebrew, Arabic and Thai by their letter statistics, and Shift_JIS, EUC-JP/KR, GB18030, Big5)
 * finds most likely, read with the WHATWG decoder of that label (ISO-8859-1 is windows-1252,
 * ISO-8859-9 windows-1254, as browsers read them). windows-1252 when it finds nothing usable.
 */
function sniff(body: Uint8Array): string {
  const utf16 = utf16Endianness(body);
  if (utf16) return utf16;
  if (isMultiByteUtf8(body) || !body.some((byte) => byte >= 0x80)) return 'utf-8';
  const detected = usable(detect(body.subarray(0, SNIFF_BYTES)) ?? undefined);
  // UTF-8 was ruled out above; a UTF-16 guess without UTF-16's zeros is noise.
  return detected && detected !== 'utf-8' && !detected.startsWith('utf-16')
    ? detected
    : 'windows-1252';
}
