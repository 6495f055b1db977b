import type { EventType } from '../model/records.js';
import type { Story } from '../model/story.js';

/** Words as a pattern that matches any word they begin ("suspend" in "suspended"). */
function wordsPattern(words: readonly string[]): string {
  return words
    .map((word) =>
      word
        .replace(/\*$/, '')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/[-\s]+/g, '[-\\s]?'),
    )
    .join('|');
}

/**
 * Trigger words per event type, most specific first: on a tie of position the first wins. The
 * story's own words complete two of them: the programmes an exclusion removes from, the rival
 * systems an offer is of (without rivals, a story has no rival offers).
 */
function triggersOf(
  events: Pick<Story['events'], 'types' | 'cues'>,
): (readonly [EventType, RegExp])[] {
  const programmes = events.cues.PROGRAM_EXCLUSION ?? [];
  const rivals = events.cues.APPROVAL_RIVAL_OFFER ?? [];
  const declared = events.types.flatMap((type) => {
    const words = type.cues.en;
    return words?.length
      ? [[type.name, new RegExp(`\\b(${wordsPattern(words)})\\w*`, 'i')] as const]
      : [];
  });
  return [
    ...declared,
    [
      'PROGRAM_EXCLUSION',
      new RegExp(
        `\\b(remov\\w*|suspen\\w*|expel\\w*|expulsion|exclu\\w*|kick\\w* out|unwind\\w*|wind\\w* down|halt\\w*|stopp\\w*|freez\\w*)\\b(?:[^.]|\\.(?=\\d))*\\b(program(me)?${programmes.length ? `|${wordsPattern(programmes)}` : ''})|\\b(involvement|participation|role)\\b(?:[^.]|\\.(?=\\d))*\\b(impossible|no longer possible)\\b`,
        'i',
      ),
    ],
    [
      'SANCTION',
      /\b(impos\w*|slapp\w*|levied|announc\w*)\b(?:[^.]|\.(?=\d))*\bsanctions?\b|\bsanctioned\b/i,
    ],
    [
      'DENIAL',
      // Denials, rejections and condemnations of a claim or of the other side's decision.
      /\b(den(y|ies|ied|ial)|reject\w*|refut\w*|dismiss\w*|condemn\w*|slam\w*|rebuff\w*|retort\w*|hit(s)? back|fires? back|react\w* (to|against)|retaliat\w*|baseless|unfounded|groundless|untrue)\b|\b(unfair|unacceptable|a mistake|not true|no truth|out of the question|matter is closed)\b/i,
    ],
    [
      'WARNING_THREAT',
      // Warnings, ultimatums ("until July 31 to drop it or be removed"), sanctions proposed or
      // risked rather than imposed, and bills: a chamber's vote is pressure, not yet a law.
      /\b(warn\w*|threat\w*|caution\w*|ultimatum|deadline)\b|\buntil\b[^.]{0,60}\bor (be|face|lose|leave)\b|\b(would|could|bill|legislation|risks?|face|possible)\b[^.]{0,40}\bsanction|\b(bill|legislation|amendment|draft law)\b/i,
    ],
    [
      'DELIVERY',
      // Not the adjective: "the newly delivered system".
      // Nor a speech "as prepared for delivery".
      /\b(?<!(newly|recently|already|prepared for) )((?:tak(?:e|es|ing|en)|took) delivery|deliver\w*|arriv\w*|shipment\w*|shipped|landed|handed over|unload\w*|supply|supplies|supplied)\b/i,
    ],
    ...(rivals.length
      ? [
          [
            'APPROVAL_RIVAL_OFFER',
            new RegExp(
              `\\b(approv\\w*|offer\\w*|clear(s|ed)?)\\b(?:[^.]|\\.(?=\\d))*\\b(${wordsPattern(rivals)})|\\b(${wordsPattern(rivals)})\\b(?:[^.]|\\.(?=\\d))*\\b(approv\\w*|offer\\w*)\\b`,
              'i',
            ),
          ] as const,
        ]
      : []),
    [
      'PRODUCTION_TECH_TRANSFER',
      /\b(technology transfer|transfer\w* (of )?(the )?(production )?technolog\w*|joint production|co-produc\w*|local production)\b/i,
    ],
    [
      'FINANCING',
      // Loans, payments, funds, and a purchase told with its price.
      /\b(loan|credit|deposit|down payment|paid|financ\w*|fund|payouts?)\b|\b(buys?|bought|purchas\w*)\b(?=[^.]{0,80}(\$|USD|€|£|billion|million|loan|credit))/i,
    ],
    // Only the act (signed, agreed) reports an agreement; "the contract" merely mentions one.
    // "signed", "signs the deal", never the noun ("no sign of backing away").
    [
      'AGREEMENT',
      // An order placed is a deal; "ordered airlines to ground" is a directive.
      /\b(sign(ed|ing)|signs\b(?! of)|agreed?|agrees|conclud\w*|inked|struck|placed (an? )?(\w+ )?orders?)\b|\bordered\s+(\d[\d,]*|more|new|additional)\b/i,
    ],
    [
      'TEST_ACTIVATION',
      // "test", "tested", "testing", not "testify" or "testimony".
      /\b(tests?|tested|testing|trials?|activat\w*|switched on|deploy\w*|operational|test-fir\w*|return\w* to service|back in service)\b/i,
    ],
    [
      'LEGAL_REGULATORY',
      /\b(court|ruled|ruling|verdict|judge|regulators?|regulatory|un-?ground\w*|grounded|grounding|grounds|(to|must|will|would) ground|re-?certif\w*|certif\w*|airworthiness|permits?|licen[cs]\w*|fined|penalt\w*|settle(s|d|ment)|clear(s|ed)? (\w+ ){0,4}to (fly|return)|indict\w*|lawsuits?|sued|prosecut\w*|bann?(ed|ing|s)?|probe|investigators?|findings)\b|\b(preliminary|final|interim|investigation|accident|crash|inspector\w*|audit) report\b/i,
    ],
    [
      'INCIDENT',
      /\b(crash\w*|accident|explo(ded|sion)\w*|collid\w*|collision|blaze|leak\w*|outage|killed|casualt\w*)\b/i,
    ],
    [
      'CORPORATE',
      // A company's own steps, not any purchase: "Turkey's acquisition of the S-400" is none.
      /\b(merger|takeover|buyout|IPO|layoffs?|job cuts)\b|\b(CEO|chief executive|chairman)\b[^.]{0,60}\b(resign\w*|fired|ousted|replac\w*|appoint\w*|named|steps? down|stepped down|quit)\b|\b(resign\w*|ousted|replac\w*|appoint\w*|named)\b[^.]{0,40}\b(CEO|chief executive|chairman)\b/i,
    ],
    [
      'CONSTRUCTION',
      /\b(construction|groundbreaking|broke ground|building works?|foundation stone|laid the foundation)\b/i,
    ],
    [
      'NEGOTIATION_MEETING',
      /\b(talks|met|meeting|negotiat\w*|consultations?|discuss\w*|summit|phone call|testif\w*|testimony|(congressional|senate|house) hearing)\b/i,
    ],
    [
      'STATEMENT',
      /\b(said|says|say|told|tells|stated|announc\w*|confirm\w*|declar\w*|insist\w*|called|calls|described|considers)\b/i,
    ],
  ];
}

/**
 * "the decision to suspend", "a move to impose": an act named as the object of a reaction, not
 * reported as done. Masked before typing, so the reaction (a denial, a statement) is the event.
 */
const NAMED_ACT = /\b(decision|move|plan|bid|step|threat|attempt|proposal|efforts?)\s+to\s+\w+/gi;

/** Nouns that name what talks, warnings or statements are about rather than what happened. */
const TOPIC_NOUN =
  /^(deliver(y|ies)|supply|supplies|shipments?|agreements?|loan|credit|financing|deposit|tests?|testing|activation|deployment|production|meeting|crash(es)?|accidents?|explosions?|incidents?)$/i;
/**
 * An announcement of a completed act is that act ("the Pentagon announced that the State
 * Department had approved"); a confirmation or a claim ("Erdogan said Turkey has signed") is a
 * statement of its own.
 */
const ANNOUNCING = /^announc/i;
/** Acts done by declaring them: "the Pentagon said it was suspending Turkey from the F-35". */
const DECLARED: ReadonlySet<EventType> = new Set([
  'PROGRAM_EXCLUSION',
  'SANCTION',
  'APPROVAL_RIVAL_OFFER',
  'LEGAL_REGULATORY',
]);
/** The verb of a completed act: "approved", "paid", "began". */
const REPORTED_ACT = /^(\w+ed|paid|met|struck|sold|sent|held|made|began)\b/i;
/**
 * Verbs that make a topic noun the act: its delay ("activation was delayed") or its course
 * ("the second phase of deliveries began", "delivery … has been completed", "received the first
 * shipment").
 */
const ASPECT =
  /\b(delay\w*|postpon\w*|push\w* back|put off|halt\w*|start\w*|began|begun|begins?|complet\w*|resum\w*|receiv\w*|cut\w*|reduc\w*|suspend\w*|stopp\w*|boost\w*)\b/i;
/** "…has been completed, the ministry said": the speech verb of a trailing attribution. */
const ATTRIBUTION_AFTER = /,\s*(\S+\s+){0,8}$/;
/** "had arrived": the past perfect of reported speech tells a completed act. */
const BACKSHIFTED = /\bhad\s+(been\s+)?$/i;
/** "deliveries had started": a topic noun whose course the past perfect reports. */
const BACKSHIFTED_ASPECT =
  /^[^.,;]{0,40}?\bhad\s+(been\s+)?(delay|postpon|start|beg[au]n|complet|resum|halt)/i;
/** "says second stage of deliveries completed": a topic noun whose course a headline reports done. */
const COMPLETED_ASPECT =
  /^[^.,;]{0,40}?\b(completed|began|begun|started|halted|resumed|delayed|postponed|suspended)\b/i;
/** "signed a loan agreement", "concluded a credit deal": an agreement whose object is financing. */
const FINANCING_OBJECT = /^\s+(\S+\s+){0,3}(loan|credit|financing)\b/i;
/** "would sign", "to impose", "be removed", "not signed": an act not (yet) done. */
const NOT_DONE_BEFORE = /\b(would|will|could|may|might|should|can|to|if|be|not)\s+(\w+\s+)?$/i;

/** "Following the U.S. warnings …, Cavusoglu said": what led up to the news, not the news. */
const LEADING_ADJUNCT =
  /^(following|after|amid|despite|in response to|in the wake of|ahead of|before)\b[^,]{1,200},\s*/i;

interface Trigger {
  readonly index: number;
}

/**
 * The type of what a sentence (or headline) reports: the event its main clause states.
 * - A leading adjunct ("Following the U.S. warnings, …") is left out when the rest reports an act.
 * - The earliest trigger is the main clause's, but a topic noun ("talks on the S-400
 *   delivery") gives way to the act around it, unless a verb makes it the act ("deliveries
 *   were postponed", "the second phase of deliveries began").
 * - An attribution after the fact ("…has been completed, the ministry announced") is not the
 *   event: what it attributes is.
 * - A speech verb gives way to the warning or denial it reports, to an act done by declaring
 *   it (an exclusion, a sanction, an approval), and to a completed act it announces or
 *   backshifts ("announced that the State Department had approved", "said the parts had
 *   arrived", "said deliveries had started"); a claim in the present ("said Turkey has signed") stays a statement.
 */
export class EnglishTyper {
  private readonly triggers: readonly (readonly [EventType, RegExp])[];

  constructor(events: Pick<Story['events'], 'types' | 'cues'>) {
    this.triggers = triggersOf(events);
  }

  typeOf(sentence: string): EventType | undefined {
    const adjunct = LEADING_ADJUNCT.exec(sentence);
    return (
      (adjunct && this.mainClauseType(sentence.slice(adjunct[0].length))) ??
      this.mainClauseType(sentence)
    );
  }

  private mainClauseType(sentence: string): EventType | undefined {
    const text = sentence.replace(NAMED_ACT, '$1');
    const triggers = this.triggers
      .flatMap(([type, pattern]) => {
        const match = pattern.exec(text);
        return match ? [{ type, index: match.index, word: match[0].split(/\s/)[0] ?? '' }] : [];
      })
      .sort((a, b) => a.index - b.index);
    const aspect = ASPECT.exec(text);
    const acts = triggers.filter(
      (trigger) =>
        !TOPIC_NOUN.test(trigger.word) ||
        (aspect !== null && Math.abs(aspect.index - trigger.index) <= 40),
    );
    const first = acts[0] ?? triggers[0];
    if (
      first?.type === 'AGREEMENT' &&
      FINANCING_OBJECT.test(text.slice(first.index + first.word.length))
    ) {
      return 'FINANCING';
    }
    if (first?.type !== 'STATEMENT') return first?.type;
    const attributed = triggers.find(
      (trigger) => trigger.index < first.index && trigger.type !== 'STATEMENT',
    );
    if (attributed && ATTRIBUTION_AFTER.test(text.slice(0, first.index))) return attributed.type;
    // "Boeing announces fund for families": what is announced, when it follows at once.
    const announced = acts.find(
      (trigger) =>
        trigger.index > first.index &&
        trigger.type !== 'STATEMENT' &&
        ANNOUNCING.test(first.word) &&
        /^\W*(\S+\W+){0,3}$/.test(text.slice(first.index + first.word.length, trigger.index)),
    );
    if (announced) return announced.type;
    const reported = acts.find(
      (trigger) =>
        trigger.index > first.index &&
        !/,\s*$/.test(text.slice(0, trigger.index)) &&
        (trigger.type === 'DENIAL' ||
          trigger.type === 'WARNING_THREAT' ||
          (DECLARED.has(trigger.type) && isDone(text, trigger)) ||
          (REPORTED_ACT.test(trigger.word) &&
            isDone(text, trigger) &&
            (ANNOUNCING.test(first.word) || BACKSHIFTED.test(text.slice(0, trigger.index)))) ||
          (TOPIC_NOUN.test(trigger.word) && BACKSHIFTED_ASPECT.test(text.slice(trigger.index))) ||
          (TOPIC_NOUN.test(trigger.word) && COMPLETED_ASPECT.test(text.slice(trigger.index)))),
    );
    return (reported ?? first).type;
  }
}

function isDone(text: string, trigger: Trigger): boolean {
  return !NOT_DONE_BEFORE.test(text.slice(Math.max(0, trigger.index - 30), trigger.index));
}
