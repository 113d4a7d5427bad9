/**
 * File → Export Report… without Electron (the `electron` module is a recording stub): the
 * report from report.export is written where the save dialog says, the taskbar progress is
 * shown while it is built and cleared after (also on failure), notes are shown after saving,
 * a cancelled dialog writes nothing, and an error is shown in one error box.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/errors.js';
import type { ApiService } from '../../main/service/api/api-service.js';

const stub = vi.hoisted(() => ({
  progress: [] as number[],
  saveAnswer: null as { canceled: boolean; filePath?: string } | null,
  saveOptions: [] as Record<string, unknown>[],
  messages: [] as Record<string, unknown>[],
  errors: [] as [string, string][],
}));

vi.mock('electron', () => {
  const win = { setProgressBar: (n: number) => stub.progress.push(n) };
  return {
    BrowserWindow: { getFocusedWindow: () => win, getAllWindows: () => [win] },
    dialog: {
      showSaveDialog: (_w: unknown, options: Record<string, unknown>) => {
        stub.saveOptions.push(options);
        return Promise.resolve(stub.saveAnswer);
      },
      showMessageBox: (_w: unknown, options: Record<string, unknown>) => {
        stub.messages.push(options);
        return Promise.resolve({ response: 0 });
      },
      showErrorBox: (title: string, text: string) => stub.errors.push([title, text]),
    },
  };
});

const { exportReportFromMenu } = await import('../../main/electron/export-report.js');

const dir = mkdtempSync(join(tmpdir(), 'hclab-menu-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function service(reply: () => Promise<unknown>): ApiService & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    handle: (method: string, params: unknown) => {
      calls.push([method, params]);
      return reply();
    },
    onEvent: () => () => {},
    close: () => Promise.resolve(),
  };
}

const report = (notes: string[]) => ({
  fileName: 'study-report.zip',
  mimeType: 'application/zip',
  base64: Buffer.from('PK zip bytes').toString('base64'),
  files: ['report.html'],
  notes,
});

beforeEach(() => {
  stub.progress.length = 0;
  stub.saveOptions.length = 0;
  stub.messages.length = 0;
  stub.errors.length = 0;
});

describe('File → Export Report…', () => {
  it('builds the report, asks where, writes it there and shows the notes', async () => {
    const target = join(dir, 'chosen.zip');
    stub.saveAnswer = { canceled: false, filePath: target };
    const s = service(() => Promise.resolve(report(['no PDF: no Chromium'])));
    await exportReportFromMenu(s);
    expect(s.calls).toEqual([['report.export', {}]]);
    expect(stub.progress).toEqual([2, -1]);
    expect(stub.saveOptions[0]).toMatchObject({ defaultPath: 'study-report.zip' });
    expect(readFileSync(target, 'utf8')).toBe('PK zip bytes');
    expect(stub.messages).toEqual([expect.objectContaining({ detail: 'no PDF: no Chromium' })]);
    expect(stub.errors).toEqual([]);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    stub.saveAnswer = { canceled: true };
    await exportReportFromMenu(service(() => Promise.resolve(report([]))));
    expect(existsSync(join(dir, 'study-report.zip'))).toBe(false);
    expect(stub.messages).toEqual([]);
  });

  it('shows a failure in one error box and clears the progress', async () => {
    const s = service(() => Promise.reject(new ApiError('NO_PROJECT', 'no project is open')));
    await exportReportFromMenu(s);
    expect(stub.progress).toEqual([2, -1]);
    expect(stub.saveOptions).toEqual([]);
    expect(stub.errors).toEqual([['Cannot export the report', 'no project is open']]);
  });
});
