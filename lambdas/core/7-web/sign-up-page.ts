import type { ConfirmOutcome, SignUpOutcome } from '../subscribers/sign-up.js';
import { escapeHtml, type Page, page } from './web-page.js';

/** The field bots fill: named like one a form might well ask for, hidden from people. */
export const HONEYPOT_FIELD = 'website';

/**
 * The sign-up form: one address field, and a hidden one that people never see nor reach with
 * the keyboard (off-screen rather than `display:none`, which some bots skip). It posts to the
 * URL it was served from; no script, so it works with JavaScript off.
 */
export function signUpFormPage(
  listTitle: string,
  formAction: string,
  problem?: { readonly given: string },
): Page {
  const error = problem
    ? `<p role="alert"><strong>“${escapeHtml(problem.given)}” is not an email address.</strong></p>\n`
    : '';
  return {
    status: problem ? 400 : 200,
    html: page(
      'Subscribe',
      `<p>Get <strong>${escapeHtml(listTitle)}</strong> by email: once a week, what is new in the story, each development once.</p>
${error}<form method="post" action="${escapeHtml(formAction)}">
<label for="address">Your email address</label>
<input id="address" name="address" type="email" required maxlength="254" autocomplete="email" value="${escapeHtml(problem?.given ?? '')}">
<div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">
<label for="${HONEYPOT_FIELD}">Leave this field empty</label>
<input id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off">
</div>
<button type="submit">Subscribe</button>
</form>
<p>We first email you a link to confirm. Every digest has a one-click unsubscribe link.</p>`,
    ),
  };
}

/** What the form's POST answers. */
export function signUpAnswerPage(
  outcome: Exclude<SignUpOutcome, { kind: 'invalidAddress' }>,
  listTitle: string,
): Page {
  if (outcome.kind === 'tooManyRequests') {
    return {
      status: 429,
      html: page(
        'Too many requests',
        '<p>Too many sign-ups came from your network in the last hour. Please try again later.</p>',
      ),
    };
  }
  return {
    status: 200,
    html: page(
      'Check your inbox',
      `<p>If <strong>${escapeHtml(outcome.address)}</strong> can receive <strong>${escapeHtml(listTitle)}</strong>, a link to confirm the subscription is on its way there. Open it within 48 hours.</p>
<p>Nothing arrived? Look in the spam folder; a new link can be sent an hour after the last one.</p>`,
    ),
  };
}

/**
 * The pages of a confirmation link. The button POSTs to the very URL the page was opened with:
 * a GET (a mail scanner following the link) subscribes nobody.
 */
export function confirmPage(outcome: ConfirmOutcome, listTitle: string, formAction: string): Page {
  const title = escapeHtml(listTitle);
  switch (outcome.kind) {
    case 'confirmPage':
      return {
        status: 200,
        html: page(
          'Confirm your subscription',
          `<p>Send <strong>${title}</strong> to <strong>${escapeHtml(outcome.address)}</strong> every week?</p>
<form method="post" action="${escapeHtml(formAction)}">
<button type="submit">Confirm the subscription</button>
</form>`,
        ),
      };
    case 'confirmed':
      return {
        status: 200,
        html: page(
          'Subscribed',
          `<p><strong>${escapeHtml(outcome.address)}</strong> will get <strong>${title}</strong> from the next digest on. Each one has a link to unsubscribe.</p>`,
        ),
      };
    case 'notConfirmed':
      return {
        status: 409,
        html: page(
          'Not subscribed',
          `<p><strong>${escapeHtml(outcome.address)}</strong> was not subscribed: ${
            outcome.status === 'suppressed'
              ? 'mail to it bounced or was reported as spam, so nothing more is sent there.'
              : 'it unsubscribed after this link was sent. Ask for a new link on the sign-up page.'
          }</p>`,
        ),
      };
    case 'badLink':
      return {
        status: outcome.reason === 'forged' ? 403 : 400,
        html: page(
          'This link does not work',
          `<p>Nothing was changed: ${
            outcome.reason === 'expired'
              ? 'the link is older than 48 hours. Sign up again for a new one.'
              : 'the link is incomplete or was changed. Use the link of the email, copied whole.'
          }</p>`,
        ),
      };
  }
}
