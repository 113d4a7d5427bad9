import { afterAll, describe, expect, it } from 'vitest';
import { OP_READ, OP_WRITE, OP_WRITE_FULL } from '../../../main/engine/trace/chunk.js';
import { readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const LINES = [
  '128166372003061629,hm,1,Read,3154468864,32768,1325',
  '128166372013061629,hm,1,Write,4000,200,100',
  '128166372023061629,hm,0,Read,4000,200,100',
  '128166372033061629,prxy,1,Write,4096,4096,90',
  '128166372043061629,hm,1,Read,0,1,80',
].join('\r\n');

describe('msr (MSR Cambridge / SNIA)', () => {
  it('is detected for .csv files whose first line is MSR-shaped', async () => {
    const r = await readPlain(tmp.write('hm_1.csv', LINES));
    expect(r.stats.format).toBe('msr');
  });

  it('splits requests into 4 KiB pages and keeps hostname+disk volumes apart', async () => {
    const r = await readPlain(tmp.write('msr.csv', LINES));
    // Request 1: 3154468864/4096 = 770134, 32768 bytes = 8 pages (ids 0..7).
    // Request 2: bytes 4000..4199 of hm/1 = pages 0 and 1 (ids 8, 9).
    // Request 3: the same bytes on hm/0 = a different volume (ids 10, 11).
    // Request 4: prxy/1 page 1 (id 12). Request 5: hm/1 page 0 again (id 8).
    expect(r.pages).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 8]);
    expect(r.ops).toEqual([
      ...Array(8).fill(OP_READ),
      OP_WRITE,
      OP_WRITE,
      OP_READ,
      OP_READ,
      OP_WRITE_FULL, // request 4 writes the whole page
      OP_READ,
    ]);
    expect(r.stats).toMatchObject({
      requests: 5,
      references: 14,
      distinctPages: 13,
      volumes: 3,
      split: true,
    });
    const together = await readPlain(tmp.write('msr2.csv', LINES), { separateVolumes: false });
    expect(together.stats.distinctPages).toBe(10);
    expect(together.stats.volumes).toBe(3);
  });

  it('converts Windows filetime ticks to Unix-epoch seconds', async () => {
    const r = await readPlain(tmp.write('t.csv', LINES));
    // 128166372003061629 ticks = 12816637200.3061629 s after 1601 = 1172163600.3061629 s after 1970.
    expect(r.times![0]).toBeCloseTo(1172163600 + 0.3061629, 6);
    expect(r.stats.durationSeconds).toBeCloseTo(4, 6);
  });

  it('reads one reference per request with split off', async () => {
    const r = await readPlain(tmp.write('ns.csv', LINES), { split: false });
    expect(r.pages).toEqual([0, 1, 2, 3, 1]);
  });

  it('tolerates a header line, and reports bad lines with their line number', async () => {
    const header = 'Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n';
    const ok = await readPlain(tmp.write('h.csv', header + LINES), { format: 'msr' });
    expect(ok.stats.references).toBe(14);
    const bad = tmp.write('bad.csv', LINES + '\n128166372043061629,hm,1,Trim,0,1,80\n');
    await expect(readPlain(bad, { format: 'msr' })).rejects.toThrow(
      /bad\.csv line 6: expected an op .* in column 4 \(Type\), got 'Trim'/,
    );
    const cols = tmp.write('cols.csv', LINES + '\n128166372043061629,hm,1,Read\n');
    await expect(readPlain(cols, { format: 'msr' })).rejects.toThrow(
      'cols.csv line 6: expected 7 comma-separated columns (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), got 4',
    );
    const num = tmp.write('num.csv', LINES + '\n128166372043061629,hm,1,Read,-5,1,80\n');
    await expect(readPlain(num, { format: 'msr' })).rejects.toThrow(
      "num.csv line 6: expected a byte Offset (integer) in column 5, got '-5'",
    );
    const skipped = await readPlain(num, { format: 'msr', skipBad: true });
    expect(skipped.stats.badSkipped).toBe(1);
  });
});
