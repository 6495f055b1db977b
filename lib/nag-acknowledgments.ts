import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag (AwsSolutions) finding the stack keeps on purpose, with its reason, in one place.
 * Each acknowledgment names one rule on one construct (for IAM5, one wildcard resource), so a new
 * finding of the same rule elsewhere still fails `test/infra/nag.test.ts`.
 *
 * These use CDK's own `Validations.of(construct).acknowledge()`, which cdk-nag 3 reads; the app
 * does not depend on cdk-nag (a devDependency, run by the tests).
 */

/** The archive prefixes a function may be granted, each ending in `/`. */
export type ArchivePrefix = 'raw/' | 'articles/' | 'digests/' | 'outgoing/';

const PREFIX_PURPOSE: Record<ArchivePrefix, string> = {
  'raw/': 'raw responses, one object per fetched article (raw/<article id>.json.gz)',
  'articles/': 'clean articles, one object per article (articles/<article id>.json)',
  'digests/': "the digests' web copies and the timeline (digests/<story>/<week>.html|txt|json)",
  'outgoing/': "each week's email as composed for every reader (outgoing/<story>/<week>.json)",
};

/**
 * `AwsSolutions-IAM5` for `<bucket>/<prefix>*`, acknowledged on `scope` (the function that got the
 * grant): object keys are named by article id or week at run time, and S3 offers no narrower form
 * than a key prefix. The grant is limited to that prefix and to the named actions.
 */
export function acknowledgeObjectPrefix(
  scope: IConstruct,
  bucket: IBucket,
  prefix: ArchivePrefix,
): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId(bucket)}.Arn>/${prefix}*]`,
    reason:
      `Object keys under ${prefix} are ${PREFIX_PURPOSE[prefix]}, named at run time; ` +
      `S3 has no narrower resource than the key prefix, and the grant names single actions.`,
  });
}

/**
 * `AwsSolutions-SMG4` on the unsubscribe links' HMAC key: rotating it would silently break the
 * one-click unsubscribe link in every email already sent (the links do not expire, RFC 8058).
 * Rotation needs a key ring that keeps verifying old tokens; until then the key stays put.
 */
export function acknowledgeUnrotatedSigningKey(secret: ISecret): void {
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'HMAC key of the unsubscribe links in sent emails, which must keep working forever ' +
      '(RFC 8058 one-click, no expiry): automatic rotation would silently invalidate every ' +
      'link already delivered. Rotate only together with a key ring that still verifies old tokens.',
  });
}

/**
 * `AwsSolutions-S1` on the bucket that receives the archive's server access logs: it is the log
 * destination, so logging it would need yet another bucket (and that one would need its own).
 */
export function acknowledgeAccessLogDestination(logBucket: IBucket): void {
  Validations.of(logBucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      "This bucket is the destination of the archive bucket's server access logs; logging " +
      'it in turn would only move the finding to another log bucket.',
  });
}

function logicalId(construct: IConstruct): string {
  const element = construct.node.defaultChild as CfnElement | undefined;
  if (!element) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(element);
}

/**
 * `AwsSolutions-IAM5` for `Resource::*` of `ses:GetAccount`, acknowledged on the sender: the
 * action reads the account's send quota and supports no resource-level permission.
 */
export function acknowledgeSendQuotaRead(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'ses:GetAccount (the send quota, read once at cold start) has no resource-level ' +
      'permission; the statement allows that one read-only action alone.',
  });
}
