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
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
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

/**
 * No declaration: UTF-16 by its zeros, UTF-8 when the bytes are valid UTF-8, else the
 * single-byte code page whose letters the high bytes look like: Cyrillic (windows-1251) when
 * most high bytes fall in its letter range 0xC0–0xFF with few Latin-1 accented pairs, Turkish
 * (windows-1254) when its distinctive letters ğ ı ş (0xF0 0xFD 0xFE, 0xD0 0xDD 0xDE) appear,
 * otherwise windows-1252.
 */
function sniff(body: Uint8Array): string {
  const utf16 = utf16Endianness(body);
  if (utf16) return utf16;
  if (isMultiByteUtf8(body) || !body.some((byte) => byte >= 0x80)) return 'utf-8';
  let high = 0;
  let cyrillicLetters = 0;
  let turkishLetters = 0;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index] ?? 0;
    if (byte < 0x80) continue;
    high += 1;
    if (byte >= 0xc0) cyrillicLetters += 1;
    if ([0xd0, 0xdd, 0xde, 0xf0, 0xfd, 0xfe].includes(byte)) turkishLetters += 1;
  }
  // Russian text is almost all high bytes between the spaces; Turkish has a few per word.
  const asciiLetters = body.filter(
    (byte) => (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a),
  ).length;
  if (cyrillicLetters > asciiLetters && cyrillicLetters > high * 0.8) return 'windows-1251';
  if (turkishLetters > 0) return 'windows-1254';
  return 'windows-1252';
}
