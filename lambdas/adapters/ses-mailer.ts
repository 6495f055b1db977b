import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ConfigError, SendThrottledError, StoryDigestError } from '../core/model/errors.js';
import type { Mailer, OutgoingEmail } from '../core/ports/mailer.js';
import { mimeMessage } from './mime-message.js';

// One attempt per call: a throttled send is retried by the sender against the shared send rate
// (deliver-batch.ts), so every attempt SES sees has its own slot; the SDK's retries would not.
const ses = new SESv2Client({ maxAttempts: 1 });

/** SES's names for "the account's sending rate or quota was exceeded". */
const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException', 'Throttling']);

export class SesMailer implements Mailer {
  constructor(private readonly configurationSet: string | undefined) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: this.configurationSet,
          // The message as built here, headers and both parts: see mime-message.ts.
          Content: { Raw: { Data: Buffer.from(mimeMessage(email), 'utf8') } },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (THROTTLING.has(name)) {
        throw new SendThrottledError(`sending to ${email.to} throttled by SES (${name})`, {
          cause: error,
        });
      }
      throw new StoryDigestError(`sending to ${email.to} failed`, { cause: error });
    }
  }
}

/**
 * The account's maximum send rate (emails a second) from SES (GetAccount), lowered to `cap` when
 * one is given (a share of the account for this story). Read once, at a sender's cold start.
 */
export async function readMaxSendRate(cap: number | undefined): Promise<number> {
  let rate: number | undefined;
  try {
    const account = await ses.send(new GetAccountCommand({}));
    rate = account.SendQuota?.MaxSendRate;
  } catch (error) {
    throw new ConfigError('SES GetAccount failed: the send rate is unknown', { cause: error });
  }
  if (!rate || rate <= 0) throw new ConfigError(`SES reports no usable MaxSendRate (${rate})`);
  return cap === undefined ? rate : Math.min(rate, cap);
}
