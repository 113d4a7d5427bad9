/**
 * The hidden window reports are printed from, without an Electron binary (the `electron` module
 * is a recording stub): never shown, no JavaScript, sandboxed, in its own in-memory session that
 * cancels every request but the report's file and inline data, and denies every permission.
 */
import { describe, expect, it, vi } from 'vitest';

type RequestFilter = (details: { url: string }, cb: (r: { cancel: boolean }) => void) => void;

const stub = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; files: string[]; destroyed: boolean }[],
  partitions: [] as string[],
  filter: null as RequestFilter | null,
  permissionCheck: null as (() => boolean) | null,
  printed: [] as unknown[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record: (typeof stub.windows)[number];
    readonly webContents = {
      printToPDF: (options: unknown) => {
        stub.printed.push(options);
        return Promise.resolve(Buffer.from('%PDF'));
      },
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, files: [], destroyed: false };
      stub.windows.push(this.record);
    }
    loadFile(file: string): Promise<void> {
      this.record.files.push(file);
      return Promise.resolve();
    }
    destroy(): void {
      this.record.destroyed = true;
    }
  }
  return {
    BrowserWindow,
    session: {
      fromPartition(name: string) {
        stub.partitions.push(name);
        return {
          webRequest: {
            onBeforeRequest(fn: RequestFilter) {
              stub.filter = fn;
            },
          },
          setPermissionRequestHandler() {},
          setPermissionCheckHandler(fn: () => boolean) {
            stub.permissionCheck = fn;
          },
        };
      },
    },
  };
});

const { electronPdfPrinter, PRINT_PARTITION } = await import('../../main/electron/print-window.js');

function cancelled(url: string): boolean {
  let answer: boolean | null = null;
  stub.filter!({ url }, (r) => (answer = r.cancel));
  return answer!;
}

describe('the report print window', () => {
  it('is hidden, script-free, sandboxed, in its own session; destroyed after printing', async () => {
    const pdf = await electronPdfPrinter().print('<p>report</p>', 'Letter');
    expect(Buffer.from(pdf).toString()).toBe('%PDF');
    expect(stub.windows).toHaveLength(1);
    const w = stub.windows[0];
    expect(w.options.show).toBe(false);
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      partition: PRINT_PARTITION,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(prefs.preload).toBeUndefined();
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false);
    expect(w.files).toHaveLength(1);
    expect(w.files[0]).toMatch(/report\.html$/);
    expect(w.destroyed).toBe(true);
    expect(stub.printed).toEqual([
      { pageSize: 'Letter', printBackground: true, preferCSSPageSize: false },
    ]);
  });

  it('cancels every request but the file and inline data, denies permissions', async () => {
    await electronPdfPrinter().print('<p>again</p>', 'A4');
    expect(stub.partitions).toEqual([PRINT_PARTITION]); // the session is set up once
    expect(cancelled('file:///tmp/hclab-report-print-x/report.html')).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);
    expect(cancelled('https://example.com/font.woff')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('hclab://app/index.html')).toBe(true);
    expect(stub.permissionCheck!()).toBe(false);
  });
});
