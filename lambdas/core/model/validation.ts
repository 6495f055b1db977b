import { PayloadError } from './errors.js';
import type * as z from './zod.js';

/** `["sources", 2, "url"]` → `sources[2].url`, the way an operator reads the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** Every problem of a failed validation, each with the field it is about. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

/** Validates an event or payload; the PayloadError names `source` and each bad field. */
export function parsePayload<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  source: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new PayloadError(source, describeIssues(result.error), { cause: result.error });
  return result.data;
}
