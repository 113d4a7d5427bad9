import { afterAll, describe, expect, it } from 'vitest';
import {
  OP_READ,
  OP_WRITE,
  OP_WRITE_FSYNC,
  OP_WRITE_FULL,
} from '../../../main/engine/trace/chunk.js';
import { TraceInputError } from '../../../main/engine/trace/index.js';
import { readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const R = OP_READ;
const W = OP_WRITE;
const WF = OP_WRITE_FULL;

describe('csv', () => {
  it('reads the libCacheSim layout: header, lbn as id, time, SCSI hex ops', async () => {
    const path = tmp.write(
      'cp.csv',
      'version,time,op,size,lbn\n1,100,2a,512,7\n1,101,28,4096,8\r\n1,102,2a,512,7\n',
    );
    const r = await readPlain(path);
    expect(r.stats.format).toBe('csv');
    expect(r.stats.split).toBe(false);
    expect(r.pages).toEqual([0, 1, 0]);
    expect(r.ops).toEqual([W, R, W]);
    expect(r.times).toEqual([100, 101, 102]);
    expect(r.stats).toMatchObject({
      reads: 1,
      writes: 2,
      firstTime: 100,
      lastTime: 102,
      durationSeconds: 2,
    });
  });

  it('splits lbn ids in 512-byte sectors when asked', async () => {
    // lbn 7 = bytes 3584..4607 (pages 0 and 1); lbn 8 = bytes 4096..8191 (page 1).
    const path = tmp.write(
      'cp-split.csv',
      'version,time,op,size,lbn\n1,100,2a,1024,7\n1,101,28,4096,8\n',
    );
    const r = await readPlain(path, { split: true });
    expect(r.pages).toEqual([0, 1, 1]);
    expect(r.ops).toEqual([W, W, R]);
    expect(r.times).toEqual([100, 100, 101]);
    expect(r.stats).toMatchObject({ references: 3, requests: 2, split: true });
  });

  it('splits byte offsets into every 4 KiB page touched (default for offset columns)', async () => {
    const path = tmp.write(
      'off.csv',
      'time,offset,size,op\n0,4000,200,r\n1,8192,4096,w\n2,0,0,read\n3,4095,8194,W\n',
    );
    const r = await readPlain(path);
    // 4000+200 touches pages 0 and 1; 8192..12287 is page 2; size 0 still touches page 0;
    // 4095..12288 touches pages 0, 1, 2 and 3. Writes of whole pages (2; 1 and 2) are full-page
    // writes; the partly written pages 0 and 3 are read first.
    expect(r.pages).toEqual([0, 1, 2, 0, 0, 1, 2, 3]);
    expect(r.ops).toEqual([R, R, WF, R, W, WF, WF, W]);
    expect(r.stats).toMatchObject({ split: true, requests: 4, references: 8, distinctPages: 4 });
    const unsplit = await readPlain(path, { split: false });
    expect(unsplit.pages).toEqual([0, 1, 0, 0]);
  });

  it('honours pageSize when splitting', async () => {
    const path = tmp.write('ps.csv', 'offset,size\n0,8192\n8192,1\n');
    expect((await readPlain(path, { pageSize: 8192 })).pages).toEqual([0, 1]);
    expect((await readPlain(path, { pageSize: 1024 })).stats.references).toBe(9);
  });

  it('accepts the documented op spellings', async () => {
    const ops = [
      'r',
      'w',
      'read',
      'write',
      'R',
      'W',
      'Read',
      'Write',
      '0',
      '1',
      '28',
      '2a',
      '0x2A',
      'fsync',
    ];
    const path = tmp.write('ops.csv', 'id,op\n' + ops.map((o, i) => `${i},${o}`).join('\n'));
    const r = await readPlain(path);
    expect(r.ops).toEqual([R, W, R, W, R, W, R, W, R, W, R, W, W, OP_WRITE_FSYNC]);
    expect(r.stats).toMatchObject({ reads: 6, writes: 8 });
  });

  it('takes columns by 1-based number or name, and a headerless file', async () => {
    const path = tmp.write('nohdr.csv', '5,a,r,0.5\n6,b,w,1.25\n5,a,r,2\n');
    const r = await readPlain(path, { csv: { columns: { id: 1, op: 3, time: 4 } } });
    expect(r.pages).toEqual([0, 1, 0]);
    expect(r.times).toEqual([0.5, 1.25, 2]);
    const named = tmp.write('named.csv', 'blk,t,kind\n5,1000,r\n6,2000,w\n');
    const n = await readPlain(named, {
      csv: { columns: { id: 'blk', time: 't', op: 'kind' }, timeScale: 1e-3 },
    });
    expect(n.times).toEqual([1, 2]);
    expect(n.ops).toEqual([R, W]);
  });

  it('reads a one-column file as ids, and tab- or semicolon-separated files', async () => {
    expect((await readPlain(tmp.write('one.csv', '3\n4\n3\n'))).pages).toEqual([0, 1, 0]);
    const tab = tmp.write('tab.csv', 'lbn\ttype\n3\tw\n4\tr\n');
    expect((await readPlain(tab)).ops).toEqual([W, R]);
    const semi = tmp.write('semi.csv', 'lbn;type\n3;w\n3;r\n');
    expect((await readPlain(semi)).pages).toEqual([0, 0]);
  });

  it('keeps volumes apart unless told not to', async () => {
    const path = tmp.write('vol.csv', 'disk,lbn\nA,1\nB,1\nA,1\nB,2\n');
    const apart = await readPlain(path);
    expect(apart.pages).toEqual([0, 1, 0, 2]);
    expect(apart.stats.volumes).toBe(2);
    const together = await readPlain(path, { separateVolumes: false });
    expect(together.pages).toEqual([0, 0, 0, 1]);
  });

  it('reports a wrong column count with file, line and both counts', async () => {
    const path = tmp.write(
      'cloudPhysicsIO.csv',
      'version,time,op,size,lbn\n1,5,2a,512,7\n1,6,2a\n',
    );
    const err = await readPlain(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceInputError);
    expect((err as Error).message).toBe(
      'cloudPhysicsIO.csv line 3: expected 5 comma-separated columns, got 3',
    );
    expect(err).toMatchObject({
      file: path,
      location: 'line 3',
      expected: '5 comma-separated columns',
      got: '3',
    });
  });

  it('reports a bad number and an unknown op by column', async () => {
    const num = tmp.write('num.csv', 'time,op,lbn\n1,r,12x\n');
    await expect(readPlain(num)).rejects.toThrow(
      "num.csv line 2: expected a block number (unsigned integer below 2^64) in column 'lbn' (3), got '12x'",
    );
    const time = tmp.write('time.csv', 'time,op,lbn\nsoon,r,12\n');
    await expect(readPlain(time)).rejects.toThrow(
      "time.csv line 2: expected a number in column 'time' (1), got 'soon'",
    );
    const op = tmp.write('op.csv', 'time,op,lbn\n1,r,1\n2,trim,1\n');
    await expect(readPlain(op)).rejects.toThrow(
      "op.csv line 3: expected an op (r/w, read/write, 0/1, fsync, wf/write-full, wfs/fsync-full, dw/direct, or a SCSI opcode such as 28/2a) in column 'op' (2), got 'trim'",
    );
  });

  it('asks for columns when it cannot find an id or offset column', async () => {
    const path = tmp.write('what.csv', 'alpha,beta\n1,2\n');
    await expect(readPlain(path)).rejects.toThrow(
      /what\.csv line 1: expected an id or offset column/,
    );
    const two = tmp.write('two.csv', '1,2\n3,4\n');
    await expect(readPlain(two)).rejects.toThrow(/got 2 columns and no header line/);
    const missing = tmp.write('missing.csv', 'lbn,op\n1,r\n');
    await expect(readPlain(missing, { csv: { columns: { id: 'block' } } })).rejects.toThrow(
      "missing.csv line 1: expected a column named 'block' for the id, got header lbn,op",
    );
  });

  it('skipBad skips malformed lines and counts them', async () => {
    const path = tmp.write('skip.csv', 'lbn,op\n1,r\n2\nx,w\n3,zz\n1,w\n');
    const r = await readPlain(path, { skipBad: true });
    expect(r.pages).toEqual([0, 0]);
    expect(r.ops).toEqual([R, W]);
    expect(r.stats.badSkipped).toBe(3);
  });
});
