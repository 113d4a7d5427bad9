/**
 * `countOnly` (the path of `hclab trace info`: ids are counted in a bitmap or hash set, never
 * mapped, and no chunk is built) gives exactly the statistics of a full read, on every format,
 * with skip, limit, splitting and separate volumes; and DistinctSet counts as a JS Set does.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DistinctSet } from '../../../main/engine/trace/distinct-set.js';
import { openTrace } from '../../../main/engine/trace/index.js';
import type { TraceReadOptions } from '../../../main/engine/trace/types.js';
import { Bin, REPO_ROOT, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function statsOf(path: string, options: TraceReadOptions, countOnly: boolean) {
  const source = await openTrace(path, options);
  if (countOnly) source.countOnly?.();
  let chunks = 0;
  for await (const _ of source.chunks()) chunks++;
  return { stats: source.stats(), chunks };
}

async function expectSameStats(path: string, options: TraceReadOptions = {}) {
  const full = await statsOf(path, options, false);
  const counted = await statsOf(path, options, true);
  expect(counted.chunks).toBe(0);
  expect(counted.stats).toEqual(full.stats);
  return full.stats;
}

/** Ids that exercise the bitmap (< 2^27), the narrow hash (< 2^32) and the wide one (64-bit). */
const id = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: 2n ** 27n - 5n, max: 2n ** 27n + 5n }),
  fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);

function oracle(ids: bigint[], times?: number[]): Uint8Array {
  const b = new Bin();
  ids.forEach((x, i) =>
    b
      .u32(times?.[i] ?? 100 + (i >> 3))
      .u64(x)
      .u32(4096)
      .u64(-1n),
  );
  return b.build();
}

describe('countOnly statistics', () => {
  it('DistinctSet counts what a Set of the ids counts', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 400 }), fc.nat(3), (ids, split) => {
        const set = new DistinctSet();
        const his = Int32Array.from(ids, (x) => Number(x >> 32n) | 0);
        const los = Int32Array.from(ids, (x) => Number(x & 0xffffffffn) | 0);
        // Part one by one, part in bulk.
        const cut = Math.floor((ids.length * split) / 3);
        let news = 0;
        for (let j = 0; j < cut; j++) if (set.add(his[j], los[j])) news++;
        expect(set.size).toBe(news);
        expect(set.addMany(his, los, cut, ids.length)).toBe(new Set(ids).size);
        expect(set.size).toBe(new Set(ids).size);
      }),
      { numRuns: 300 },
    );
  });

  it('oracleGeneral (the fused reader): same statistics with any ids, skip and limit', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(id, { minLength: 1, maxLength: 3000 }),
        fc.nat(30),
        fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
        async (ids, skip, limit) => {
          const path = tmp.write(`o${n++}.oracleGeneral`, oracle(ids));
          await expectSameStats(path, { skip, limit });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('oracleGeneral with records the fused path hands to the generic one (time gaps)', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => BigInt((i * 7919) % 1300));
    const times = ids.map((_, i) => (i < 2500 ? 10 : 10 + 7200 + (i >> 4)));
    const path = tmp.write('gap.oracleGeneral', oracle(ids, times));
    const s = await expectSameStats(path, { allowTimeGaps: true });
    expect(s.distinctPages).toBe(1300);
  });

  it('txt, csv, lirs, raw-u32, msr (volumes apart and shared) and vscsi (split and not)', async () => {
    const pages = Array.from({ length: 4000 }, (_, i) => (i * 7919) % 1500);
    const txt = tmp.write('p.txt', pages.join('\n') + '\n');
    await expectSameStats(txt);
    await expectSameStats(txt, { skip: 100, limit: 2000 });
    const csv = tmp.write(
      'p.csv',
      'time,id,op\n' + pages.map((p, i) => `${i},${p * 3},${i % 3 ? 'r' : 'w'}`).join('\n'),
    );
    await expectSameStats(csv, { format: 'csv', csv: { columns: { time: 1, id: 2, op: 3 } } });
    await expectSameStats(tmp.write('p.lirs', pages.join('\n')), { format: 'lirs' });
    const u32 = new Bin();
    for (const p of pages) u32.u32(p * 65537);
    await expectSameStats(tmp.write('p.bin', u32.build()), { format: 'raw-u32' });
    const msr = pages
      .map(
        (p, i) =>
          `${128166372003061629n + BigInt(i) * 10000n},hm,${i % 2},${i % 3 ? 'Read' : 'Write'},${p * 4096 + (i % 5) * 100},${4096 + (i % 4) * 2048},100`,
      )
      .join('\r\n');
    const msrPath = tmp.write('hm_0.csv', msr);
    const apart = await expectSameStats(msrPath, { format: 'msr' });
    const shared = await expectSameStats(msrPath, { format: 'msr', separateVolumes: false });
    expect(apart.distinctPages).toBeGreaterThan(shared.distinctPages);
    const v = new Bin();
    // vscsi version 1: serial, length, flags, command, version, lbn (sectors), time (µs).
    pages.forEach((p, i) =>
      v
        .u32(i)
        .u32(4096 + (i % 3) * 512)
        .u32(1)
        .u16(i % 4 ? 0x28 : 0x2a)
        .u16(0x0100)
        .u64(BigInt(p * 8 + (i % 2)))
        .u64(BigInt(1_000_000 + i * 1000)),
    );
    const vscsi = tmp.write('p.vscsi', v.build());
    await expectSameStats(vscsi);
    await expectSameStats(vscsi, { split: false });
  });

  it('the bundled traces (gzip and xz)', async () => {
    for (const name of ['cpp.trace.gz', 'w106.trace.xz', 'multi3.trace.gz']) {
      const s = await expectSameStats(`${REPO_ROOT}/examples/traces/${name}`);
      expect(s.distinctPages).toBeGreaterThan(100);
    }
  });
});
