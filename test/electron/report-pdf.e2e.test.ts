/**
 * The desktop app prints the report's PDF itself (a hidden window, webContents.printToPDF): over
 * the window's bridge, report.export of a project with one finished run returns a zip with
 * report-A4.pdf and report-Letter.pdf, real PDFs of different page sizes, and no "no PDF" note.
 * Skipped, with the reason printed, where no Electron binary runs (as electron.e2e.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { electronForTests } from '../support/electron.js';

const REPO = resolve(import.meta.dirname, '../..');
const electron = electronForTests();
if ('missing' in electron) console.log(`electron report PDF: skipped — ${electron.missing}`);
const binary = 'missing' in electron ? null : electron.path;

const dir = mkdtempSync(join(tmpdir(), 'hclab-electron-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reply {
  result?: unknown;
  error?: { code: string; message: string };
}

/** The first page's MediaBox width × height (points) of a PDF. */
function mediaBox(pdf: Uint8Array): [number, number] | null {
  const m = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(strFromU8(pdf, true));
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

describe.skipIf(binary === null)('report PDF in the desktop app (Electron)', () => {
  it('report.export prints A4 and Letter PDFs through the app’s own hidden window', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: binary!,
      args: [REPO],
      cwd: REPO,
      env: {
        ...('missing' in electron ? {} : electron.env),
        HCLAB_USER_DATA: join(dir, 'profile'),
      },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      const call = async (method: string, params: unknown): Promise<unknown> => {
        const reply = (await page.evaluate(
          ([m, p]) =>
            (
              globalThis as unknown as { hclab: Record<string, (x: unknown) => Promise<unknown>> }
            ).hclab[m](p),
          [method, params] as const,
        )) as Reply;
        if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`);
        return reply.result;
      };
      await call('project.create', { path: join(dir, 'printed.hclab') });
      await call('vm.save', {
        vm: {
          name: 'solo',
          workload: { kind: 'zipf', pages: 300, alpha: 0.9, refs: 3000, seed: 1 },
          guestPages: 64,
          hvPages: 64,
        },
      });
      const exp = (await call('experiment.save', {
        experiment: { name: 'printing', vmNames: ['solo'], methods: ['exact', 'hypervisor'] },
      })) as { id: number };
      const run = (await call('run.start', { experimentId: exp.id })) as { id: number };
      for (;;) {
        const { state } = (await call('run.get', { runId: run.id })) as { state: string };
        if (state === 'done') break;
        if (state === 'failed' || state === 'cancelled') throw new Error(`run ${state}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      const report = (await call('report.export', { formats: ['pdf', 'html'] })) as {
        base64: string;
        notes: string[];
      };
      expect(report.notes).toEqual([]);
      const entries = unzipSync(new Uint8Array(Buffer.from(report.base64, 'base64')));
      expect(Object.keys(entries).sort()).toEqual([
        'report-A4.pdf',
        'report-Letter.pdf',
        'report.html',
      ]);
      for (const name of ['report-A4.pdf', 'report-Letter.pdf'])
        expect(strFromU8(entries[name].subarray(0, 5))).toBe('%PDF-');
      // A4 is 595.3 × 841.9 pt, Letter 612 × 792 pt (Chromium rounds to its own units: ± 2 pt).
      const near = (box: [number, number] | null, w: number, h: number) =>
        box !== null && Math.abs(box[0] - w) <= 2 && Math.abs(box[1] - h) <= 2;
      expect(mediaBox(entries['report-A4.pdf'])).toSatisfy((b: [number, number] | null) =>
        near(b, 595.3, 841.9),
      );
      expect(mediaBox(entries['report-Letter.pdf'])).toSatisfy((b: [number, number] | null) =>
        near(b, 612, 792),
      );
      // The print window is gone: only the workbench window is left.
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
  }, 180_000);
});
