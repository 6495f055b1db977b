import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../lambdas/core/2-fetch/charset.js';

/** Bytes of `text` in a legacy charset, from the WHATWG decoder's own table (Node encodes only UTF-8). */
function encode(text: string, charset: string): Uint8Array {
  const decoder = new TextDecoder(charset);
  const bytes = new Map<string, number[]>();
  for (let byte = 0; byte < 0x100; byte += 1) {
    const char = decoder.decode(new Uint8Array([byte]));
    if (char !== '\uFFFD' && !bytes.has(char)) bytes.set(char, [byte]);
  }
  // Double-byte charsets: every lead and trail pair.
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\uFFFD' && !bytes.has(char))
        bytes.set(char, [lead, trail]);
    }
  }
  return new Uint8Array(
    [...text].flatMap((char) => {
      const found = bytes.get(char);
      if (!found) throw new Error(`${charset} has no ${char}`);
      return found;
    }),
  );
}

const page = (body: string) =>
  `<html><head><title>News</title></head><body><article><p>${body}</p><p>${body}</p></article></body></html>`;

const TEXTS = {
  russian:
    'Министерство обороны России сообщило, что поставки зенитных ракетных систем С-400 в Турцию продолжатся в соответствии с графиком.',
  turkish:
    'Türkiye Savunma Bakanlığı, S-400 hava savunma sistemlerinin teslimatının planlandığı şekilde sürdüğünü açıkladı; ilk bataryalar Mürted üssüne ulaştı.',
  polish:
    'Ministerstwo Obrony Narodowej poinformowało, że dostawy systemów obrony powietrznej będą kontynuowane zgodnie z harmonogramem, mimo że źródła w rządzie wyrażają wątpliwości.',
  greek:
    'Το υπουργείο Άμυνας ανακοίνωσε ότι οι παραδόσεις των συστημάτων αεράμυνας θα συνεχιστούν σύμφωνα με το χρονοδιάγραμμα, παρά τις αντιδράσεις της Ουάσιγκτον.',
  japanese:
    'ロシア国防省は、地対空ミサイルシステムの納入が予定通り続くと発表した。トルコ政府は最初の部隊が空軍基地に到着したと確認した。',
};

/** Pages that declare no charset, as old sites and misconfigured servers send them. */
describe('decodeBody sniffing an undeclared charset', () => {
  it.each([
    ['Russian in windows-1251', TEXTS.russian, 'windows-1251'],
    ['Russian in KOI8-R', TEXTS.russian, 'koi8-r'],
    ['Turkish in windows-1254', TEXTS.turkish, 'windows-1254'],
    ['Polish in windows-1250', TEXTS.polish, 'windows-1250'],
    ['Greek in ISO-8859-7', TEXTS.greek, 'iso-8859-7'],
    ['Japanese in Shift_JIS', TEXTS.japanese, 'shift_jis'],
  ])('reads %s', (_name, text, charset) => {
    expect(decodeBody(encode(page(text), charset), 'text/html')).toContain(text);
  });

  it('reads UTF-8 and plain ASCII as UTF-8', () => {
    expect(decodeBody(new TextEncoder().encode(page(TEXTS.greek)), undefined)).toContain(
      TEXTS.greek,
    );
    expect(decodeBody(new TextEncoder().encode(page('Plain text.')), undefined)).toContain(
      'Plain text.',
    );
  });

  it('still prefers a declaration to a guess', () => {
    const bytes = encode(page(TEXTS.russian), 'koi8-r');
    expect(decodeBody(bytes, 'text/html; charset=koi8-r')).toContain(TEXTS.russian);
  });
});
