import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { StoryDigestError } from '../core/model/errors.js';
import type { Mailer, OutgoingEmail } from '../core/ports/mailer.js';
import { mimeMessage } from './mime-message.js';

const ses = new SESv2Client({});

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
      throw new StoryDigestError(`sending to ${email.to} failed`, { cause: error });
    }
  }
}
