/**
 * The sandboxed preload is one CommonJS bundle (dist/main/electron/preload.cjs, built by
 * `npm run build`) that requires nothing but 'electron' and exposes one function per contract
 * method plus onEvent. Checked here with a stand-in for Electron's contextBridge/ipcRenderer, so
 * it runs without an Electron binary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract.js';
import { IPC_CALL, IPC_EVENT, IPC_SAVE_FILE } from '../../main/electron/channels.js';

const BUNDLE = join(resolve(import.meta.dirname, '../..'), 'dist/main/electron/preload.cjs');

describe('Electron preload bundle', () => {
  it('exposes window.hclab with one function per method, over one IPC channel', async () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build first`).toBe(true);
    const code = readFileSync(BUNDLE, 'utf8');
    const required: string[] = [];
    const exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
    const invoked: unknown[][] = [];
    const handlers = new Map<string, (...a: unknown[]) => void>();
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve({ result: 'ok' });
        },
        on: (channel: string, h: (...a: unknown[]) => void) => handlers.set(channel, h),
        removeListener: (channel: string) => handlers.delete(channel),
      },
    };
    const module = { exports: {} };
    runInNewContext(code, {
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`the preload requires ${name}`);
        return electron;
      },
      module,
      exports: module.exports,
    });
    expect(required).toEqual(['electron']);
    const hclab = exposed.hclab;
    expect(Object.keys(hclab).sort()).toEqual([...METHOD_NAMES, 'onEvent', 'saveFile'].sort());

    expect(await hclab['vm.list']({})).toEqual({ result: 'ok' });
    expect(invoked).toEqual([[IPC_CALL, { method: 'vm.list', params: {} }]]);

    const got: unknown[] = [];
    const off = hclab.onEvent((e: unknown) => got.push(e)) as () => void;
    handlers.get(IPC_EVENT)!({}, { event: 'project.changed', payload: { what: 'vms' } });
    expect(got).toEqual([{ event: 'project.changed', payload: { what: 'vms' } }]);
    off();
    expect(handlers.has(IPC_EVENT)).toBe(false);

    // Exports go to the save dialog over their own channel.
    invoked.length = 0;
    const req = { fileName: 'p-run1-e-mrc.svg', mimeType: 'image/svg+xml', base64: 'PHN2Zy8+' };
    await hclab.saveFile(req);
    expect(invoked).toEqual([[IPC_SAVE_FILE, req]]);
  });
});
