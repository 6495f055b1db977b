import { DynamoArticleStore } from '../lambdas/adapters/dynamo-article-store.js';
import { DynamoCoverageLedger } from '../lambdas/adapters/dynamo-coverage-ledger.js';
import { DynamoDeliveryLedger } from '../lambdas/adapters/dynamo-delivery-ledger.js';
import { DynamoDevelopmentStore } from '../lambdas/adapters/dynamo-development-store.js';
import { DynamoSourceStates } from '../lambdas/adapters/dynamo-source-states.js';
import { DynamoSubscriberStore } from '../lambdas/adapters/dynamo-subscribers.js';
import { DynamoTimelineYears } from '../lambdas/adapters/dynamo-timeline-years.js';
import { DynamoUrlLedger } from '../lambdas/adapters/dynamo-url-ledger.js';

/**
 * Every role adapter over one table, for the CLI, tests and benchmarks that read what the
 * handlers stored (a handler wires only the ones it uses). Import it after the local servers
 * are up: the adapters create their SDK client when first imported.
 */
export function tableStores(table: string) {
  return {
    seenUrls: new DynamoUrlLedger(table),
    sourceStates: new DynamoSourceStates(table),
    articles: new DynamoArticleStore(table),
    developments: new DynamoDevelopmentStore(table),
    coverage: new DynamoCoverageLedger(table),
    deliveries: new DynamoDeliveryLedger(table),
    timelineYears: new DynamoTimelineYears(table),
    subscribers: new DynamoSubscriberStore(table),
  };
}
