import type { UnsubscribeOutcome } from '../subscribers/unsubscribe.js';
import { escapeHtml, type Page, page } from './web-page.js';

/**
 * The small pages of the unsubscribe flow. The confirmation page's button POSTs the RFC 8058
 * body to the very URL it was opened with, so the browser path and a mail client's one-click
 * POST take the same way through the handler.
 */
export function unsubscribePage(
  outcome: UnsubscribeOutcome,
  listTitle: string,
  formAction: string,
): Page {
  switch (outcome.kind) {
    case 'confirm':
      return {
        status: 200,
        html: page(
          'Unsubscribe',
          `<p>Stop sending <strong>${escapeHtml(listTitle)}</strong> to <strong>${escapeHtml(outcome.address)}</strong>?</p>
<form method="post" action="${escapeHtml(formAction)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
        ),
      };
    case 'unsubscribed':
      return {
        status: 200,
        html: page(
          'Unsubscribed',
          `<p><strong>${escapeHtml(outcome.address)}</strong> will get no more <strong>${escapeHtml(listTitle)}</strong> emails.</p>`,
        ),
      };
    case 'invalid':
      return { status: 400, html: page('This link does not work', badLink(outcome.reason)) };
    case 'forbidden':
      return { status: 403, html: page('This link does not work', badLink(outcome.reason)) };
  }
}

function badLink(reason: string): string {
  return `<p>Nothing was changed: ${escapeHtml(reason)}.</p>
<p>Use the unsubscribe link of a recent email, copied whole.</p>`;
}
