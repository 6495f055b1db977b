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

/**
 * Each base type with a sentence that is it and a near miss that is not, worded as real news
 * words them (written for this test). The 737 MAX story's file is used for the types it needs.
 */
describe('every base type, and its near miss', () => {
  const max = new EnglishTyper(loadStoryFile('stories/boeing-737-max.json').events);
  it.each([
    [
      'AGREEMENT',
      'Turkey and Russia signed the contract for four batteries on Tuesday.',
      'AGREEMENT',
    ],
    [
      'AGREEMENT near miss: a directive, not an order',
      'China ordered its airlines to ground the jets.',
      'LEGAL_REGULATORY',
    ],
    [
      'FINANCING',
      'Turkey bought four batteries for $2.5 billion, 55 percent of it on a Russian loan.',
      'FINANCING',
    ],
    [
      'FINANCING near miss: compensation sought, not paid',
      'Three airlines said they would seek compensation from the manufacturer.',
      'STATEMENT',
    ],
    [
      'DELIVERY',
      'The second battery of the system was delivered to the base on Sunday.',
      'DELIVERY',
    ],
    [
      'DELIVERY near miss: a speech as prepared for delivery',
      'The following are remarks as prepared for delivery by the committee chair.',
      undefined,
    ],
    [
      'PRODUCTION_TECH_TRANSFER',
      'Ankara wants joint production of the next batch.',
      'PRODUCTION_TECH_TRANSFER',
    ],
    [
      'TEST_ACTIVATION',
      'The army tested the radar against F-16 jets over the capital.',
      'TEST_ACTIVATION',
    ],
    [
      'TEST_ACTIVATION near miss: testimony is a hearing',
      "The chief executive's testimony before the Senate panel lasted three hours.",
      'NEGOTIATION_MEETING',
    ],
    [
      'NEGOTIATION_MEETING',
      'The two presidents met in Sochi to discuss the contract.',
      'NEGOTIATION_MEETING',
    ],
    ['STATEMENT', 'The Kremlin said the contract remains in force.', 'STATEMENT'],
    ['DENIAL', 'The foreign ministry rejected the claim as baseless.', 'DENIAL'],
    [
      'DENIAL: a reaction to a decision',
      'Ankara reacted to the sanctions with a call for dialogue.',
      'DENIAL',
    ],
    [
      'WARNING_THREAT',
      'Washington warned Ankara of consequences if the deal goes ahead.',
      'WARNING_THREAT',
    ],
    [
      'WARNING_THREAT: a bill is pressure, not a law',
      'Senators introduced a bill to block the transfer of the jets.',
      'WARNING_THREAT',
    ],
    ['SANCTION', 'The Treasury imposed sanctions on the procurement agency on Monday.', 'SANCTION'],
    [
      'APPROVAL_RIVAL_OFFER',
      'The State Department approved a possible $3.5 billion sale of Patriot missiles to Turkey.',
      'APPROVAL_RIVAL_OFFER',
    ],
    [
      'PROGRAM_EXCLUSION',
      'The Pentagon halted the training programme of the Turkish pilots.',
      'PROGRAM_EXCLUSION',
    ],
    [
      'CONSTRUCTION',
      'Construction of the plant began after the groundbreaking ceremony.',
      'CONSTRUCTION',
    ],
    [
      'LEGAL_REGULATORY',
      'The regulator cleared the aircraft to fly again after 20 months.',
      'LEGAL_REGULATORY',
    ],
    [
      'LEGAL_REGULATORY: a finding',
      "The preliminary report found the crew followed the manufacturer's procedures.",
      'LEGAL_REGULATORY',
    ],
    [
      'INCIDENT',
      'The airliner crashed six minutes after take-off, killing all on board.',
      'INCIDENT',
    ],
    [
      'INCIDENT near miss: a crash as the background of the news',
      'After the crash, the airline grounded its fleet.',
      'LEGAL_REGULATORY',
    ],
    [
      'CORPORATE',
      'The board ousted the chief executive and named the chairman to replace him.',
      'CORPORATE',
    ],
    [
      'CORPORATE near miss: a state buying a system',
      "Turkey's acquisition of the system angered Washington.",
      undefined,
    ],
  ])('%s', (_rule, sentence, type) => {
    expect(max.typeOf(sentence) ?? eventTypeOf(sentence)).toBe(type);
  });

  it('types a story’s own kind of happening by the cues its file gives', () => {
    expect(max.typeOf('The planemaker cut 737 production to 42 jets a month.')).toBe('PRODUCTION');
  });
});
