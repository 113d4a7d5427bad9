import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTrace, parseTraceBuffer, TraceInputError } from '../../../main/engine/trace/index.js';
import { readPlain, sampleTrace, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const TEXT = Array.from({ length: 20_000 }, (_, i) => `${(i * 104729) % 3001}`).join('\n') + '\n';
const EXPECTED = parseTraceBuffer(Buffer.from(TEXT), { format: 'txt' });

describe('compressed traces', () => {
  it('reads .gz (streamed through zlib)', async () => {
    const path = tmp.write('a.txt.gz', gzipSync(TEXT));
    const r = await readPlain(path);
    expect(r.stats.format).toBe('txt');
    expect(r.pages).toEqual(Array.from(EXPECTED.trace.pages));
    expect(r.stats.bytesRead).toBe(gzipSync(TEXT).length);
  });

  it('recognises gzip by its magic bytes without the extension', async () => {
    const path = tmp.write('plain-name.txt', gzipSync(TEXT));
    expect((await readPlain(path)).stats.references).toBe(20_000);
  });

  it.skipIf(!hasTool('xz'))('reads .xz (xz-decompress)', async () => {
    const path = tmp.write('a.txt.xz', execFileSync('xz', ['-c'], { input: TEXT }));
    expect((await readPlain(path)).pages).toEqual(Array.from(EXPECTED.trace.pages));
  });

  it.skipIf(!hasTool('zstd'))('reads .zst (fzstd)', async () => {
    const zst = execFileSync('zstd', ['-c', '-q'], { input: TEXT });
    const path = tmp.write('a.txt.zst', zst);
    expect((await readPlain(path)).pages).toEqual(Array.from(EXPECTED.trace.pages));
    const inMemory = parseTraceBuffer(zst, { name: 'a.txt' });
    expect(Array.from(inMemory.trace.pages)).toEqual(Array.from(EXPECTED.trace.pages));
  });

  it('reads two .xz traces in turns without waiting on each other', async () => {
    const w106 = sampleTrace('w106.trace.xz');
    const a = (await openTrace(w106, { limit: 300_000 })).chunks();
    const b = (await openTrace(w106, { limit: 300_000 })).chunks();
    let na = 0;
    let nb = 0;
    for (let done = 0; done < 2;) {
      done = 0;
      const ra = await a.next();
      if (ra.done) done++;
      else na += ra.value.length;
      const rb = await b.next();
      if (rb.done) done++;
      else nb += rb.value.length;
    }
    expect([na, nb]).toEqual([300_000, 300_000]);
  });

  it('reports corrupt compressed data as an input error', async () => {
    const gz = gzipSync(TEXT);
    const path = tmp.write('cut.txt.gz', gz.subarray(0, gz.length - 20));
    const err = await readPlain(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceInputError);
    expect((err as TraceInputError).expected).toBe('valid gzip data');
    expect((err as TraceInputError).location).toMatch(/^byte \d+$/);
    const junk = tmp.write('junk.txt.zst', Buffer.from('this is not zstd at all'));
    await expect(readPlain(junk)).rejects.toThrow(
      /junk\.txt\.zst byte \d+: expected valid zstd data/,
    );
  });

  it('parses gzip buffers in memory', () => {
    const r = parseTraceBuffer(gzipSync(TEXT), { name: 'x.txt' });
    expect(Array.from(r.trace.pages)).toEqual(Array.from(EXPECTED.trace.pages));
  });
});
