/** The desktop app's export path: validated request, save dialog, bytes written (no Electron). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_URL } from '../../main/electron/channels.js';
import { handleSaveFile } from '../../main/electron/save-file.js';

const dir = mkdtempSync(join(tmpdir(), 'hclab-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const request = {
  fileName: 'p-run1-e-mrc.svg',
  mimeType: 'image/svg+xml',
  base64: Buffer.from(svg).toString('base64'),
};

describe('handleSaveFile', () => {
  it('asks where (suggesting the name) and writes the bytes there', async () => {
    const asked: string[][] = [];
    const target = join(dir, 'chosen.svg');
    const r = await handleSaveFile(APP_URL, request, {
      choose: (name, ext) => (asked.push([name, ext]), Promise.resolve(target)),
    });
    expect(asked).toEqual([['p-run1-e-mrc.svg', 'svg']]);
    expect(r).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe(svg);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const r = await handleSaveFile(APP_URL, request, { choose: () => Promise.resolve(undefined) });
    expect(r).toEqual({ saved: false });
  });

  it('refuses other senders and bad requests before any dialog', async () => {
    const never = {
      choose: (): Promise<string> => {
        throw new Error('no dialog expected');
      },
    };
    await expect(handleSaveFile('https://evil.example/', request, never)).rejects.toThrow(
      /refused/,
    );
    await expect(handleSaveFile(null, request, never)).rejects.toThrow(/refused/);
    await expect(
      handleSaveFile(APP_URL, { ...request, fileName: '../../etc/passwd' }, never),
    ).rejects.toThrow(/without folders/);
    await expect(handleSaveFile(APP_URL, { fileName: 'x.csv' }, never)).rejects.toThrow(/saveFile/);
  });
});
