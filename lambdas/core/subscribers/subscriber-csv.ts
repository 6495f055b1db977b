import type { Subscriber } from './subscriber.js';

/** The columns of `story-digest subscribers export`, in order. */
const COLUMNS = [
  'address',
  'status',
  'createdAt',
  'confirmedAt',
  'unsubscribedAt',
  'suppressedAt',
  'suppressionReason',
] as const satisfies readonly (keyof Subscriber)[];

/**
 * Subscribers as CSV (RFC 4180: a header line, CRLF line ends, fields quoted when they hold a
 * comma, a quote or a line break), for a spreadsheet or another mailing tool. A field that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
 */
export function subscribersCsv(subscribers: readonly Subscriber[]): string {
  const lines = [
    COLUMNS.join(','),
    ...subscribers.map((subscriber) =>
      COLUMNS.map((column) => csvField(subscriber[column] ?? '')).join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
