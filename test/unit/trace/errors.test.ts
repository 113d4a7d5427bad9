import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTrace, readTraceToMemory, TraceInputError } from '../../../main/engine/trace/index.js';
import type { TraceFormat } from '../../../main/engine/trace/index.js';
import { readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function errorOf(p: Promise<unknown>): Promise<TraceInputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TraceInputError);
  return err as TraceInputError;
}

describe('bad input gives a TraceInputError with file and location', () => {
  it('missing file', async () => {
    const path = `${tmp.dir}/nope.txt`;
    const err = await errorOf(openTrace(path));
    expect(err).toMatchObject({
      file: path,
      location: 'file',
      expected: 'a readable trace file',
      got: 'no such file',
    });
    expect(err.message).toBe(`${path}: expected a readable trace file, got no such file`);
  });

  it('a directory is not a readable file', async () => {
    const err = await errorOf(openTrace(tmp.dir, { format: 'txt' }));
    expect(err.message).toMatch(/expected a readable trace file, got a directory$/);
  });

  it('empty file, for every format', async () => {
    const formats: TraceFormat[] = [
      'txt',
      'csv',
      'oracleGeneral',
      'vscsi',
      'msr',
      'lirs',
      'raw-u32',
    ];
    for (const format of formats) {
      const path = tmp.write(`empty-${format}`, '');
      const err = await errorOf(readPlain(path, { format }));
      expect(err.message).toBe(
        `empty-${format} byte 0: expected a non-empty trace, got an empty file`,
      );
    }
    const gz = tmp.write('empty.txt.gz', gzipSync(''));
    expect((await errorOf(readPlain(gz))).location).toBe('byte 0');
    const undetectable = tmp.write('empty.dat', '');
    expect((await errorOf(readPlain(undetectable))).expected).toBe('a non-empty trace');
  });

  it('a file without any reference', async () => {
    const path = tmp.write('comments.trace', '# only\n# comments\n');
    const err = await errorOf(readPlain(path));
    expect(err.message).toBe(
      'comments.trace end of file: expected at least one reference, got none',
    );
    const allBad = tmp.write('allbad.txt', 'x\ny\n');
    const skipped = await errorOf(readPlain(allBad, { skipBad: true }));
    expect(skipped.got).toBe('none (2 malformed skipped)');
  });

  it('unknown format: undetectable, or an unknown --format name', async () => {
    const path = tmp.write('mystery.dat', Uint8Array.of(7, 0, 0, 0, 1, 1));
    expect((await errorOf(openTrace(path))).message).toMatch(
      /give --format: txt, csv, oracleGeneral, vscsi, msr, lirs, raw-u32/,
    );
    const err = await errorOf(openTrace(path, { format: 'parquet' as TraceFormat }));
    expect(err.message).toBe(
      `${path}: expected a format among txt, csv, oracleGeneral, vscsi, msr, lirs, raw-u32, got 'parquet'`,
    );
  });

  it('truncated binary record, bad number, wrong column count, unknown op', async () => {
    const trunc = tmp.write('t.vscsi', new Uint8Array(40).fill(0x28));
    expect((await errorOf(readPlain(trunc))).location).toMatch(/^record \d+$/);
    const num = tmp.write('n.txt', '1\n2x\n');
    expect(await errorOf(readPlain(num))).toMatchObject({
      location: 'line 2',
      expected: 'a decimal page id',
    });
    const cols = tmp.write('c.csv', 'lbn,op\n1,r\n1,r,9\n');
    expect(await errorOf(readPlain(cols))).toMatchObject({
      location: 'line 3',
      expected: '2 comma-separated columns',
      got: '3',
    });
    const op = tmp.write('o.csv', 'lbn,op\n1,x\n');
    expect((await errorOf(readPlain(op))).expected).toMatch(/^an op /);
  });

  it('a binary file read as text fails on the first line, not with garbage', async () => {
    const path = tmp.write('bin.txt', Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 10));
    expect(await errorOf(readTraceToMemory(path))).toMatchObject({ location: 'line 1' });
  });
});
