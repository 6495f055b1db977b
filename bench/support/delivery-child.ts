/**
 * One function of the delivery bench in a process of its own, as one Lambda container: argv
 * `digest WEEK` runs the digest handler once; `deliver` plays one sender container taking
 * batches from the delivery queue until none is left (the event source's invocations, one after
 * another in the same container). Prints one JSON line: what it did, its peak RSS (the kernel's
 * maxrss) and its peak V8 heap (sampled every 20 ms).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { drainDeliveryQueue } from '../../local/delivery-drain.js';

const [role, week] = process.argv.slice(2);
let heapPeak = 0;
const sample = () => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
};
const sampler = setInterval(sample, 20);
let report: unknown;
if (role === 'digest') {
  const { handler } = await import('../../lambdas/handlers/digest.js');
  const started = Date.now();
  report = await handler(
    { week },
    { getRemainingTimeInMillis: () => 15 * 60_000 - (Date.now() - started) },
  );
} else {
  const { handler } = await import('../../lambdas/handlers/deliver.js');
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const drained = await drainDeliveryQueue(sqs, process.env.DELIVERY_QUEUE_URL ?? '', handler, {
    pollers: 1,
    countOnly: true,
  });
  sqs.destroy();
  report = {
    ...drained.counts,
    batches: drained.batches,
    failedBatches: drained.failedBatches,
    requeued: drained.requeued,
    longestInvocationMs: drained.longestInvocationMs,
    throttled: drained.throttled,
  };
}
sample();
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({ role, report, maxRssBytes: process.resourceUsage().maxRSS * 1024, heapPeakBytes: heapPeak })}\n`,
);
