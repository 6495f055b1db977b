import type { EventType } from './model.js';

/** Trigger words per event type, most specific first: on a tie of position the first wins. */
const TRIGGERS: readonly (readonly [EventType, RegExp])[] = [
  [
    'PROGRAM_EXCLUSION',
    /\b(remov\w*|suspen\w*|expel\w*|expulsion|exclu\w*|kick\w* out|unwind\w*|wind\w* down)\b[^.]*\b(program(me)?|F-35)|\b(involvement|participation)\b[^.]*\bimpossible\b/i,
  ],
  ['SANCTION', /\b(impos\w*|slapp\w*|levied|announc\w*)\b[^.]*\bsanctions?\b|\bsanctioned\b/i],
  [
    'DENIAL',
    /\b(den(y|ies|ied|ial)|reject\w*|refut\w*|dismiss\w*|condemn\w*)\b|\b(unfair|unacceptable|a mistake)\b/i,
  ],
  ['WARNING_THREAT', /\b(warn\w*|threat\w*|caution\w*)\b/i],
  [
    'DELIVERY',
    /\b(deliver\w*|arriv\w*|shipment\w*|shipped|landed|handed over|unload\w*|supply|supplies|supplied)\b/i,
  ],
  [
    'APPROVAL_RIVAL_OFFER',
    /\b(approv\w*|offer\w*)\b[^.]*\bPatriots?\b|\bPatriots?\b[^.]*\b(approv\w*|offer\w*)\b/i,
  ],
  [
    'PRODUCTION_TECH_TRANSFER',
    /\b(technology transfer|transfer\w* (of )?(the )?(production )?technolog\w*|joint production|co-produc\w*|local production)\b/i,
  ],
  ['FINANCING', /\b(loan|credit|deposit|down payment|paid|financ\w*)\b/i],
  // Only the act (signed, agreed) reports an agreement; "the contract" merely mentions one.
  ['AGREEMENT', /\b(sign(s|ed|ing)?|agreed?|agrees|conclud\w*|inked|struck)\b/i],
  ['TEST_ACTIVATION', /\b(test\w*|activat\w*|deploy\w*|operational|test-fir\w*)\b/i],
  ['NEGOTIATION_MEETING', /\b(talks|met|meeting|negotiat\w*|consultations?|discuss\w*)\b/i],
  [
    'STATEMENT',
    /\b(said|says|say|told|tells|stated|announc\w*|confirm\w*|declar\w*|insist\w*|called|calls|described|considers)\b/i,
  ],
];

/**
 * "the decision to suspend", "a move to impose": an act named as the object of a reaction, not
 * reported as done. Masked before typing, so the reaction (a denial, a statement) is the event.
 */
const NAMED_ACT = /\b(decision|move|plan|bid|step|threat|attempt|proposal|efforts?)\s+to\s+\w+/gi;

/** Nouns that name what talks, warnings or statements are about rather than what happened. */
const TOPIC_NOUN =
  /^(deliver(y|ies)|supply|supplies|shipments?|agreements?|loan|credit|financing|deposit|tests?|testing|activation|deployment|production|meeting)$/i;
/** A completed act told in a reported clause: "had approved", "signed" (not "is signed", "would sign"). */
const REPORTED_ACT = /^(\w+ed|paid|met|struck|sold|sent|held|made|began)\b/i;
/** "signed a loan agreement", "concluded a credit deal": an agreement whose object is financing. */
const FINANCING_OBJECT = /^\s+(\S+\s+){0,3}(loan|credit|financing)\b/i;
const NOT_DONE_BEFORE = /\b(would|will|could|may|might|should|can|to|is|are|if)\s+(\w+\s+)?$/i;

interface Trigger {
  readonly type: EventType;
  readonly index: number;
  readonly word: string;
}

/**
 * The type of what a sentence (or headline) reports: the event its main clause states. The
 * earliest trigger is the main clause's; a topic noun ("talks on the S-400 delivery") gives way
 * to the act around it; a speech verb gives way to the warning or denial it reports and to a
 * completed act it announces ("the Pentagon announced that the State Department had approved").
 */
export function eventTypeOf(sentence: string): EventType | undefined {
  const text = sentence.replace(NAMED_ACT, '$1');
  const triggers = TRIGGERS.flatMap(([type, pattern]) => {
    const match = pattern.exec(text);
    return match ? [{ type, index: match.index, word: match[0].split(/\s/)[0] ?? '' }] : [];
  }).sort((a, b) => a.index - b.index);
  const acts = triggers.filter((trigger) => !TOPIC_NOUN.test(trigger.word));
  const first = acts[0] ?? triggers[0];
  if (
    first?.type === 'AGREEMENT' &&
    FINANCING_OBJECT.test(text.slice(first.index + first.word.length))
  ) {
    return 'FINANCING';
  }
  if (first?.type !== 'STATEMENT') return first?.type;
  const reported = acts.find(
    (trigger) =>
      trigger.index > first.index &&
      (trigger.type === 'DENIAL' ||
        trigger.type === 'WARNING_THREAT' ||
        (REPORTED_ACT.test(trigger.word) && isDone(text, trigger))),
  );
  return (reported ?? first).type;
}

function isDone(text: string, trigger: Trigger): boolean {
  return !NOT_DONE_BEFORE.test(text.slice(Math.max(0, trigger.index - 30), trigger.index));
}
