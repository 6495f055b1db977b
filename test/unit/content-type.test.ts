import { describe, expect, it } from 'vitest';
import { pageKind } from '../../lambdas/core/2-fetch/content-type.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('pageKind', () => {
  it('accepts HTML, and HTML mislabelled as text/plain', () => {
    expect(pageKind('text/html; charset=utf-8', bytes('<p>x</p>'))).toEqual({ html: true });
    expect(pageKind('text/plain', bytes('\n  <!DOCTYPE html><html><body>x</body></html>'))).toEqual(
      { html: true },
    );
  });

  it('refuses binary content whatever its label, and other declared types', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(pageKind('text/html', png)).toEqual({
      html: false,
      reason: 'binary content served as text/html',
    });
    expect(pageKind('application/pdf', bytes('%PDF-1.7'))).toMatchObject({ html: false });
    expect(pageKind('application/json', bytes('{"a":1}'))).toEqual({
      html: false,
      reason: 'not HTML (application/json)',
    });
    expect(pageKind('text/plain', bytes('just words'))).toEqual({
      html: false,
      reason: 'not HTML (text/plain)',
    });
    expect(pageKind('text/html', new Uint8Array())).toEqual({ html: false, reason: 'empty body' });
  });
});
