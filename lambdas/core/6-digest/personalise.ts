/**
 * Where each reader's unsubscribe link goes in the shared rendering. Kept apart from the
 * renderer so that the senders, which only fill it in, ship no template engine.
 */
export const UNSUBSCRIBE_PLACEHOLDER = 'https://unsubscribe.invalid/placeholder';

/** The subject, HTML and text of one email. */
export interface EmailContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** What Handlebars' escapeExpression escapes, the same way, so HTML links read as rendered. */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** One reader's email from the shared rendering: their unsubscribe link in place. */
export function personalise(shared: EmailContent, unsubscribeUrl: string): EmailContent {
  const escaped = unsubscribeUrl.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char] ?? char);
  return {
    subject: shared.subject,
    html: shared.html.replaceAll(UNSUBSCRIBE_PLACEHOLDER, escaped),
    text: shared.text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl),
  };
}
