import { afterAll, describe, expect, it } from 'vitest';
import { OP_READ } from '../../../main/engine/trace/chunk.js';
import { parseTraceBuffer, TraceInputError } from '../../../main/engine/trace/index.js';
import { readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('txt', () => {
  it('reads one id per line: LF, CRLF, blank lines, no final newline', async () => {
    const path = tmp.write('a.txt', '7\n42\r\n7\n\n  9 \n42');
    const r = await readPlain(path);
    expect(r.pages).toEqual([0, 1, 0, 2, 1]);
    expect(r.ops).toEqual([OP_READ, OP_READ, OP_READ, OP_READ, OP_READ]);
    expect(r.times).toBeNull();
    expect(r.stats).toMatchObject({
      format: 'txt',
      references: 5,
      distinctPages: 3,
      reads: 5,
      writes: 0,
      firstTime: null,
      lastTime: null,
      durationSeconds: null,
      footprintBytes: 3 * 4096,
      badSkipped: 0,
    });
  });

  it('keeps 64-bit ids exact, beyond 2^53', async () => {
    const ids = ['18446744073709551615', '9007199254740993', '9007199254740992', '4294967296', '0'];
    const path = tmp.write('big.txt', [...ids, ids[0], ids[1]].join('\n') + '\n');
    expect((await readPlain(path)).pages).toEqual([0, 1, 2, 3, 4, 0, 1]);
  });

  it('gives the same pages whatever the chunk and buffer boundaries', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${(i * 7919) % 1013}`).join('\r\n');
    const whole = parseTraceBuffer(Buffer.from(text), { format: 'txt' });
    const small = parseTraceBuffer(Buffer.from(text), { format: 'txt', chunkRefs: 7 });
    expect(Array.from(small.trace.pages)).toEqual(Array.from(whole.trace.pages));
    expect(whole.stats.distinctPages).toBe(1013);
  });

  it('rejects a line that is not an id, with file and line', async () => {
    const path = tmp.write('bad.txt', '1\n2\nabc\n4\n');
    const err = await readPlain(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceInputError);
    expect(err).toMatchObject({ file: path, location: 'line 3', expected: 'a decimal page id' });
    expect((err as Error).message).toBe("bad.txt line 3: expected a decimal page id, got 'abc'");
  });

  it('rejects two ids on a line, negative ids and ids of 2^64 or more', async () => {
    const two = tmp.write('two.txt', '1\n2 3\n');
    await expect(readPlain(two)).rejects.toThrow('two.txt line 2: expected one page id per line');
    const neg = tmp.write('neg.txt', '-1\n');
    await expect(readPlain(neg)).rejects.toThrow('neg.txt line 1: expected a decimal page id');
    const big = tmp.write('huge.txt', '1\n18446744073709551616\n');
    await expect(readPlain(big)).rejects.toThrow('huge.txt line 2: expected a page id below 2^64');
  });

  it('skipBad skips malformed lines and counts them', async () => {
    const path = tmp.write('skip.txt', '1\nx1\n2\n3 4\n1\n');
    const r = await readPlain(path, { skipBad: true });
    expect(r.pages).toEqual([0, 1, 0]);
    expect(r.stats.badSkipped).toBe(2);
  });

  it('does not treat # or * as special', async () => {
    const path = tmp.write('hash.txt', '1\n# comment\n');
    await expect(readPlain(path)).rejects.toThrow(
      "hash.txt line 2: expected a decimal page id, got '# comment'",
    );
  });
});

describe('lirs', () => {
  it('skips comments, blank lines and * markers', async () => {
    const path = tmp.write('a.trace', '# LIRS trace\n5\n6 # trailing comment\n*\n\n  * \r\n5\r\n7');
    const r = await readPlain(path);
    expect(r.stats.format).toBe('lirs');
    expect(r.pages).toEqual([0, 1, 0, 2]);
    expect(r.times).toBeNull();
  });

  it('rejects a marker with other text on its line', async () => {
    const path = tmp.write('b.trace', '5\n* 6\n');
    await expect(readPlain(path)).rejects.toThrow('b.trace line 2: expected one page id per line');
    const other = tmp.write('c.trace', '5\nfoo\n');
    await expect(readPlain(other)).rejects.toThrow(
      "c.trace line 2: expected a decimal page id, # comment or *, got 'foo'",
    );
  });
});
