/**
 * The desktop app's report PDF printer without Electron: a stand-in window records what it is
 * asked; the HTML reaches it through a temporary file that is gone afterwards, the paper size
 * and backgrounds are passed to printToPDF, and the window is destroyed even when printing fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createElectronPdfPrinter, type PrintWindow } from '../../main/electron/pdf-printer.js';

const root = mkdtempSync(join(tmpdir(), 'hclab-print-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Seen {
  loaded: string[];
  html: string[];
  options: unknown[];
  destroyed: number;
}

function fakeWindow(seen: Seen, fail?: Error): () => PrintWindow {
  return () => ({
    loadFile(file) {
      seen.loaded.push(file);
      seen.html.push(readFileSync(file, 'utf8'));
      return Promise.resolve();
    },
    webContents: {
      printToPDF(options) {
        seen.options.push(options);
        if (fail !== undefined) return Promise.reject(fail);
        return Promise.resolve(Buffer.from(`%PDF-1.7 ${options.pageSize}`));
      },
    },
    destroy() {
      seen.destroyed++;
    },
  });
}

describe('the Electron report printer', () => {
  it('prints the HTML from a temporary file at the paper size asked, then cleans up', async () => {
    const seen: Seen = { loaded: [], html: [], options: [], destroyed: 0 };
    const printer = createElectronPdfPrinter(fakeWindow(seen), root);
    const html = '<!doctype html><title>r</title><svg viewBox="0 0 1 1"></svg>';
    const a4 = await printer.print(html, 'A4');
    const letter = await printer.print(html, 'Letter');
    expect(Buffer.from(a4).toString()).toBe('%PDF-1.7 A4');
    expect(Buffer.from(letter).toString()).toBe('%PDF-1.7 Letter');
    expect(seen.html).toEqual([html, html]);
    expect(seen.options).toEqual([
      { pageSize: 'A4', printBackground: true, preferCSSPageSize: false },
      { pageSize: 'Letter', printBackground: true, preferCSSPageSize: false },
    ]);
    expect(seen.destroyed).toBe(2);
    for (const f of seen.loaded) expect(existsSync(f)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('destroys the window and removes the file when printing fails', async () => {
    const seen: Seen = { loaded: [], html: [], options: [], destroyed: 0 };
    const printer = createElectronPdfPrinter(fakeWindow(seen, new Error('no printer')), root);
    await expect(printer.print('<p>x</p>', 'A4')).rejects.toThrow('no printer');
    expect(seen.destroyed).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });
});
