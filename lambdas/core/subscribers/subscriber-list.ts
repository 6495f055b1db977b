import { SubscriberImportError } from '../model/errors.js';
import * as z from '../model/zod.js';
import { normalizeAddress } from './subscriber.js';

const email = z.email();

/**
 * Reads a list of subscribers for `story-digest subscribers import`: one address per line, or a
 * CSV (RFC 4180 quoting) whose header names an `email` column (any case; other columns are
 * ignored). Blank lines, and in a plain list lines starting with `#`, are skipped. Every bad line
 * is reported with its number, and then nothing is returned: the caller adds nothing from a file
 * with an error in it. Addresses come back normalised, each once.
 */
export function parseSubscriberList(text: string, file: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: { line: number; reason: string }[] = [];
  const addresses = new Set<string>();
  const firstIndex = lines.findIndex((line) => line.trim() !== '');
  if (firstIndex === -1) throw new SubscriberImportError(file, [{ line: 1, reason: 'no address' }]);
  const header = csvFields(lines[firstIndex] ?? '');
  const isCsv = header.length > 1 || header[0]?.trim().toLowerCase() === 'email';
  let column = 0;
  if (isCsv) {
    column = header.findIndex((name) => name.trim().toLowerCase() === 'email');
    if (column === -1) {
      throw new SubscriberImportError(file, [
        { line: firstIndex + 1, reason: `no "email" column in the header (${header.join(', ')})` },
      ]);
    }
  }
  for (const [index, line] of lines.entries()) {
    if (isCsv && index <= firstIndex) continue;
    if (line.trim() === '' || (!isCsv && line.trim().startsWith('#'))) continue;
    const value = (isCsv ? csvFields(line)[column] : line)?.trim() ?? '';
    if (value === '') problems.push({ line: index + 1, reason: 'no address' });
    else if (!email.safeParse(value).success) {
      problems.push({ line: index + 1, reason: `not an email address: "${value}"` });
    } else addresses.add(normalizeAddress(value));
  }
  if (problems.length) throw new SubscriberImportError(file, problems);
  if (addresses.size === 0) {
    throw new SubscriberImportError(file, [{ line: firstIndex + 1, reason: 'no address' }]);
  }
  return [...addresses];
}

/** The fields of one CSV line: commas split, double quotes group and `""` is a quote. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
