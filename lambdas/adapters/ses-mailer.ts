import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { StoryDigestError } from '../core/model/errors.js';
import type { Mailer, OutgoingEmail } from '../core/ports/mailer.js';

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
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              ...(email.headers?.length
                ? {
                    Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: value })),
                  }
                : {}),
            },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw new StoryDigestError(`sending to ${email.to} failed`, { cause: error });
    }
  }
}
