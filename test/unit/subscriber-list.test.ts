import { describe, expect, it } from 'vitest';
import { SubscriberImportError } from '../../lambdas/core/model/errors.js';
import { parseSubscriberList } from '../../lambdas/core/subscribers/subscriber-list.js';

const problemsOf = (text: string) => {
  try {
    parseSubscriberList(text, 'list.txt');
  } catch (error) {
    if (error instanceof SubscriberImportError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseSubscriberList', () => {
  it('reads one address per line, normalised, each once, skipping blank and # lines', () => {
    expect(
      parseSubscriberList(
        '\uFEFFAna@Example.org\r\n\r\n# old list\nben@example.org\nana@example.org\n',
        'f',
      ),
    ).toEqual(['ana@example.org', 'ben@example.org']);
  });

  it('reads the email column of a CSV, whatever its place, case and quoting', () => {
    const csv =
      'name,EMAIL,joined\r\n"Doe, Ana",ana@example.org,2024\r\n"Ben ""B""",  ben@example.org ,2025\r\n';
    expect(parseSubscriberList(csv, 'f')).toEqual(['ana@example.org', 'ben@example.org']);
    expect(parseSubscriberList('email\nana@example.org\n', 'f')).toEqual(['ana@example.org']);
  });

  it('reports every invalid line with its number and returns nothing', () => {
    expect(problemsOf('ana@example.org\nnot-an-address\nben@example.org\nben@\n')).toEqual([
      { line: 2, reason: 'not an email address: "not-an-address"' },
      { line: 4, reason: 'not an email address: "ben@"' },
    ]);
    expect(problemsOf('name,email\nAna,ana@example.org\nBen,\n')).toEqual([
      { line: 3, reason: 'no address' },
    ]);
    expect(() => parseSubscriberList('a\nb@', 'list.txt')).toThrow(
      /^list\.txt: 2 invalid line\(s\), nothing imported:\n {2}line 1: .*\n {2}line 2: /,
    );
  });

  it('refuses a CSV without an email column, and an empty file', () => {
    expect(problemsOf('name,address\nAna,ana@example.org\n')).toEqual([
      { line: 1, reason: 'no "email" column in the header (name, address)' },
    ]);
    expect(problemsOf('\n\n')).toEqual([{ line: 1, reason: 'no address' }]);
  });
});
