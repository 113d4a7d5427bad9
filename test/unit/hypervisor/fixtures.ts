/** Shared test fixtures for the guest / hypervisor / host tests (not a test file). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  OP_READ,
  OP_WRITE,
  OP_WRITE_FSYNC,
  type InMemoryTrace,
} from '../../../main/engine/trace/chunk.js';
import { sampleTrace, testTrace } from '../../support/test-traces.js';

export { haveTestTraces } from '../../support/test-traces.js';

/** cloudPhysicsIO.txt in the HCLAB_TEST_TRACES folder (use only when haveTestTraces()). */
export const CLOUD_PHYSICS = testTrace('cloudPhysicsIO.txt');

const cache = new Map<string, InMemoryTrace>();

/** cloudPhysicsIO.txt with every line one page (dense ids in order of first appearance), reads only. */
export function cloudPhysicsTrace(): InMemoryTrace {
  return linesTrace(CLOUD_PHYSICS, () => readFileSync(CLOUD_PHYSICS, 'utf8'));
}

/** A shipped LIRS sample (examples/traces/NAME.gz, one page per line), reads only. */
export function sampleLirsTrace(name: string): InMemoryTrace {
  const file = sampleTrace(name);
  return linesTrace(file, () => gunzipSync(readFileSync(file)).toString('utf8'));
}

function linesTrace(file: string, read: () => string): InMemoryTrace {
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  const ids = new Map<string, number>();
  const pages: number[] = [];
  for (const line of read().split('\n')) {
    const key = line.trim();
    if (key === '') continue;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    pages.push(id);
  }
  const trace: InMemoryTrace = {
    pages: Int32Array.from(pages),
    ops: new Uint8Array(pages.length),
    times: null,
    distinct: ids.size,
  };
  cache.set(file, trace);
  return trace;
}

/** The same trace with deterministic pseudo-random writes and fsyncs mixed in. */
export function withWrites(trace: InMemoryTrace, seed = 7): InMemoryTrace {
  const ops = new Uint8Array(trace.pages.length);
  let s = seed >>> 0;
  for (let i = 0; i < ops.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const r = s >>> 24;
    ops[i] = r < 64 ? OP_WRITE : r < 70 ? OP_WRITE_FSYNC : OP_READ;
  }
  return { ...trace, ops };
}

/** Misses of a plain LRU cache of `size` pages, by the textbook list algorithm (independent check). */
export function naiveLruMisses(pages: ArrayLike<number>, size: number): number {
  const stack: number[] = [];
  let misses = 0;
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i];
    const at = stack.indexOf(p);
    if (at >= 0) stack.splice(at, 1);
    else misses++;
    stack.unshift(p);
    if (stack.length > size) stack.pop();
  }
  return misses;
}

export interface RandomTrace {
  pages: number[];
  ops: number[];
  times: number[];
}

/** Random traces over a small page space with reads, writes and fsyncs and non-decreasing times. */
export function arbTrace(maxPages = 40, maxLength = 400): fc.Arbitrary<RandomTrace> {
  return fc
    .integer({ min: 1, max: maxPages })
    .chain((distinct) =>
      fc.array(
        fc.record({
          page: fc.integer({ min: 0, max: distinct - 1 }),
          op: fc.constantFrom(OP_READ, OP_READ, OP_WRITE, OP_WRITE_FSYNC),
          dt: fc.integer({ min: 0, max: 8 }),
        }),
        { minLength: 1, maxLength },
      ),
    )
    .map((refs) => {
      // Dense ids in order of first appearance, as readers produce them.
      const ids = new Map<number, number>();
      const pages: number[] = [];
      const ops: number[] = [];
      const times: number[] = [];
      let t = 0;
      for (const r of refs) {
        let id = ids.get(r.page);
        if (id === undefined) ids.set(r.page, (id = ids.size));
        pages.push(id);
        ops.push(r.op);
        t += r.dt * 0.5;
        times.push(t);
      }
      return { pages, ops, times };
    });
}

export function toTrace(r: RandomTrace, timed = true): InMemoryTrace {
  return {
    pages: Int32Array.from(r.pages),
    ops: Uint8Array.from(r.ops),
    times: timed ? Float64Array.from(r.times) : null,
    distinct: new Set(r.pages).size,
  };
}
