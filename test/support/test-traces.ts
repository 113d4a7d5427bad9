/**
 * Where the larger reference traces live for tests: the folder named by HCLAB_TEST_TRACES
 * (`.ci/run` sets it to ../shared/traces when that folder exists). Without it, tests that need
 * those traces are skipped with a printed reason; the repository's own sample traces
 * (examples/traces/) need no variable.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = process.env.HCLAB_TEST_TRACES;

/** The reference-trace folder, or null when HCLAB_TEST_TRACES is unset or missing. */
export const TEST_TRACES: string | null = dir && existsSync(dir) ? resolve(dir) : null;

/** Why tests that need the reference traces are skipped (null when they run). */
export const TEST_TRACES_SKIP_REASON: string | null =
  TEST_TRACES !== null
    ? null
    : dir
      ? `HCLAB_TEST_TRACES=${dir} does not exist: skipping tests on the reference traces`
      : 'HCLAB_TEST_TRACES is not set: skipping tests on the reference traces (see README "Tests")';

let warned = false;
/**
 * True when the reference traces are available; otherwise prints the reason once per test file
 * and returns false. Use as `describe.skipIf(!haveTestTraces())(...)`.
 */
export function haveTestTraces(): boolean {
  if (TEST_TRACES !== null) return true;
  if (!warned) {
    warned = true;
    console.warn(`[skip] ${TEST_TRACES_SKIP_REASON}`);
  }
  return false;
}

/** Absolute path of one reference trace (only meaningful when haveTestTraces()). */
export function testTrace(name: string): string {
  return join(TEST_TRACES ?? '/nonexistent-HCLAB_TEST_TRACES', name);
}

/** The repository's own sample traces (examples/traces/, see its SOURCES.md): always present. */
export const SAMPLE_TRACES = resolve(import.meta.dirname, '../../examples/traces');

/** Absolute path of one shipped sample trace (examples/traces/NAME). */
export function sampleTrace(name: string): string {
  return join(SAMPLE_TRACES, name);
}
