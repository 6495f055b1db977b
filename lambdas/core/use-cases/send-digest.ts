import { coverageOf } from '../coverage.js';
import { mergeDevelopments } from '../development-merge.js';
import { buildDigest, type Digest, digestJson } from '../digest.js';
import { describeError } from '../errors.js';
import { weekWindow } from '../iso-week.js';
import { copiesAmong } from '../near-duplicates.js';
import type { ArchiveStore, Log, Mailer, StoryStore } from '../ports.js';
import type { DigestRenderer, RenderedDigest } from '../render-digest.js';
import type { Story } from '../story.js';

export interface DigestDeps {
  readonly store: StoryStore;
  readonly archive: ArchiveStore;
  readonly mailer: Mailer;
  readonly renderer: DigestRenderer;
  readonly log: Log;
  readonly now: () => Date;
}

export interface DigestOutcome {
  readonly week: string;
  readonly developments: number;
  readonly htmlKey: string;
  readonly sent: readonly string[];
  readonly alreadySent: readonly string[];
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
  readonly digest: Digest;
  readonly rendered: RenderedDigest;
}

/**
 * Builds one week's digest from the time index, renders it, archives it. The story's whole
 * history up to the week's end is read: a happening that another outlet reported before, under
 * another key, is merged with it and so is not new this week, and the status box and timeline
 * come from it. A source that copies another article (a syndicated story, a light rewrite) is
 * marked with the original's id.
 */
export async function composeDigest(
  story: Story,
  week: string,
  deps: Pick<DigestDeps, 'store' | 'renderer'>,
): Promise<{ digest: Digest; rendered: RenderedDigest }> {
  const window = weekWindow(week, story.timeZone);
  const lookback = new Date(
    Date.parse(window.from) - (story.digest.backgroundDays + 7) * 86_400_000,
  ).toISOString();
  const [stored, fingerprints, counts, states] = await Promise.all([
    deps.store.developmentsFirstReported(story.id, '0000', window.to),
    deps.store.fingerprintsBetween(story.id, lookback, window.to),
    deps.store.articleCounts(story.id, week),
    Promise.all(story.sources.map((source) => deps.store.getSourceState(story.id, source.id))),
  ]);
  const copies = copiesAmong(fingerprints);
  const history = mergeDevelopments(stored).map((development) =>
    development.firstReportedAt < window.from
      ? development
      : {
          ...development,
          sources: development.sources.map((source) => {
            const original = copies.get(source.articleId);
            return original
              ? { ...source, duplicateOf: { articleId: original.articleId, kind: original.kind } }
              : source;
          }),
        },
  );
  const coverage = coverageOf(
    story.sources.map((source, index) => ({
      outlet: source.outlet ?? source.id,
      state: states[index],
    })),
    counts,
  );
  const digest = buildDigest({ story, window, history, coverage });
  return { digest, rendered: deps.renderer.render(digest) };
}

/**
 * Composes, archives and sends one week's digest. Each recipient is claimed in the ledger
 * before sending, so a retried or repeated invocation never sends the same week twice; a
 * failed send is reported and the remaining recipients still get theirs.
 */
export async function sendDigest(
  story: Story,
  week: string,
  recipients: readonly string[],
  deps: DigestDeps,
): Promise<DigestOutcome> {
  const { digest, rendered } = await composeDigest(story, week, deps);
  const { htmlKey } = await deps.archive.putDigest(story.id, week, {
    html: rendered.html,
    text: rendered.text,
    json: digestJson(digest),
  });
  const sent: string[] = [];
  const alreadySent: string[] = [];
  const failed: { recipient: string; reason: string }[] = [];
  const count = digest.items.length + digest.exchanges.length;
  // A quiet week still reassures readers that the story was watched, unless the story says not to.
  const quietAndSkipped = count === 0 && !story.digest.sendEmptyWeek;
  if (quietAndSkipped) deps.log.info('nothing new this week: no digest sent', { week });
  for (const recipient of quietAndSkipped ? [] : recipients) {
    const claimed = await deps.store.claimDelivery(
      story.id,
      week,
      recipient,
      deps.now().toISOString(),
    );
    if (!claimed) {
      alreadySent.push(recipient);
      continue;
    }
    try {
      const { messageId } = await deps.mailer.send({
        from: story.digest.sender,
        to: recipient,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
      });
      await deps.store.markDelivered(story.id, week, recipient, messageId);
      sent.push(recipient);
    } catch (error) {
      await deps.store.releaseDelivery(story.id, week, recipient);
      failed.push({ recipient, reason: describeError(error) });
      deps.log.error('digest not sent', { week, recipient, reason: describeError(error) });
    }
  }
  deps.log.info('digest finished', {
    week,
    developments: count,
    sent: sent.length,
    alreadySent: alreadySent.length,
    failed: failed.length,
  });
  return {
    week,
    developments: count,
    htmlKey,
    sent,
    alreadySent,
    failed,
    digest,
    rendered,
  };
}
