/** What the SES emulator keeps of each email it accepted (`GET <endpoint>/store`). */
export interface StoredEmail {
  readonly messageId: string;
  readonly subject: string;
  readonly destination: { readonly to: string[] };
  readonly body: { readonly html: string; readonly text: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export async function storedEmails(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** The emails of one week's digest (its week is in the subject), by recipient. */
export async function digestsByRecipient(
  sesEndpoint: string,
  week: string,
): Promise<Map<string, StoredEmail[]>> {
  const byRecipient = new Map<string, StoredEmail[]>();
  for (const email of await storedEmails(sesEndpoint)) {
    if (!email.subject.includes(week)) continue;
    for (const to of email.destination.to) {
      byRecipient.set(to, [...(byRecipient.get(to) ?? []), email]);
    }
  }
  return byRecipient;
}

/** The MIME message the emulator builds from the stored content and headers. */
export async function mimeOf(sesEndpoint: string, messageId: string): Promise<string> {
  const response = await fetch(
    `${sesEndpoint}/get-emlContent?messageId=${encodeURIComponent(messageId)}`,
  );
  if (!response.ok) throw new Error(`no MIME for ${messageId}: ${await response.text()}`);
  const { body } = (await response.json()) as { body: string | { data: number[] } };
  return typeof body === 'string' ? body : Buffer.from(body.data).toString('utf8');
}
