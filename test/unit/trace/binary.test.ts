import { afterAll, describe, expect, it } from 'vitest';
import { OP_READ, OP_WRITE } from '../../../main/engine/trace/chunk.js';
import { TraceInputError } from '../../../main/engine/trace/index.js';
import { Bin, readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function oracle(records: [number, bigint, number, bigint][]): Uint8Array {
  const b = new Bin();
  for (const [t, id, size, next] of records) b.u32(t).u64(id).u32(size).u64(next);
  return b.build();
}

function vscsi1(records: [number, number, bigint, bigint][]): Uint8Array {
  const b = new Bin();
  records.forEach(([cmd, len, lbn, ts], i) =>
    b.u32(i).u32(len).u32(1).u16(cmd).u16(0x0100).u64(lbn).u64(ts),
  );
  return b.build();
}

describe('oracleGeneral', () => {
  const big = 2n ** 40n + 5n;
  const data = oracle([
    [10, 5n, 4096, 3n],
    [11, big, 512, -1n],
    [12, 5n, 4096, -1n],
    [12, 2n ** 64n - 1n, 100, -1n],
  ]);

  it('reads 24-byte records: time in s, 64-bit ids, all reads', async () => {
    const r = await readPlain(tmp.write('a.oracleGeneral.bin', data));
    expect(r.stats.format).toBe('oracleGeneral');
    expect(r.pages).toEqual([0, 1, 0, 2]);
    expect(r.ops).toEqual([OP_READ, OP_READ, OP_READ, OP_READ]);
    expect(r.times).toEqual([10, 11, 12, 12]);
    expect(r.stats).toMatchObject({ firstTime: 10, lastTime: 12, durationSeconds: 2 });
  });

  it('reports a truncated last record', async () => {
    const path = tmp.write('t.oracleGeneral', data.subarray(0, 24 * 3 + 10));
    const err = await readPlain(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceInputError);
    expect(err).toMatchObject({ location: 'record 4', expected: 'a 24-byte record' });
    expect((err as Error).message).toBe(
      't.oracleGeneral record 4: expected a 24-byte record, got only 10 bytes at byte 72 (truncated file)',
    );
    const skipped = await readPlain(path, { skipBad: true });
    expect(skipped.stats).toMatchObject({ references: 3, badSkipped: 1 });
  });
});

describe('vscsi', () => {
  const data = vscsi1([
    [0x2a, 1024, 7n, 1_500_000n], // bytes 3584..4607: pages 0, 1
    [0x28, 4096, 8n, 2_000_000n], // bytes 4096..8191: page 1
    [0x28, 512, 7n, 3_250_000n], // bytes 3584..4095: page 0
  ]);

  it('reads version-1 records, splitting lbn sectors into pages by default', async () => {
    const r = await readPlain(tmp.write('a.vscsi', data));
    expect(r.stats.format).toBe('vscsi');
    expect(r.pages).toEqual([0, 1, 1, 0]);
    expect(r.ops).toEqual([OP_WRITE, OP_WRITE, OP_READ, OP_READ]);
    expect(r.times).toEqual([1.5, 1.5, 2, 3.25]);
    expect(r.stats).toMatchObject({ requests: 3, references: 4, reads: 2, writes: 2, split: true });
  });

  it('takes each lbn as one page with split off', async () => {
    const r = await readPlain(tmp.write('b.vscsi', data), { split: false });
    expect(r.pages).toEqual([0, 1, 0]);
  });

  it('reads version-2 (40-byte) records', async () => {
    const b = new Bin();
    for (const [cmd, lbn, ts] of [
      [0x28, 9n, 1_000_000n],
      [0x2a, 9n, 2_000_000n],
    ] as const) {
      b.u16(cmd).u16(0x0200).u32(1).u32(512).u32(1).u64(lbn).u64(ts).u64(0n);
    }
    const r = await readPlain(tmp.write('v2.vscsi', b.build()), { split: false });
    expect(r.pages).toEqual([0, 0]);
    expect(r.ops).toEqual([OP_READ, OP_WRITE]);
    expect(r.times).toEqual([1, 2]);
  });

  it('rejects an unknown SCSI opcode (or skips it with skipBad)', async () => {
    const bad = vscsi1([
      [0x28, 512, 1n, 0n],
      [0x12, 0, 0n, 0n],
      [0x2a, 512, 2n, 0n],
    ]);
    const path = tmp.write('op.vscsi', bad);
    await expect(readPlain(path)).rejects.toThrow(
      'op.vscsi record 2: expected an op (r/w, read/write, 0/1, fsync, wf/write-full, wfs/fsync-full, dw/direct, or a SCSI opcode such as 28/2a), got SCSI opcode 0x12',
    );
    const r = await readPlain(path, { skipBad: true, split: false });
    expect(r.pages).toEqual([0, 1]);
    expect(r.stats.badSkipped).toBe(1);
  });

  it('rejects a truncated record and a file of another version', async () => {
    const trunc = tmp.write('t.vscsi', data.subarray(0, 32 + 31));
    await expect(readPlain(trunc)).rejects.toThrow(
      't.vscsi record 2: expected a 32-byte record, got only 31 bytes at byte 32 (truncated file)',
    );
    const junk = tmp.write('j.vscsi', new Uint8Array(64));
    await expect(readPlain(junk)).rejects.toThrow(/j\.vscsi record 1: expected a vscsi record/);
  });
});

describe('raw-u32', () => {
  const data = new Bin().u32(1).u32(2).u32(1).u32(0xffffffff).u32(0x80000000).build();

  it('reads little-endian uint32 block numbers (.trace, binary)', async () => {
    const r = await readPlain(tmp.write('w.trace', data));
    expect(r.stats.format).toBe('raw-u32');
    expect(r.pages).toEqual([0, 1, 0, 2, 3]);
    expect(r.times).toBeNull();
  });

  it('reports a truncated record', async () => {
    const path = tmp.write('t.trace', data.subarray(0, 18));
    await expect(readPlain(path, { format: 'raw-u32' })).rejects.toThrow(
      't.trace record 5: expected a 4-byte record, got only 2 bytes at byte 16 (truncated file)',
    );
  });
});
