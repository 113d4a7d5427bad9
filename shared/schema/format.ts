/**
 * Turns zod issues into messages that name the field path and what was expected, e.g.
 * `exp.yaml: vms[1].guestPages: expected a positive integer, got -5`.
 */
import type { z } from 'zod';

export type SchemaIssue = z.core.$ZodIssue;

/** One problem found in a document: where (`vms[1].guestPages`, '' for the whole document) and
 * what (`expected a positive integer, got -5`). */
export interface Problem {
  path: string;
  message: string;
}

/** A document that failed validation; the message lists every problem, one per line. */
export class ValidationError extends Error {
  constructor(
    /** What was validated (a file name, or a spec string). */
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(source, p)).join('\n'));
    this.name = 'ValidationError';
  }
}

export function formatProblem(source: string, p: Problem): string {
  return p.path === '' ? `${source}: ${p.message}` : `${source}: ${p.path}: ${p.message}`;
}

/** `vms[1].guestPages` from ['vms', 1, 'guestPages']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** A short rendering of a bad value for a message. */
export function showValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length}`;
  switch (typeof v) {
    case 'string': {
      const s = v.length > 40 ? `${v.slice(0, 37)}...` : v;
      return JSON.stringify(s);
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Our own messages start with "expected"; zod's defaults are rephrased in that style. */
function expectation(issue: SchemaIssue): string {
  if (issue.message.startsWith('expected') || issue.code === 'custom') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array')
        return `expected at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return 'expected a non-empty string';
      return `expected a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected at most ${String(issue.maximum)} entries`;
      return `expected a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => showValue(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** The problems one zod issue stands for (an unknown-keys issue gives one per key). */
export function issueProblems(issue: SchemaIssue): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ path: formatPath([...path, k]), message: 'unknown key' }));
  let input: unknown = issue.input;
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
    // zod reports the whole object as input of a bad discriminator; show the bad value.
    input = isRecord(input) ? input[issue.discriminator] : input;
  }
  const expected = expectation(issue);
  if (input === undefined && issue.code !== 'custom')
    return [{ path: formatPath(path), message: `missing (${expected})` }];
  // A custom check reports its own subject; show its input only when it is a single value.
  const composite = typeof input === 'object' && input !== null;
  if (input === undefined || (issue.code === 'custom' && composite))
    return [{ path: formatPath(path), message: expected }];
  return [{ path: formatPath(path), message: `${expected}, got ${showValue(input)}` }];
}

export function zodProblems(issues: readonly SchemaIssue[]): Problem[] {
  return issues.flatMap(issueProblems);
}

/**
 * Validates `value` with `schema`; returns the parsed value or throws a {@link ValidationError}
 * whose message names `source` and every bad field.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(source, zodProblems(result.error.issues));
}
