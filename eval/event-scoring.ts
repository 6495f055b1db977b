/**
 * Scores extracted events against hand-made gold (the seeds' and the story corpus's format).
 *
 * An article reports a happening in several sentences, and the extractor gives an event per
 * sentence: predictions are first collapsed to distinct happenings (type, date, role). Each
 * gold event is then aligned with the prediction that best shares its type, date, role and
 * entities. From the alignments:
 * - recall: gold events whose aligned prediction has the same type and a compatible date;
 * - precision: predicted happenings that have the same type and a compatible date as some gold
 *   event;
 * - date, type and role accuracy: over the aligned pairs.
 * Dates are compatible when they can mean the same day ("2020-05" and "2020-05-12", "2020-W20").
 */

import { spansOverlap } from '../lambdas/core/model/date-span.js';
import type { EventRole, StoryEvent } from '../lambdas/core/model/records.js';

type Scored = Pick<
  StoryEvent,
  'role' | 'type' | 'date' | 'precision' | 'actors' | 'people' | 'systems'
>;
/** A hand-annotated event: what the extractor gives, with a one-line summary instead of evidence. */
export type GoldEvent = Scored & { readonly summary?: string };
export type PredictedEvent = Scored & Pick<StoryEvent, 'evidence'>;

export interface ArticleScore {
  readonly gold: number;
  readonly predicted: number;
  readonly found: number;
  readonly correct: number;
  readonly aligned: number;
  readonly dateRight: number;
  readonly typeRight: number;
  readonly roleRight: number;
  /** The gold main event found with its type and date. */
  readonly mainFound: boolean;
  /** Predicted main/new events aligned with a gold background or planned event. */
  readonly oldAsNew: readonly string[];
}

export function scoreArticle(
  gold: readonly GoldEvent[],
  predicted: readonly PredictedEvent[],
): ArticleScore {
  const happenings = distinct(predicted);
  const alignments = gold.map((event) => ({
    gold: event,
    prediction: bestMatch(event, happenings),
  }));
  const aligned = alignments.filter(
    (pair): pair is { gold: GoldEvent; prediction: PredictedEvent } =>
      pair.prediction !== undefined,
  );
  const found = aligned.filter(({ gold: event, prediction }) => sameHappening(event, prediction));
  const correct = happenings.filter((prediction) =>
    gold.some((event) => sameHappening(event, prediction)),
  );
  const main = gold.find((event) => event.role === 'main');
  const isNews = (role: EventRole) => role === 'main' || role === 'new';
  const oldAsNew = happenings
    .filter((prediction) => isNews(prediction.role))
    .filter((prediction) => {
      const match = gold.find((event) => sameHappening(event, prediction));
      return (
        match !== undefined &&
        !isNews(match.role) &&
        !gold.some((event) => isNews(event.role) && sameHappening(event, prediction))
      );
    })
    .map(
      (prediction) => `${prediction.type} ${prediction.date ?? 'undated'}: ${prediction.evidence}`,
    );
  return {
    gold: gold.length,
    predicted: happenings.length,
    found: found.length,
    correct: correct.length,
    aligned: aligned.length,
    dateRight: aligned.filter(({ gold: event, prediction }) => event.date === prediction.date)
      .length,
    typeRight: aligned.filter(({ gold: event, prediction }) => event.type === prediction.type)
      .length,
    roleRight: aligned.filter(({ gold: event, prediction }) => event.role === prediction.role)
      .length,
    mainFound:
      main !== undefined &&
      predicted.some(
        (prediction) =>
          prediction.type === main.type && prediction.date === main.date && isNews(prediction.role),
      ),
    oldAsNew,
  };
}

/** Totals over articles, as the eval prints them. */
export function summarise(scores: readonly ArticleScore[]) {
  const sum = (pick: (score: ArticleScore) => number) =>
    scores.reduce((total, score) => total + pick(score), 0);
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
  const aligned = sum((score) => score.aligned);
  return {
    precision: ratio(
      sum((score) => score.correct),
      sum((score) => score.predicted),
    ),
    recall: ratio(
      sum((score) => score.found),
      sum((score) => score.gold),
    ),
    dateAccuracy: ratio(
      sum((score) => score.dateRight),
      aligned,
    ),
    typeAccuracy: ratio(
      sum((score) => score.typeRight),
      aligned,
    ),
    roleAccuracy: ratio(
      sum((score) => score.roleRight),
      aligned,
    ),
    mainFound: scores.filter((score) => score.mainFound).length,
    withMain: scores.filter((score) => score.gold > 0).length,
    oldAsNew: sum((score) => score.oldAsNew.length),
  };
}

function distinct(predicted: readonly PredictedEvent[]): PredictedEvent[] {
  const seen = new Map<string, PredictedEvent>();
  for (const event of predicted) {
    const key = `${event.type}|${event.date}|${event.role}`;
    if (!seen.has(key)) seen.set(key, event);
  }
  return [...seen.values()];
}

function sameHappening(gold: GoldEvent, prediction: PredictedEvent): boolean {
  return gold.type === prediction.type && compatibleDates(gold.date, prediction.date);
}

export function compatibleDates(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return spansOverlap(a, b);
}

/** The prediction sharing most with the gold event; none when they share neither type nor date. */
function bestMatch(
  gold: GoldEvent,
  predictions: readonly PredictedEvent[],
): PredictedEvent | undefined {
  let best: PredictedEvent | undefined;
  let bestScore = 0;
  for (const prediction of predictions) {
    const sameType = gold.type === prediction.type;
    const datesAgree = gold.date !== null && compatibleDates(gold.date, prediction.date);
    if (!sameType && !datesAgree) continue;
    const shared = (a: readonly string[], b: readonly string[]) =>
      a.filter((value) => b.includes(value)).length;
    const score =
      (sameType ? 4 : 0) +
      (compatibleDates(gold.date, prediction.date) ? 3 : 0) +
      (gold.role === prediction.role ? 1 : 0) +
      0.5 * shared(gold.people, prediction.people) +
      0.25 * (shared(gold.systems, prediction.systems) + shared(gold.actors, prediction.actors));
    if (score > bestScore) {
      best = prediction;
      bestScore = score;
    }
  }
  return best;
}
