import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../lib/app-config.js';
import { StoryDigestStack } from '../../lib/story-digest-stack.js';

/**
 * cdk-nag's AwsSolutions pack over the real stack (default story, real handlers; bundling skipped).
 *
 * cdk-nag 3 is a CDK policy-validation plugin, not an Aspect: `Validations.of(app).addPlugins(...)`
 * runs it at synthesis, and `validateScope` runs the same rules directly. What the stack keeps on
 * purpose is acknowledged with a reason in `lib/nag-acknowledgments.ts`.
 */
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newStack(): { app: App; stack: StoryDigestStack } {
  // CDK's built-in CloudFormation schema validation is left to `cdk synth` (seconds per synth).
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const config = loadAppConfig(() => undefined, REPOSITORY_ROOT);
  const stack = new StoryDigestStack(app, 'StoryDigest-nag', {
    ...config,
    subscribers: ['ana@example.org'],
  });
  return { app, stack };
}

/** One line per unacknowledged finding: severity, rule id, construct path, message. */
function describeFindings(report: ReturnType<AwsSolutionsChecks['validateScope']>): string[] {
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

/** Every cdk-nag acknowledgment in the tree, as `<path relative to the stack> <rule id>` → reason. */
function acknowledgments(root: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        // CDK acknowledges some of its own CloudFormation-Validate rules; only cdk-nag's count here.
        if (!/^(annotation::)?AwsSolutions-/i.test(id)) continue;
        const path = construct.node.path.slice(root.node.path.length + 1);
        found.set(`${path} ${id.replace(/^annotation::/i, '')}`, reason);
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  let stack: StoryDigestStack;
  beforeAll(() => {
    ({ stack } = newStack());
  });

  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const findings = describeFindings(report);
    if (findings.length > 0) console.error(`cdk-nag findings:\n${findings.join('\n')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges exactly the expected findings, each with a specific reason', () => {
    const found = acknowledgments(stack);
    const bucket = (prefix: string) =>
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(
        stack.node.findChild('Archive').node.defaultChild as CfnElement,
      )}.Arn>/${prefix}*]`;
    expect([...found.keys()].sort()).toEqual(
      [
        'ArchiveAccessLogs AwsSolutions-S1',
        'UnsubscribeKey AwsSolutions-SMG4',
        `Fetch ${bucket('raw/')}`,
        `Fetch ${bucket('articles/')}`,
        `Web ${bucket('digests/')}`,
        `Digest ${bucket('digests/')}`,
        `Backfill ${bucket('raw/')}`,
        `Backfill ${bucket('articles/')}`,
        `Digest ${bucket('outgoing/')}`,
        `Deliver ${bucket('outgoing/')}`,
        'Deliver AwsSolutions-IAM5[Resource::*]',
      ].sort(),
    );
    for (const [key, reason] of found) {
      expect([key, reason.length > 60]).toEqual([key, true]);
    }
    // Nothing is acknowledged for the whole stack (its path is empty here).
    expect([...found.keys()].filter((key) => key.startsWith(' '))).toEqual([]);
  });

  it('passes when registered as a CDK validation plugin and synthesized', () => {
    const { app } = newStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    const assembly = app.synth();
    try {
      expect(assembly.getStackByName('StoryDigest-nag').template.Resources).toBeDefined();
    } finally {
      rmSync(assembly.directory, { recursive: true, force: true });
    }
  });
});
