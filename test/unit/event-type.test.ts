import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { EnglishTyper } from '../../lambdas/core/4-extract/event-type.js';

const typer = new EnglishTyper(loadStoryFile('stories/s400-turkey.json').events);
const eventTypeOf = (sentence: string) => typer.typeOf(sentence);

describe('eventTypeOf: the event the main clause states', () => {
  it.each([
    [
      'what led up to the news is not the news',
      'Following the U.S. warnings to Turkey, on Tuesday Cavusoglu said the deal was done.',
      'STATEMENT',
    ],
    [
      'a course of deliveries reported in the past perfect',
      "Turkey's Defence Ministry said on Tuesday that the second phase of S-400 deliveries had started.",
      'DELIVERY',
    ],
    [
      'taking delivery is a delivery, whatever the warnings around it',
      'Turkey takes delivery of first Russian S-400 hardware despite US warnings',
      'DELIVERY',
    ],
    [
      'receiving a shipment is a delivery, whatever the warnings brushed aside',
      'Turkey received the first shipment of the S-400 on Friday, brushing aside repeated US warnings.',
      'DELIVERY',
    ],
    [
      'a participle used as an adjective is no act',
      'F-16s flew over Ankara to give the newly delivered S-400 radars a target.',
      undefined,
    ],
    [
      'a topic noun gives way to the talks about it',
      'Talks on the second S-400 delivery continue in Moscow.',
      'NEGOTIATION_MEETING',
    ],
    [
      'a delay makes the topic noun the act',
      'The pandemic delayed the activation of the S-400, Kalin said.',
      'TEST_ACTIVATION',
    ],
    [
      'an attribution after the fact is not the event',
      'The delivery of a second battery has been completed, the ministry announced on Sunday.',
      'DELIVERY',
    ],
    [
      'an act done by declaring it',
      'The Pentagon said on Wednesday it was suspending Turkey from the F-35 programme.',
      'PROGRAM_EXCLUSION',
    ],
    [
      'an announced completed act',
      'The Pentagon announced that the State Department had approved a sale of Patriot missiles.',
      'APPROVAL_RIVAL_OFFER',
    ],
    [
      'a backshifted act told by a speaker',
      'The ministry said the first parts of the S-400 had arrived at Murted.',
      'DELIVERY',
    ],
    [
      'a claim in the present stays a statement',
      'Erdogan said on Tuesday that Turkey has signed for the S-400.',
      'STATEMENT',
    ],
    [
      'a denial reported by a speech verb',
      'The ministry said it rejected the claims of a new S-400 deal.',
      'DENIAL',
    ],
    [
      'a denial in an adjunct does not retype a confirmation',
      'Erdogan on Friday confirmed the tests, rejecting US criticism.',
      'STATEMENT',
    ],
    [
      'an agreement whose object is a loan',
      'Ankara signed a loan agreement with Moscow for the S-400.',
      'FINANCING',
    ],
    [
      'an ultimatum is a threat',
      'Shanahan told Akar that Turkey has until July 31 to drop the S-400 or be removed from the F-35 programme.',
      'WARNING_THREAT',
    ],
    [
      'sanctions proposed, not imposed, are a threat',
      'A Senate panel approved a bill that would sanction Turkey over the S-400.',
      'WARNING_THREAT',
    ],
  ])('%s', (_rule, sentence, type) => {
    expect(eventTypeOf(sentence)).toBe(type);
  });

  it('finds no event in a sentence without a trigger', () => {
    expect(eventTypeOf('The S-400 is a long-range Russian air-defence system.')).toBeUndefined();
  });
});
