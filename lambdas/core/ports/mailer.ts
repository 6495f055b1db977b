/** A digest email as handed to the mailer. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra message headers (List-Unsubscribe); names as they go on the wire. */
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
