/**
 * Trace import through the API, over every transport: every compression the CLI reads (.xz
 * included) and the CLI's options (format, split, page size, volumes, skip, limit, warm-up,
 * skip-bad); the preview shows the trace's own ids and times; errors are worded for a form.
 * A small MSR-format block trace is generated here and compressed with the `xz` command.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { TRANSPORTS, type Transport } from './transports.js';

function hasXz(): boolean {
  try {
    execFileSync('xz', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const XZ = hasXz();
if (!XZ) console.warn('skipping the .xz trace import tests: the xz command is missing');

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * MSR Cambridge lines: Timestamp (100 ns ticks since 1601), Hostname, DiskNumber, Type, Offset,
 * Size, ResponseTime. Request k reads or writes 8 KiB at byte offset (1000 + k % 7) × 4096 on
 * disk k % 2, 0.5 s apart.
 */
function msrTrace(requests: number): { text: string; offsets: number[]; seconds: number[] } {
  const lines: string[] = [];
  const offsets: number[] = [];
  const seconds: number[] = [];
  const t0 = 128166372000000000;
  for (let k = 0; k < requests; k++) {
    const offset = (1000 + (k % 7)) * 4096;
    offsets.push(offset);
    seconds.push(k * 0.5);
    const type = k % 3 === 0 ? 'Write' : 'Read';
    lines.push(`${t0 + k * 5_000_000},hm,${k % 2},${type},${offset},8192,100`);
  }
  return { text: `${lines.join('\n')}\n`, offsets, seconds };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null || !XZ)(`trace import over ${factory.name}`, () => {
    let t: Transport;
    let api: ApiClient;
    let dir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hclab-import-'));
      tempDirs.push(dir);
      t = await factory.create(dir);
      api = t.client;
      await api.call('project.create', { path: join(dir, 'p.hclab') });
    });
    afterEach(async () => {
      await t.close();
    });

    it('embeds an .xz trace with options; the preview shows its own ids and times', async () => {
      const trace = msrTrace(40);
      const file = join(dir, 'hm_0.csv');
      writeFileSync(file, trace.text);
      execFileSync('xz', ['-k', file]);
      const xz = readFileSync(`${file}.xz`);

      // Whole, split into 4 KiB pages, volumes apart: 2 pages per request.
      const whole = await api.call('trace.embed', {
        fileName: 'hm_0.csv.xz',
        contentBase64: xz.toString('base64'),
      });
      expect(whole.preview.format).toBe('msr');
      expect(whole.preview.stats.requests).toBe(40);
      expect(whole.preview.stats.references).toBe(80);
      expect(whole.preview.stats.volumes).toBe(2);
      // Disk 0 gets offsets 1000,1002,1004,1006,1001,… pages (k even); disk 1 the odd k: each
      // touches 8 pages (7 offsets + the next page), ids kept apart per disk.
      const first = whole.preview.records[0];
      // A write that covers a whole 4 KiB page is a full-page write (no read first).
      expect(first).toMatchObject({ page: 0, traceId: 1000, op: 'full-page-write' });
      expect(whole.preview.records[1]).toMatchObject({ page: 1, traceId: 1001 });
      // The trace's own times (MSR: seconds of its clock), 0.5 s apart, both pages of a request
      // at the request's time.
      const t0 = first.time as number;
      expect(t0).toBeGreaterThan(1e9);
      expect(whole.preview.records.map((r) => (r.time as number) - t0)).toEqual(
        trace.seconds.flatMap((s) => [s, s]).slice(0, whole.preview.records.length),
      );

      // The CLI's options: skip 4 references, then 10, the first 3 of them warm-up, unsplit,
      // 8 KiB pages, volumes merged.
      const opts = await api.call('trace.embed', {
        fileName: 'hm_0.csv.xz',
        contentBase64: xz.toString('base64'),
        options: {
          format: 'msr',
          split: false,
          pageSize: 8192,
          separateVolumes: false,
          skip: 4,
          limit: 10,
          warmup: 3,
          skipBad: true,
        },
      });
      expect(opts.preview.stats).toMatchObject({
        references: 10,
        pageSize: 8192,
        split: false,
        warmup: 3,
        // Volumes merged: both disks' requests to 8 KiB pages 500..503 share 4 ids (kept apart,
        // each disk would have its own 4).
        distinctPages: 4,
      });
      // Unsplit: one page per request, the 8 KiB page of the offset; requests 4.. of the trace.
      expect(opts.preview.records.map((r) => r.traceId)).toEqual(
        trace.offsets.slice(4, 14).map((o) => Math.floor(o / 8192)),
      );
      expect((opts.preview.records[0].time as number) - t0).toBe(trace.seconds[4]);
      // The stored options are the trace's: inspecting it again gives the same.
      const again = await api.call('trace.inspect', { path: opts.ref });
      expect(again.stats.references).toBe(10);
    });

    it('words errors for a form, names the file, and stores nothing for a bad trace', async () => {
      const mystery = Buffer.from([0, 1, 2, 3, 255, 254, 7, 9, 0, 0, 1, 1]);
      const unknown = await failure(
        api.call('trace.embed', {
          fileName: 'mystery.bin',
          contentBase64: mystery.toString('base64'),
        }),
      );
      expect(unknown.code).toBe('BAD_INPUT');
      expect(unknown.message).toMatch(
        /^mystery\.bin: expected a known trace format \(choose a format: txt, csv/,
      );
      expect(unknown.message).not.toContain('--format');
      expect(unknown.message).not.toContain(tmpdir());

      const file = join(dir, 'bad.txt');
      writeFileSync(file, '5\n6\nseven\n');
      execFileSync('xz', ['-k', file]);
      const bad = await failure(
        api.call('trace.embed', {
          fileName: 'bad.txt.xz',
          contentBase64: readFileSync(`${file}.xz`).toString('base64'),
        }),
      );
      expect(bad.message).toMatch(/bad\.txt\.xz line 3/);
      const skipped = await api.call('trace.embed', {
        fileName: 'bad.txt.xz',
        contentBase64: readFileSync(`${file}.xz`).toString('base64'),
        options: { skipBad: true },
      });
      expect(skipped.preview.stats).toMatchObject({ references: 2, badSkipped: 1 });
      expect(skipped.preview.records.map((r) => r.traceId)).toEqual([5, 6]);

      const page = await failure(
        api.call('trace.embed', {
          fileName: 'x.txt',
          contentBase64: Buffer.from('1\n').toString('base64'),
          options: { pageSize: 1000 },
        }),
      );
      expect(page.code).toBe('BAD_INPUT');
      expect(page.message).toContain('pageSize');
      expect(page.message).toContain('power of two');
    });
  });
}
