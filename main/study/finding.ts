/** Builds a Finding whose `held` is the section's rule applied to its own numbers. */
import { FindingSchema, type Finding, type FindingInput } from '../../shared/api/report.js';
import type { Numbers } from './rules.js';

export function makeFinding(
  f: Omit<FindingInput, 'held' | 'verdict'>,
  rule: (n: Numbers) => boolean,
  verdict: (held: boolean, n: Numbers) => string,
): Finding {
  for (const [k, v] of Object.entries(f.numbers))
    if (!Number.isFinite(v)) throw new Error(`finding ${f.id}: numbers.${k} is ${v}`);
  const held = rule(f.numbers);
  return FindingSchema.parse({ ...f, held, verdict: verdict(held, f.numbers) });
}

export function heldWord(held: boolean): string {
  return held ? 'held' : 'did not hold';
}
