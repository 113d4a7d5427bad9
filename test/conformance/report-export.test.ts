/**
 * report.export over every transport: on a small project with a finished two-VM run and a stored
 * allocation, the zip holds report.html (inline SVG charts, no outside resource), report.json
 * (valid ReportData naming the run and both VMs), the curves CSV and every chart as SVG and PNG;
 * without a PDF printer a note says how to get the PDF; package 'html' gives the HTML alone; an
 * unknown run id is BAD_INPUT naming it. In-process with a printer given: the PDFs are in the zip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { ReportDataSchema } from '../../shared/api/report.js';
import { MAX_REPORT_BYTES } from '../../shared/api/report-export.js';
import { MAX_SAVE_BYTES } from '../../shared/api/save-file.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { packageReport, reportBaseName } from '../../main/service/api/report.js';
import { createInProcessClient } from '../../main/transport/in-process.js';
import type { PdfPrinter } from '../../main/report/write-report.js';
import { TRANSPORTS, type Transport } from './transports.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hclab-report-export-'));
  tempDirs.push(dir);
  return dir;
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

function vm(name: string, seed: number) {
  return {
    name,
    workload: { kind: 'zipf', pages: 300, alpha: 0.9, refs: 3000, seed, writeFraction: 0.3 },
    guestPages: 64,
    hvPages: 64,
    ghostPages: 128,
  };
}

/** A project with experiment 'pair' (VMs alpha and beta) run to the end; its run id. */
async function finishedRun(api: ApiClient, path: string): Promise<number> {
  await api.call('project.create', { path });
  await api.call('vm.save', { vm: vm('alpha', 1) });
  await api.call('vm.save', { vm: vm('beta', 2) });
  const exp = await api.call('experiment.save', {
    experiment: { name: 'pair', vmNames: ['alpha', 'beta'], methods: ['exact', 'hypervisor'] },
  });
  const { id: runId } = await api.call('run.start', { experimentId: exp.id });
  // Wait for the run's end (polled: beforeAll cannot use expect.poll).
  for (;;) {
    const { state } = await api.call('run.get', { runId });
    if (state === 'done') break;
    if (state === 'failed' || state === 'cancelled') throw new Error(`run ${runId} ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return runId;
}

function unzip(base64: string): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(Buffer.from(base64, 'base64')));
}

for (const factory of TRANSPORTS) {
  describe.skipIf(factory.skip !== null)(`report.export over ${factory.name}`, () => {
    let t: Transport;
    let api: ApiClient;
    let runId: number;

    beforeAll(async () => {
      const dir = scratch();
      t = await factory.create(dir);
      api = t.client;
      runId = await finishedRun(api, join(dir, 'study.hclab'));
      await api.call('alloc.compute', {
        runId,
        memory: 256,
        sources: ['exact'],
        resimulate: false,
      });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('zips every file: HTML with inline charts, valid JSON, the curves CSV, SVG and PNG', async () => {
      const r = await api.call('report.export', {});
      expect(r.fileName).toBe('study-report.zip');
      expect(r.mimeType).toBe('application/zip');
      const entries = unzip(r.base64);
      const names = Object.keys(entries).sort();
      expect(names).toEqual([...r.files].sort());
      expect(names).toContain('report.html');
      expect(names).toContain('report.json');
      expect(names.some((n) => /curves.*\.csv$/.test(n))).toBe(true);
      expect(names.filter((n) => n.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
      expect(names.filter((n) => n.endsWith('.png')).length).toBe(
        names.filter((n) => n.endsWith('.svg')).length,
      );
      for (const n of names.filter((x) => x.endsWith('.png')))
        expect([...entries[n].subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"

      const data = ReportDataSchema.parse(JSON.parse(strFromU8(entries['report.json'])));
      expect(data.meta.projectName).toContain('study');
      expect(data.runs.map((x) => x.id)).toEqual([runId]);
      expect(data.runs[0].results.map((x) => x.name).sort()).toEqual(['alpha', 'beta']);
      expect(data.analyses.map((a) => a.kind)).toEqual(['alloc']);

      const html = strFromU8(entries['report.html']);
      expect(html).toContain('pair');
      expect((html.match(/<svg[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(2);
      expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);

      // No printer on these services: no PDF, and one note says how to get it.
      expect(names.some((n) => n.endsWith('.pdf'))).toBe(false);
      expect(r.notes.some((n) => /PDF/.test(n) && /Chromium/.test(n))).toBe(true);
    });

    it('gives the HTML alone when asked, and only the formats asked for in the zip', async () => {
      const html = await api.call('report.export', { package: 'html' });
      expect(html).toMatchObject({
        fileName: 'study-report.html',
        mimeType: 'text/html',
        files: ['report.html'],
      });
      const text = Buffer.from(html.base64, 'base64').toString('utf8');
      expect(text).toMatch(/^<!doctype html>/i);
      expect(text).toContain('<svg');

      const json = await api.call('report.export', { formats: ['json'], runIds: [runId] });
      expect(Object.keys(unzip(json.base64))).toEqual(['report.json']);
      expect(json.notes).toEqual([]);
    });

    it('refuses an unknown run id (BAD_INPUT naming it) and bad params', async () => {
      const e = await failure(api.call('report.export', { runIds: [runId, 9999] }));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('#9999');
      expect(e.message).not.toContain(`#${runId},`);
      const f = await failure(
        api.call('report.export', { formats: ['docx'] } as unknown as { formats: ['html'] }),
      );
      expect(f.code).toBe('BAD_INPUT');
      expect(f.message).toContain('formats');
    });
  });
}

describe('report.export with a PDF printer (in-process)', () => {
  it('puts the printed PDFs in the zip and closes the printer', async () => {
    const dir = scratch();
    const printed: string[] = [];
    let closed = 0;
    const printer: PdfPrinter = {
      print: (html, paper) => {
        printed.push(paper);
        expect(html).toContain('<svg');
        return Promise.resolve(new TextEncoder().encode(`%PDF-1.7 ${paper}\n%%EOF\n`));
      },
      close: () => {
        closed++;
        return Promise.resolve();
      },
    };
    const service = createApiService({
      recentFile: join(dir, 'recent.json'),
      workers: 1,
      pdfPrinter: () => Promise.resolve(printer),
    });
    try {
      const api = createInProcessClient(service);
      const e = await failure(api.call('report.export', {}));
      expect(e.code).toBe('NO_PROJECT');
      await finishedRun(api, join(dir, 'printed.hclab'));
      const r = await api.call('report.export', { formats: ['pdf'] });
      const entries = unzip(r.base64);
      const pdfs = Object.keys(entries).sort();
      expect(pdfs.length).toBe(2);
      expect(pdfs.every((n) => n.endsWith('.pdf'))).toBe(true);
      expect(pdfs.map((n) => strFromU8(entries[n]).split('\n')[0]).sort()).toEqual([
        '%PDF-1.7 A4',
        '%PDF-1.7 Letter',
      ]);
      expect(printed.sort()).toEqual(['A4', 'Letter']);
      expect(closed).toBe(1);
      expect(r.notes).toEqual([]);
    } finally {
      await service.close();
    }
  }, 120_000);
});

describe('report.export with a printer that fails (in-process)', () => {
  it('keeps every other file, leaves the PDF out with one note, closes the printer', async () => {
    const dir = scratch();
    let closed = 0;
    const service = createApiService({
      recentFile: join(dir, 'recent.json'),
      workers: 1,
      pdfPrinter: () =>
        Promise.resolve({
          print: () => Promise.reject(new Error('GPU process crashed')),
          close: () => {
            closed++;
            return Promise.resolve();
          },
        }),
    });
    try {
      const api = createInProcessClient(service);
      await finishedRun(api, join(dir, 'failing.hclab'));
      const r = await api.call('report.export', { formats: ['html', 'pdf', 'json'] });
      expect(Object.keys(unzip(r.base64)).sort()).toEqual(['report.html', 'report.json']);
      expect(r.notes).toHaveLength(1);
      expect(r.notes[0]).toMatch(/^no PDF: .*GPU process crashed/);
      expect(closed).toBe(1);
    } finally {
      await service.close();
    }
  }, 120_000);
});

describe('report.export of a project without runs (in-process)', () => {
  it('gives the title page and the data, no charts, no error', async () => {
    const dir = scratch();
    const service = createApiService({ recentFile: join(dir, 'recent.json'), workers: 1 });
    try {
      const api = createInProcessClient(service);
      await api.call('project.create', { path: join(dir, 'empty.hclab') });
      const r = await api.call('report.export', { formats: ['html', 'json', 'svg'] });
      const entries = unzip(r.base64);
      expect(Object.keys(entries).sort()).toEqual(['report.html', 'report.json']);
      const data = ReportDataSchema.parse(JSON.parse(strFromU8(entries['report.json'])));
      expect(data.runs).toEqual([]);
      expect(strFromU8(entries['report.html'])).toContain('empty');
    } finally {
      await service.close();
    }
  });
});

describe('report.export of a project with a damaged row (in-process)', () => {
  it('reports the rest and says what was left out in its notes', async () => {
    const dir = scratch();
    const path = join(dir, 'damaged.hclab');
    const service = createApiService({ recentFile: join(dir, 'recent.json'), workers: 1 });
    try {
      const api = createInProcessClient(service);
      const runId = await finishedRun(api, path);
      await api.call('project.close', {});
      const db = new Database(path);
      db.prepare(
        'UPDATE run_results SET result = \'{"broken": 1\' WHERE run_id = ? AND step = 0',
      ).run(runId);
      db.close();
      await api.call('project.open', { path });
      const r = await api.call('report.export', { formats: ['json'] });
      expect(r.notes).toHaveLength(1);
      expect(r.notes[0]).toMatch(new RegExp(`^left out: .*run ${runId}`));
      const data = ReportDataSchema.parse(JSON.parse(strFromU8(unzip(r.base64)['report.json'])));
      expect(data.notes).toEqual(r.notes);
    } finally {
      await service.close();
    }
  }, 120_000);
});

describe('packaging a report (size limit, file names)', () => {
  const files = [
    { name: 'report.html', bytes: new TextEncoder().encode('<!doctype html><p>r</p>') },
    { name: 'figures/a.png', bytes: new Uint8Array(3000).map((_, i) => (i * 7919) % 251) },
  ];

  it('refuses a zip over the limit with BAD_INPUT saying how large and what to do', () => {
    expect(MAX_REPORT_BYTES).toBe(MAX_SAVE_BYTES); // whatever is exported can be saved
    let err: unknown;
    try {
      packageReport(files, 'zip', '/x/study.hclab', [], 2000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('BAD_INPUT');
    expect((err as ApiError).message).toMatch(/over the 0\.0 MiB an export may be.*hclab report/);
    const ok = packageReport(files, 'zip', '/x/study.hclab', ['n'], 10_000);
    expect(Object.keys(unzip(ok.base64)).sort()).toEqual(['figures/a.png', 'report.html']);
    expect(ok).toMatchObject({ fileName: 'study-report.zip', notes: ['n'] });
  });

  it('names the file after the project, with safe characters only', () => {
    expect(reportBaseName('/a/b/My Study (v2).hclab')).toBe('My-Study-v2-report');
    expect(reportBaseName('/a/../.hidden.HCLAB')).toBe('hidden-report');
    expect(reportBaseName('/a/…')).toBe('hclab-report');
  });
});
