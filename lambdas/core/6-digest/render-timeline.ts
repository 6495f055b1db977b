import Handlebars from 'handlebars';
import { headlineOf } from '../5-cluster/developments.js';
import { daySpan } from '../model/date-span.js';
import type { Development, EventType } from '../model/records.js';
import { isWebLink } from './digest.js';
import type { EventTypeLabels } from './event-type-labels.js';
import { formatDate } from './format-date.js';

export interface TimelineInput {
  readonly storyTitle: string;
  /** The last day the history covers (the digest week's Sunday): "up to 21 Jul 2019". */
  readonly upTo: string;
  /** Every development of the story up to then, merged (the digest's history). */
  readonly history: readonly Development[];
  /** The story's event types, for the labels and the type filter. */
  readonly types: EventTypeLabels;
  /** The web copy of the digest this timeline was made with. */
  readonly digestUrl?: string;
  /** The year the page covers, and the page of the year before. */
  readonly year?: number;
  readonly previousYearUrl?: string;
  /** The sign-up form. */
  readonly subscribeUrl?: string;
}

/** One option of a filter: the radio input `#<group>-<value>` and its label. */
interface FilterOption {
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

interface TimelineEntry {
  readonly type: EventType;
  readonly typeLabel: string;
  readonly date: string;
  readonly headline: string;
  readonly actors: readonly string[];
  /** The actors' slugs, space-separated: `[data-actors~="<slug>"]` selects by one of them. */
  readonly actorSlugs: string;
  readonly sources: readonly {
    readonly url: string;
    readonly outlet: string;
    readonly title: string;
    readonly publishedAt: string | undefined;
  }[];
  /** For sorting only. */
  readonly firstDay: string;
  readonly firstReportedAt: string;
}

/**
 * The story's timeline page: every development, newest first, filtered by type and by actor
 * without JavaScript, so the page's CSP can forbid scripts. The filters are radio inputs placed
 * before the list, and one CSS rule per option hides the other entries when it is checked
 * (`#type-DELIVERY:checked ~ ol > li:not([data-type="DELIVERY"])`); a type and an actor
 * combine. Scraped text reaches the page only through Handlebars' escaping, links only when
 * they are http(s).
 */
export class TimelineRenderer {
  private readonly page: Handlebars.TemplateDelegate;

  constructor(template: string) {
    const handlebars = Handlebars.create();
    handlebars.registerHelper('formatDate', (value: unknown) => formatDate(value));
    handlebars.registerHelper('plural', (count: unknown, one: unknown, many: unknown) =>
      count === 1 ? one : many,
    );
    this.page = handlebars.compile(template, { strict: false });
  }

  render(input: TimelineInput): string {
    const slugs = actorSlugs(input.history.flatMap((development) => development.actors));
    const entries = input.history
      .map((development) => toEntry(development, slugs, input.types))
      .filter((entry) => entry.sources.length > 0)
      .sort(
        (a, b) =>
          b.firstDay.localeCompare(a.firstDay) ||
          b.date.localeCompare(a.date) ||
          b.firstReportedAt.localeCompare(a.firstReportedAt),
      );
    const types: FilterOption[] = input.types
      .all()
      .map((type) => ({
        value: type,
        label: input.types.label(type),
        count: entries.filter((entry) => entry.type === type).length,
      }))
      .filter((option) => option.count > 0);
    const actors: FilterOption[] = [...slugs]
      .map(([name, slug]) => ({
        value: slug,
        label: name,
        count: entries.filter((entry) => entry.actors.includes(name)).length,
      }))
      .filter((option) => option.count > 0)
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    return this.page({
      storyTitle: input.storyTitle,
      upTo: input.upTo,
      digestUrl: input.digestUrl,
      year: input.year,
      previousYear: input.year === undefined ? undefined : input.year - 1,
      previousYearUrl: input.previousYearUrl,
      subscribeUrl: input.subscribeUrl,
      count: entries.length,
      entries,
      types,
      actors,
    });
  }
}

function toEntry(
  development: Development,
  slugs: ReadonlyMap<string, string>,
  types: EventTypeLabels,
): TimelineEntry {
  return {
    type: development.type,
    typeLabel: types.label(development.type),
    date: development.date,
    headline: headlineOf(development),
    actors: development.actors,
    actorSlugs: development.actors.map((actor) => slugs.get(actor)).join(' '),
    sources: development.sources
      .filter((source) => isWebLink(source.url))
      .map(({ url, outlet, title, publishedAt }) => ({ url, outlet, title, publishedAt }))
      .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '')),
    firstDay: daySpan(development.date).first,
    firstReportedAt: development.firstReportedAt,
  };
}

/**
 * A CSS- and id-safe slug per actor name ("United States" → "united-states"), unique: names
 * that slug alike, or to nothing (a name in another script), are numbered.
 */
function actorSlugs(names: readonly string[]): Map<string, string> {
  const slugs = new Map<string, string>();
  // `all` is the option that shows every actor.
  const taken = new Set<string>(['all']);
  for (const name of [...new Set(names)].sort()) {
    const base =
      name
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'actor';
    let slug = base;
    for (let number = 2; taken.has(slug); number += 1) slug = `${base}-${number}`;
    taken.add(slug);
    slugs.set(name, slug);
  }
  return slugs;
}
