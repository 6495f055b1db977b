import { digestWebUrl, timelineWebUrl } from '../7-web/web-routes.js';
import { describeError } from '../model/errors.js';
import type { Story } from '../model/story.js';
import type { Log } from '../ports/log.js';
import type { Mailer } from '../ports/mailer.js';
import { type ComposeDeps, composeDigest } from './compose-digest.js';
import type { DigestRenderer } from './render-digest.js';

export interface PreviewDeps extends ComposeDeps {
  readonly renderer: DigestRenderer;
  readonly mailer: Mailer;
  /** The web function's URL, for the links the real email will carry. */
  readonly webBaseUrl: string;
  readonly log: Log;
}

export interface PreviewOutcome {
  readonly week: string;
  readonly developments: number;
  readonly sent: readonly string[];
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
}

/** What marks a preview in its subject line, so nobody takes it for the week's digest. */
export const PREVIEW_MARK = '[Preview]';

/**
 * Sends one week's digest as it stands now to the given addresses only, before the schedule
 * does: the email the subscribers will get, its subject marked as a preview and without an
 * unsubscribe link (the addresses need not be subscribers). Nothing is recorded: the delivery
 * ledger is not touched (the week is still sent to every subscriber, these addresses included,
 * when it runs), nothing is archived (the web copy is published by the real run), and no
 * subscriber is added.
 */
export async function previewDigest(
  story: Story,
  week: string,
  recipients: readonly string[],
  deps: PreviewDeps,
): Promise<PreviewOutcome> {
  const digest = await composeDigest(story, week, deps);
  const rendered = deps.renderer.render(digest, {
    webUrl: digestWebUrl(deps.webBaseUrl, story.id, week),
    timelineUrl: timelineWebUrl(deps.webBaseUrl, story.id),
  });
  const sent: string[] = [];
  const failed: { recipient: string; reason: string }[] = [];
  for (const recipient of recipients) {
    try {
      await deps.mailer.send({
        from: story.digest.sender,
        to: recipient,
        subject: `${PREVIEW_MARK} ${rendered.subject}`,
        html: rendered.html,
        text: rendered.text,
      });
      sent.push(recipient);
    } catch (error) {
      failed.push({ recipient, reason: describeError(error) });
      deps.log.error('digest preview not sent', { week, recipient, reason: describeError(error) });
    }
  }
  deps.log.info('digest preview sent', { week, sent, failed: failed.length });
  return { week, developments: digest.items.length + digest.exchanges.length, sent, failed };
}
