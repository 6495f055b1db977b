import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';

/** The event Lambda's SQS event source would hand the fetch handler for these messages. */
export function sqsEventOf(messages: readonly Message[]): SQSEvent {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: message.Attributes as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${region}:000000000000:story-digest-fetch`,
      awsRegion: region,
    })),
  };
}
