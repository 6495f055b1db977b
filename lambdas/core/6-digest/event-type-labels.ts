import { type BaseEventType, type EventType, isBaseEventType } from '../model/records.js';
import type { Story } from '../model/story.js';

const BASE_LABELS: Readonly<Record<BaseEventType, string>> = {
  AGREEMENT: 'Agreement',
  FINANCING: 'Financing',
  DELIVERY: 'Delivery',
  PRODUCTION_TECH_TRANSFER: 'Production & technology',
  TEST_ACTIVATION: 'Test / activation',
  NEGOTIATION_MEETING: 'Talks',
  STATEMENT: 'Statement',
  DENIAL: 'Denial',
  WARNING_THREAT: 'Warning',
  SANCTION: 'Sanction',
  APPROVAL_RIVAL_OFFER: 'Rival offer',
  PROGRAM_EXCLUSION: 'Programme exclusion',
  CONSTRUCTION: 'Construction',
  LEGAL_REGULATORY: 'Legal / regulatory',
  INCIDENT: 'Incident',
  CORPORATE: 'Corporate',
};

/** How much a type of happening moves a story; statements move it least. */
const BASE_WEIGHTS: Readonly<Record<BaseEventType, number>> = {
  DELIVERY: 10,
  SANCTION: 10,
  INCIDENT: 10,
  PROGRAM_EXCLUSION: 9,
  AGREEMENT: 9,
  LEGAL_REGULATORY: 9,
  TEST_ACTIVATION: 8,
  CONSTRUCTION: 8,
  CORPORATE: 8,
  FINANCING: 7,
  PRODUCTION_TECH_TRANSFER: 7,
  APPROVAL_RIVAL_OFFER: 6,
  WARNING_THREAT: 5,
  DENIAL: 4,
  NEGOTIATION_MEETING: 4,
  STATEMENT: 3,
};

/** The story's event types (the base ones and those its file declares), labelled and weighted. */
export class EventTypeLabels {
  private readonly declared: ReadonlyMap<string, { label: string; weight: number }>;

  constructor(events: Pick<Story['events'], 'types'>) {
    this.declared = new Map(events.types.map((type) => [type.name, type]));
  }

  label(type: EventType): string {
    if (isBaseEventType(type)) return BASE_LABELS[type];
    return this.declared.get(type)?.label ?? type;
  }

  weight(type: EventType): number {
    if (isBaseEventType(type)) return BASE_WEIGHTS[type];
    return this.declared.get(type)?.weight ?? BASE_WEIGHTS.STATEMENT;
  }

  /** Every type, the base ones first, in the order readers meet them in filters. */
  all(): EventType[] {
    return [...Object.keys(BASE_LABELS), ...this.declared.keys()];
  }
}
