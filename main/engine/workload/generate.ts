/**
 * Entry point: turns a workload spec into a deterministic stream of reference chunks.
 *
 * Page ids are those of the spec (0 ≤ id < workloadFootprint(spec)); they are not renumbered in
 * order of first appearance (the engine accepts any non-negative ids). The stream depends only
 * on the spec (seed included), not on the chunk size.
 */
import {
  WorkloadSpecSchema,
  workloadRefs,
  type WorkloadSpec,
  type WorkloadSpecInput,
} from '../../../shared/schema/workload.js';
import { validate } from '../../../shared/schema/format.js';
import {
  concatChunks,
  DEFAULT_CHUNK_REFS,
  type InMemoryTrace,
  type RefChunk,
} from '../trace/chunk.js';
import { buildSource } from './build.js';
import { ArrivalClock } from './decorate.js';
import { rngFor } from './source.js';

/** Validates a spec (filling defaults); throws an Error naming each bad field. */
export function checkWorkloadSpec(spec: WorkloadSpecInput, source = 'workload'): WorkloadSpec {
  return validate(WorkloadSpecSchema, spec, source);
}

/** Yields `workloadRefs(spec)` references in chunks of at most `chunkRefs`. Every chunk has
 * fresh arrays, so callers may keep them. */
export function* generateWorkload(
  input: WorkloadSpecInput,
  chunkRefs: number = DEFAULT_CHUNK_REFS,
): Generator<RefChunk> {
  if (!(Number.isInteger(chunkRefs) && chunkRefs >= 1))
    throw new RangeError(`chunkRefs must be a positive integer, got ${chunkRefs}`);
  const spec = checkWorkloadSpec(input);
  const total = workloadRefs(spec);
  const root = buildSource(spec, { seed: spec.seed, path: '', offset: 0, ops: undefined });
  const clock =
    spec.rate === undefined
      ? null
      : new ArrivalClock(spec.rate, spec.arrivals, rngFor(spec.seed, 'arrivals'));
  for (let done = 0; done < total;) {
    const n = Math.min(chunkRefs, total - done);
    const pages = new Int32Array(n);
    const ops = new Uint8Array(n);
    const times = clock === null ? null : new Float64Array(n);
    root.fill(pages, ops, 0, n);
    if (clock !== null && times !== null) clock.fill(times, 0, n);
    done += n;
    yield { length: n, pages, ops, times };
  }
}

/** The whole workload in memory (tests, OPT, benchmarks). */
export function generateTrace(spec: WorkloadSpecInput, chunkRefs?: number): InMemoryTrace {
  return concatChunks([...generateWorkload(spec, chunkRefs)]);
}
