import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveTestTraces, testTrace } from '../../support/test-traces.js';
import { LruPolicy } from '../../../main/engine/policy/lru.js';

/** The CloudPhysics sample from the HCLAB_TEST_TRACES folder (GPL data, not shipped). */
const TRACE = testTrace('cloudPhysicsIO.txt');

/** Every line is one page; ids are mapped to dense integers in order of first appearance. */
function readDensePages(file: string): Int32Array {
  const ids = new Map<string, number>();
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: number[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    out.push(id);
  }
  return Int32Array.from(out);
}

function lruHits(pages: Int32Array, capacity: number): number {
  const p = new LruPolicy(capacity);
  let hits = 0;
  for (let i = 0; i < pages.length; i++) {
    if (p.access(pages[i], i)) hits++;
    else p.insert(pages[i], i);
  }
  return hits;
}

describe.skipIf(!haveTestTraces())(
  'LRU on the CloudPhysics vSCSI sample (libCacheSim reference values)',
  () => {
    let pages: Int32Array = new Int32Array(0);
    beforeAll(() => {
      pages = readDensePages(TRACE);
    });

    it('has 113,872 requests over 48,974 distinct blocks', () => {
      expect(pages.length).toBe(113_872);
      expect(Math.max(...pages) + 1).toBe(48_974);
    });

    it.each([
      [1, 2685],
      [2, 3347],
      [3, 3908],
      [4, 4666],
      [5, 4904],
      [20, 8311],
      [48_974, 64_898],
    ])('capacity %i gives %i hits', (capacity, hits) => {
      expect(lruHits(pages, capacity)).toBe(hits);
    });
  },
);
