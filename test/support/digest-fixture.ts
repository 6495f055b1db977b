/**
 * Digests for tests of the email a subscriber receives: a busy week of the S-400 story and a
 * hostile one, both built from developments by `buildDigest` (what the digest handler does),
 * and `renderDigest`, the one place tests render a digest, so a change of the rendering API is
 * adapted here and nowhere else.
 */
import { join } from 'node:path';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { loadTimelineTemplate } from '../../lambdas/adapters/template-files.js';
import { headlineOf } from '../../lambdas/core/5-cluster/developments.js';
import { coverageOf } from '../../lambdas/core/6-digest/coverage.js';
import { buildDigest, type Digest } from '../../lambdas/core/6-digest/digest.js';
import { EventTypeLabels } from '../../lambdas/core/6-digest/event-type-labels.js';
import {
  type DigestLinks,
  DigestRenderer,
  type RenderedDigest,
} from '../../lambdas/core/6-digest/render-digest.js';
import {
  type TimelineInput,
  TimelineRenderer,
} from '../../lambdas/core/6-digest/render-timeline.js';
import type { StrandLatest } from '../../lambdas/core/6-digest/story-status.js';
import { daySpan } from '../../lambdas/core/model/date-span.js';
import { weekWindow } from '../../lambdas/core/model/iso-week.js';
import type {
  Development,
  DevelopmentSource,
  EventType,
} from '../../lambdas/core/model/records.js';
import { type Story, sourceUrl } from '../../lambdas/core/model/story.js';
import { buildEmailTemplates } from '../../lib/email-templates.js';

const PROJECT_ROOT = join(import.meta.dirname, '../..');

/** The week of the S-400 test firing near Sinop (16 October 2020). */
export const SAMPLE_WEEK = '2020-W42';

/** The links a subscriber's copy carries. */
export const SAMPLE_LINKS: DigestLinks = {
  unsubscribeUrl: 'https://digest.example.org/unsubscribe?token=3f9c2a7e51b04d8e9a6c0f1d2b3e4a5c',
  webUrl: 'https://digest.example.org/s400-turkey/2020-W42.html',
};

let story: Story | undefined;
let renderer: DigestRenderer | undefined;
let timelineRenderer: TimelineRenderer | undefined;

function defaultStory(): Story {
  story ??= loadStoryFile(join(PROJECT_ROOT, 'stories', 's400-turkey.json'));
  return story;
}

function digestRenderer(): DigestRenderer {
  renderer ??= new DigestRenderer(
    // The templates as the digest function gets them: CSS inlined at build time.
    buildEmailTemplates(join(PROJECT_ROOT, 'templates')),
    defaultStory().digest.subject,
  );
  return renderer;
}

/** Renders a digest's email with the project's templates and the default story's subject line. */
export function renderDigest(digest: Digest, links: DigestLinks = SAMPLE_LINKS): RenderedDigest {
  return digestRenderer().render(digest, links);
}

/** Renders a digest's web copy (what the archive keeps and the web function serves). */
export function renderWebCopy(
  digest: Digest,
  links: Pick<DigestLinks, 'timelineUrl'> = {},
): RenderedDigest {
  return digestRenderer().renderWebCopy(digest, links);
}

/** Renders the story's timeline page with the project's template. */
export function renderTimeline(input: Omit<TimelineInput, 'types'>): string {
  timelineRenderer ??= new TimelineRenderer(loadTimelineTemplate(join(PROJECT_ROOT, 'templates')));
  return timelineRenderer.render({ ...input, types: new EventTypeLabels(defaultStory().events) });
}

/** The digest of `developments` for the sample week, as the digest handler composes it. */
function digestOf(developments: readonly Development[]): Digest {
  const story = defaultStory();
  const window = weekWindow(SAMPLE_WEEK, story.timeZone);
  // A week read in full but for one outlet that keeps failing.
  const coverage = coverageOf(
    story.sources.map((source, index) => ({
      outlet: source.outlet ?? source.id,
      state: {
        storyId: story.id,
        sourceId: source.id,
        url: sourceUrl(source),
        lastCheckedAt: window.to,
        consecutiveFailures: index === 1 ? 4 : 0,
        ...(index === 1 ? { lastError: 'HTTP 503' } : { lastSuccessAt: window.to }),
      },
    })),
    { stored: 48, 'off-story': 131, duplicate: 6, skipped: 2 },
  );
  return buildDigest({
    story,
    window,
    recent: developments,
    strands: strandsOf(developments),
    coverage,
  });
}

interface Outlet {
  readonly name: string;
  readonly site: string;
  readonly section: string;
}

const OUTLETS: readonly Outlet[] = [
  { name: 'Reuters', site: 'https://www.reuters.com', section: 'world/middle-east' },
  { name: 'Defense News', site: 'https://www.defensenews.com', section: 'global/europe' },
  { name: 'Daily Sabah', site: 'https://www.dailysabah.com', section: 'politics/diplomacy' },
  { name: 'TASS', site: 'https://tass.com', section: 'defense' },
  { name: 'Hürriyet Daily News', site: 'https://www.hurriyetdailynews.com', section: 'turkey' },
  { name: 'Breaking Defense', site: 'https://breakingdefense.com', section: 'global' },
  { name: 'Al-Monitor', site: 'https://www.al-monitor.com', section: 'originals' },
  { name: 'Anadolu Agency', site: 'https://www.aa.com.tr', section: 'en/turkey' },
  { name: 'The Moscow Times', site: 'https://www.themoscowtimes.com', section: 'news' },
  { name: 'Associated Press', site: 'https://apnews.com', section: 'article' },
  { name: 'Middle East Eye', site: 'https://www.middleeasteye.net', section: 'news' },
  { name: 'Kathimerini English', site: 'https://www.ekathimerini.com', section: 'news' },
];

interface Happening {
  readonly type: EventType;
  readonly actors: readonly string[];
  readonly people: readonly string[];
  readonly summary: string;
  /** Headlines outlets gave it; sources take them in turn. */
  readonly headlines: readonly string[];
  /** For a denial: the index in HAPPENINGS of what it answers. */
  readonly answers?: number;
}

const HAPPENINGS: readonly Happening[] = [
  {
    type: 'TEST_ACTIVATION',
    actors: ['Turkey'],
    people: [],
    summary:
      'Turkish forces fired at least one S-400 missile over the Black Sea near Sinop, the first live test of the Russian-made system since its delivery last year.',
    headlines: [
      'Turkey appears to test-fire its Russian S-400 air defence system off the Black Sea coast near Sinop',
      'Videos from Sinop show a missile trail as Turkey tests the S-400 for the first time',
      'Ankara silent as residents film what looks like an S-400 launch over the Black Sea',
    ],
  },
  {
    type: 'WARNING_THREAT',
    actors: ['United States', 'Turkey'],
    people: [],
    summary:
      'The Pentagon condemned the reported test and warned that operating the S-400 could have serious consequences for Turkey’s security relationship with the United States.',
    headlines: [
      'Pentagon says reported S-400 test is incompatible with Turkey’s responsibilities as a NATO ally',
      'US warns Turkey of “serious consequences” after apparent firing of Russian missile system',
    ],
  },
  {
    type: 'STATEMENT',
    actors: ['Turkey'],
    people: ['Recep Tayyip Erdogan'],
    summary:
      'President Erdogan confirmed the test, said Turkey would not seek Washington’s permission to test its own equipment, and called the US reaction out of place.',
    headlines: [
      'Erdogan confirms S-400 test and says Turkey will not ask the United States for permission',
      'Turkish president dismisses US criticism of the S-400 firing as none of Washington’s business',
    ],
  },
  {
    type: 'DENIAL',
    actors: ['Turkey'],
    people: [],
    summary:
      'The Turkish defence ministry denied reports that S-400 radars had tracked Greek F-16 jets during a recent exercise, calling the claims baseless.',
    headlines: [
      'Ankara rejects claim that S-400 radars locked on to Greek fighter jets over the Aegean',
      'Turkish defence ministry calls reports of S-400 tracking Greek F-16s groundless',
    ],
    answers: 11,
  },
  {
    type: 'SANCTION',
    actors: ['United States', 'Turkey'],
    people: [],
    summary:
      'US senators from both parties renewed calls to impose CAATSA sanctions on Turkey over the S-400 and attached a sanctions provision to the annual defence bill.',
    headlines: [
      'Senators push CAATSA sanctions on Turkey into the defence bill after the S-400 test',
      'Bipartisan group of US lawmakers says the S-400 test leaves no room to delay sanctions',
      'Congress moves to force the administration’s hand on sanctions over Turkey’s Russian missiles',
    ],
  },
  {
    type: 'STATEMENT',
    actors: ['Russia'],
    people: ['Dmitry Peskov'],
    summary:
      'Kremlin spokesman Dmitry Peskov said how Turkey uses the S-400 is a sovereign matter for Ankara and that cooperation with Turkey on air defence continues.',
    headlines: [
      'Kremlin says Turkey’s use of the S-400 is a matter for Ankara alone',
      'Peskov: military-technical cooperation with Turkey continues as planned',
    ],
  },
  {
    type: 'NEGOTIATION_MEETING',
    actors: ['Russia', 'Turkey'],
    people: [],
    summary:
      'Russian and Turkish officials met in Moscow to discuss a second batch of S-400 systems, with joint production and the transfer of technology still open.',
    headlines: [
      'Russia and Turkey hold talks on a second S-400 contract as technology transfer remains unresolved',
      'Second S-400 batch for Turkey discussed in Moscow, no signature expected this year',
    ],
  },
  {
    type: 'APPROVAL_RIVAL_OFFER',
    actors: ['United States', 'Turkey'],
    people: [],
    summary:
      'A US official repeated that Washington would still consider selling Patriot missiles to Turkey if Ankara gave up the S-400.',
    headlines: [
      'US says Patriot offer still stands if Turkey abandons the Russian S-400 system',
      'Washington dangles Patriot sale again as the price of dropping the S-400',
    ],
  },
  {
    type: 'PROGRAM_EXCLUSION',
    actors: ['United States', 'Turkey'],
    people: [],
    summary:
      'The Pentagon said Turkey’s removal from the F-35 programme, announced on 17 July 2019, is final unless the S-400 leaves Turkish soil.',
    headlines: [
      'No way back into the F-35 programme while the S-400 stays in Turkey, Pentagon says',
      'Turkey’s F-35 exclusion stands, US defence officials repeat after the S-400 test',
    ],
  },
  {
    type: 'FINANCING',
    actors: ['Russia', 'Turkey'],
    people: [],
    summary:
      'Officials familiar with the contract said Russia financed part of the USD 2.5 billion deal with a loan and that Turkey has completed its payments for the first batch.',
    headlines: [
      'How the USD 2.5 billion S-400 deal was paid for: Russian credit and Turkish cash',
      'Turkey has paid in full for the first S-400 regiment, officials say',
    ],
  },
  {
    type: 'PRODUCTION_TECH_TRANSFER',
    actors: ['Turkey'],
    people: [],
    summary:
      'The head of Turkey’s defence industry presidency said any second S-400 contract must include local production of some components.',
    headlines: [
      'Turkey wants local production of S-400 parts in any follow-on deal with Russia',
      'Defence industry chief sets technology transfer as the condition for more S-400s',
    ],
  },
  {
    type: 'STATEMENT',
    actors: ['Greece'],
    people: [],
    summary:
      'Greek officials said the S-400 radars had been switched on during an exercise and raised the matter with NATO allies.',
    headlines: [
      'Athens raises S-400 radar activity with NATO after an exercise near the Aegean',
      'Greek officials say Turkish S-400 radars were active during a military exercise',
    ],
  },
  {
    type: 'DELIVERY',
    actors: ['Russia', 'Turkey'],
    people: [],
    summary:
      'Satellite images reviewed by analysts show S-400 launchers moved from Murted air base near Ankara, where the first deliveries landed in July 2019, towards the coast.',
    headlines: [
      'Satellite images show S-400 launchers leaving Murted air base ahead of the test',
      'Where Turkey’s S-400s went: imagery tracks convoys from Murted to the Black Sea coast',
    ],
  },
  {
    type: 'AGREEMENT',
    actors: ['Russia', 'Turkey'],
    people: [],
    summary:
      'Rostec said the 2017 agreement covers four S-400 batteries and that the terms of a follow-on contract are close to settled.',
    headlines: [
      'Rostec says the terms for more S-400s for Turkey are nearly agreed',
      'Russian arms exporter describes the 2017 S-400 agreement with Turkey as a model for others',
    ],
  },
  {
    type: 'DENIAL',
    actors: ['Russia'],
    people: ['Dmitry Peskov'],
    summary:
      'The Kremlin denied that Russia had asked Turkey not to test the system, saying Moscow gave no such instruction.',
    headlines: ['Kremlin denies asking Ankara to hold off on testing the S-400'],
    answers: 0,
  },
  {
    type: 'WARNING_THREAT',
    actors: ['NATO', 'Turkey'],
    people: [],
    summary:
      'NATO’s secretary general said the S-400 cannot be integrated into allied air defences and urged Turkey to find a solution with the United States.',
    headlines: [
      'NATO chief says Russian S-400 cannot be part of the alliance’s air and missile defence',
      'Stoltenberg urges Ankara and Washington to resolve the S-400 dispute',
    ],
  },
  {
    type: 'STATEMENT',
    actors: ['Turkey'],
    people: ['Hulusi Akar'],
    summary:
      'Defence Minister Hulusi Akar said the S-400 would be used only when needed and proposed again a technical working group with the United States.',
    headlines: [
      'Akar: S-400 will be used as and when necessary, Turkey still open to a working group with the US',
      'Turkish defence minister revives offer of joint technical commission on S-400 concerns',
    ],
  },
  {
    type: 'SANCTION',
    actors: ['United States', 'Turkey'],
    people: [],
    summary:
      'Analysts said sanctions under CAATSA would most likely target Turkey’s defence industry presidency, the agency that signed the S-400 purchase.',
    headlines: [
      'If CAATSA sanctions come, Turkey’s procurement agency SSB is the likeliest target, analysts say',
      'What US sanctions over the S-400 could mean for Turkish defence companies',
    ],
  },
];

/** Sentences that tell apart later reports of a happening listed again in a long week. */
const FOLLOW_UPS: readonly string[] = [
  'Later reports added details from officials who asked not to be named.',
  'Regional newspapers carried the story the following morning with local reactions.',
  'A parliamentary committee asked the government for a written explanation.',
  'Opposition lawmakers in Ankara questioned the timing of the announcement.',
  'Analysts in Moscow and Washington disagreed on what it means for the second batch.',
  'Markets in Istanbul reacted with a brief fall of the lira against the dollar.',
  'Diplomats in Brussels said the subject would come up at the next ministerial meeting.',
  'Turkish media published photographs said to have been taken at the site.',
];

const WEEK_START = Date.UTC(2020, 9, 12, 6, 0); // Monday 12 October 2020, 09:00 in Istanbul

/**
 * A week of `count` developments of every type, each reported by one to six outlets (some
 * copying another's report), with denials answering developments of the same week or earlier.
 * Deterministic: the same count gives the same digest.
 */
export function sampleDigest(count: number): Digest {
  return digestOf(sampleDevelopments(count));
}

/** The developments of `sampleDigest(count)`, for pages built from a history (the timeline). */
export function sampleDevelopments(count: number): Development[] {
  return Array.from({ length: count }, (_, index) => sampleDevelopment(index));
}

function sampleDevelopment(index: number): Development {
  const happening = HAPPENINGS[index % HAPPENINGS.length] as Happening;
  const round = Math.floor(index / HAPPENINGS.length);
  const reportedAt = reportedAtOf(index);
  const sourceCount = 1 + ((index * 5 + 2) % 6);
  const sources = Array.from({ length: sourceCount }, (_, position) =>
    sampleSource(index, position, happening, reportedAt),
  );
  const answered = happening.answers === undefined ? undefined : HAPPENINGS[happening.answers];
  const summary =
    round === 0
      ? happening.summary
      : `${happening.summary} ${FOLLOW_UPS[index % FOLLOW_UPS.length] as string}`;
  return {
    id: `dev-${String(index).padStart(3, '0')}`,
    storyId: 's400-turkey',
    type: happening.type,
    date: new Date(reportedAt).toISOString().slice(0, 10),
    precision: 'day',
    actors: happening.actors,
    people: happening.people,
    systems: ['S-400'],
    summary,
    firstReportedAt: new Date(reportedAt).toISOString(),
    sources,
    ...(answered && happening.answers !== undefined
      ? {
          answers: {
            // The first round answers a development of this week; later rounds an older report.
            id:
              round === 0
                ? `dev-${String(happening.answers).padStart(3, '0')}`
                : `dev-old-${index}`,
            type: answered.type,
            date:
              round === 0
                ? new Date(reportedAtOf(happening.answers)).toISOString().slice(0, 10)
                : '2020-10',
            summary: answered.summary,
            headline: answered.summary,
          },
        }
      : {}),
  };
}

function reportedAtOf(index: number): number {
  return WEEK_START + (index % 7) * 86_400_000 + ((index * 37) % 600) * 60_000;
}

function sampleSource(
  index: number,
  position: number,
  happening: Happening,
  reportedAt: number,
): DevelopmentSource {
  const outlet = OUTLETS[(index * 3 + position) % OUTLETS.length] as Outlet;
  const title = happening.headlines[position % happening.headlines.length] as string;
  const publishedAt = new Date(reportedAt + position * 47 * 60_000).toISOString();
  const articleId = `art-${index}-${position}`;
  // Every fourth report after the first is an agency story carried word for word.
  const copy = position > 0 && position % 4 === 0;
  return {
    articleId,
    url: `${outlet.site}/${outlet.section}/${publishedAt.slice(0, 10).replaceAll('-', '/')}/${slug(title)}-${index}${position}`,
    outlet: outlet.name,
    title,
    publishedAt,
    ...(copy ? { duplicateOf: { articleId: `art-${index}-0`, kind: 'copy' as const } } : {}),
  };
}

function slug(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Markup a scraped headline might carry; it must reach the reader as text. */
export const SCRIPT_TITLE = 'S-400 test <script>alert(1)</script> near Sinop';

/** A long unbroken address as scraped titles and quotes sometimes contain. */
export const LONG_URL =
  'https://www.example-defence-archive.org/documents/2020/10/statements/turkey-ministry-of-national-defence-s400-sinop-test-firing-full-transcript-and-annexes-final-version.pdf';

/** A statement of 2,000 characters with every character HTML must escape. */
export const LONG_QUOTE = longQuote(2000);

function longQuote(length: number): string {
  const sentences = [
    'We have said from the start that the S-400 was bought to meet a need & not to send a message to anyone.',
    'The system is ours, and testing what we own is “normal” practice for any armed force <in any country>.',
    `The full statement is published at ${LONG_URL} for anyone who wishes to read it.`,
    'Those who refused us Patriot batteries for years are in no position to tell us what to defend ourselves with.',
    'Our door remains open to a technical working group that looks at the facts, not at headlines.',
  ];
  let quote = '';
  for (let index = 0; quote.length < length; index += 1)
    quote += `${sentences[index % sentences.length]} `;
  // Ends on a full stop so the quote's last character is text, not a cut word.
  return `${quote
    .slice(0, length - 1)
    .trimEnd()
    .padEnd(length - 1, '.')}.`;
}

/**
 * A week whose scraped data tries everything: markup in titles and summaries, a `javascript:`
 * link next to a real one, a 2,000-character quote, a very long address in a headline.
 */
export function hostileDigest(): Digest {
  const [first, second, third] = sampleDevelopments(3) as [Development, Development, Development];
  return digestOf([
    {
      ...first,
      summary: `Turkey fired an S-400 missile near Sinop. <script>alert(1)</script> The ministry said: "${LONG_QUOTE}"`,
      sources: [
        { ...(first.sources[0] as DevelopmentSource), title: SCRIPT_TITLE },
        {
          articleId: 'art-hostile-js',
          url: 'javascript:alert(1)',
          outlet: 'Evil Outlet',
          title: 'Click me <img src=x onerror=alert(1)>',
          publishedAt: first.firstReportedAt,
        },
      ],
    },
    {
      ...second,
      sources: [{ ...(second.sources[0] as DevelopmentSource), title: `Transcript: ${LONG_URL}` }],
    },
    third,
  ]);
}

/**
 * Each type's latest development among `developments`, as the store's per-type index gives it
 * to the digest (there, from the whole history).
 */
export function strandsOf(developments: readonly Development[]): Map<EventType, StrandLatest> {
  const latest = new Map<EventType, StrandLatest>();
  const byDate = [...developments].sort((a, b) =>
    daySpan(a.date).first.localeCompare(daySpan(b.date).first),
  );
  for (const development of byDate) {
    const amount = development.amount ?? latest.get(development.type)?.amount;
    latest.set(development.type, {
      developmentId: development.id,
      date: development.date,
      headline: headlineOf(development),
      ...(amount ? { amount } : {}),
    });
  }
  return latest;
}
