/**
 * Values are checked where they are read (issue 11, point 1): times finite, ≥ 0 and below 2^53 µs,
 * no jump beyond the limits, the time column keeps its kind, requests up to --max-request-bytes,
 * distinct pages up to their limit. Each limit is tested at the limit and one past it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TraceInputError } from '../../../main/engine/trace/index.js';
import {
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_TIME_GAP_SECONDS,
  MAX_TIME_SECONDS,
} from '../../../main/engine/trace/limits.js';
import { Bin, readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function csv(name: string, times: string[]): string {
  return tmp.write(name, 'time,op,lbn\n' + times.map((t, i) => `${t},r,${i}\n`).join(''));
}

async function refusal(path: string, options = {}): Promise<TraceInputError> {
  const err = await readPlain(path, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TraceInputError);
  return err as TraceInputError;
}

function oracle(records: [number, number][]): Uint8Array {
  const b = new Bin();
  for (const [t, id] of records) b.u32(t).u32(id).u32(0).u32(4096).u32(0).u32(0);
  return b.build();
}

describe('hostile times in csv', () => {
  it.each([
    ['-1', 'negative'],
    ['-99999999999', 'very negative'],
    ['1e308', 'huge'],
    ['18446744073709551616', '2^64'],
  ])('refuses %s (%s) naming file, line and column', async (value) => {
    const err = await refusal(csv(`t${value}.csv`, ['1.0', value]));
    expect(err.message).toContain(`line 3: expected a time in seconds`);
    expect(err.message).toContain(`column 'time' (1)`);
    expect(err.message).toMatch(/^t.*\.csv line 3/);
  });

  it('refuses NaN text and a fraction in an integer column', async () => {
    expect((await refusal(csv('nan.csv', ['1', 'NaN']))).message).toContain('expected a number');
    const frac = await refusal(csv('frac.csv', ['1000000', '1000001', '1000001.5']));
    expect(frac.message).toContain('line 4: expected an integer time');
    expect(frac.message).toContain("column 'time' (1), got '1000001.5'");
  });

  it('accepts fractions when the column starts with one or with a short integer', async () => {
    const r = await readPlain(csv('dec.csv', ['0.5', '1', '1.25']));
    expect(r.times).toEqual([0.5, 1, 1.25]);
    const zero = await readPlain(csv('zero.csv', ['0', '0.5', '1']));
    expect(zero.times).toEqual([0, 0.5, 1]);
  });

  it('times up to 2^53 µs pass; one tick more is refused', async () => {
    const below = MAX_TIME_SECONDS - 0.001;
    const ok = await readPlain(csv('max.csv', [String(below)]));
    expect(ok.times).toEqual([below]);
    const err = await refusal(csv('over.csv', [String(MAX_TIME_SECONDS)]));
    expect(err.message).toContain('line 2: expected a time in seconds');
  });
});

describe('time jumps', () => {
  const year = DEFAULT_MAX_TIME_GAP_SECONDS;

  it('a jump of exactly one year passes, one second more is refused unless allowed', async () => {
    const ok = await readPlain(csv('gap-ok.csv', ['0', String(year)]));
    expect(ok.stats.durationSeconds).toBe(year);
    const path = csv('gap.csv', ['0', '5', String(year + 6)]);
    const err = await refusal(path);
    expect(err.message).toContain('line 4: expected a time at most one year after');
    expect(err.message).toContain('--allow-time-gaps');
    const allowed = await readPlain(path, { allowTimeGaps: true });
    expect(allowed.stats.durationSeconds).toBe(year + 6);
  });

  it('a backward jump within 1 s passes; further back is refused; duration never negative', async () => {
    const ok = await readPlain(csv('back-ok.csv', ['10', '9']));
    expect(ok.stats.durationSeconds).toBe(0); // last − first, never negative
    const err = await refusal(csv('back.csv', ['10', '11', '8']));
    expect(err.message).toContain('line 4: expected a time no more than 1 s before');
    const allowed = await readPlain(csv('back2.csv', ['10', '8']), { allowTimeGaps: true });
    expect(allowed.stats.durationSeconds).toBe(0);
  });

  it('oracleGeneral: a last timestamp of 0xFFFFFFFF is a gap naming the record', async () => {
    const records: [number, number][] = Array.from({ length: 200 }, (_, i) => [i, i % 7]);
    records[199] = [0xffffffff, 1];
    const path = tmp.write('ff.oracleGeneral.bin', oracle(records));
    const err = await refusal(path);
    expect(err.message).toContain('record 200: expected a time at most one year after');
    const r = await readPlain(path, { allowTimeGaps: true });
    expect(r.stats.lastTime).toBe(0xffffffff);
  });
});

describe('MSR timestamps', () => {
  const line = (stamp: string, size = 4096) => `${stamp},web,0,Read,0,${size},10\n`;

  it('timestamp 0 (1601) is refused, not turned negative', async () => {
    const err = await refusal(tmp.write('zero.csv', line('0')), { format: 'msr' });
    expect(err.message).toContain(
      'line 1: expected a Timestamp (Windows filetime) at or after 1970',
    );
  });

  it('the Unix epoch itself (filetime 116444736000000000) is time 0', async () => {
    const r = await readPlain(tmp.write('epoch.csv', line('116444736000000000')), {
      format: 'msr',
    });
    expect(r.times).toEqual([0]);
    expect(r.stats.durationSeconds).toBe(0);
  });
});

describe('request size limit', () => {
  const stamp = '128166372003061629';
  const msr = (size: number) => `${stamp},web,0,Read,0,${size},10\n`;

  it('a request of exactly the limit passes, one byte more names the line', async () => {
    const limit = 64 * 4096;
    const ok = await readPlain(tmp.write('size-ok.csv', msr(limit)), {
      format: 'msr',
      maxRequestBytes: limit,
    });
    expect(ok.pages).toHaveLength(64);
    const err = await refusal(tmp.write('size.csv', msr(4096) + msr(limit + 1)), {
      format: 'msr',
      maxRequestBytes: limit,
    });
    expect(err.message).toContain('line 2: expected a request of at most 256 KiB');
    expect(err.message).toContain('--max-request-bytes');
  });

  it('the default limit is 1 GiB: a 4 GiB MSR request is refused', async () => {
    expect(DEFAULT_MAX_REQUEST_BYTES).toBe(2 ** 30);
    const err = await refusal(tmp.write('4g.csv', msr(2 ** 32)), { format: 'msr' });
    expect(err.message).toContain('line 1: expected a request of at most 1 GiB');
  });
});

describe('distinct pages limit', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `${i}\n`).join('');

  it('at the limit passes; one page more stops with the numbers', async () => {
    const ok = await readPlain(tmp.write('d-ok.txt', ids(5000)), { maxDistinctPages: 5000 });
    expect(ok.stats.distinctPages).toBe(5000);
    const err = await refusal(tmp.write('d.txt', ids(5001)), { maxDistinctPages: 5000 });
    expect(err.message).toContain('expected at most 5000 distinct pages');
    expect(err.message).toContain('--max-distinct-pages');
  });

  it('timed formats stop too (one reference at a time)', async () => {
    const err = await refusal(csv('d.csv', ['1', '2', '3', '4']), { maxDistinctPages: 3 });
    expect(err.message).toContain('expected at most 3 distinct pages');
  });

  it('oracleGeneral (the batched reader) stops too, at the limit and one past it', async () => {
    const records = (n: number): [number, number][] =>
      Array.from({ length: n }, (_, i): [number, number] => [i, 1000 + i]);
    const at = tmp.write('d-ok.oracleGeneral.bin', oracle(records(3000)));
    const ok = await readPlain(at, { format: 'oracleGeneral', maxDistinctPages: 3000 });
    expect(ok.stats.distinctPages).toBe(3000);
    const past = tmp.write('d.oracleGeneral.bin', oracle(records(3001)));
    const err = await refusal(past, { format: 'oracleGeneral', maxDistinctPages: 3000 });
    expect(err.message).toContain('expected at most 3000 distinct pages');
  });

  it('raw-u32 from an endless random stream stops at the limit instead of growing', async () => {
    const err = await refusal('/dev/urandom', { format: 'raw-u32', maxDistinctPages: 100_000 });
    expect(err.message).toContain('expected at most 100000 distinct pages');
  });
});
