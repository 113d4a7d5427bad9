/** Finding the Chromium that prints PDFs: HCLAB_CHROMIUM, the usual paths, then PATH. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumSettingError, findChromium } from '../../main/report/pdf/find-chromium.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hclab-find-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findChromium', () => {
  it('HCLAB_CHROMIUM wins and must be an executable', () => {
    const fake = path.join(dir, 'my-chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChromium({ HCLAB_CHROMIUM: fake, PATH: '' }, [])).toBe(fake);
    expect(() => findChromium({ HCLAB_CHROMIUM: path.join(dir, 'nope') }, [])).toThrow(
      ChromiumSettingError,
    );
    const notExec = path.join(dir, 'plain');
    writeFileSync(notExec, '');
    chmodSync(notExec, 0o644);
    if (process.getuid?.() !== 0)
      expect(() => findChromium({ HCLAB_CHROMIUM: notExec }, [])).toThrow(ChromiumSettingError);
  });

  it('then the install paths, then chromium-like names on PATH; none → null', () => {
    const bin = path.join(dir, 'bin');
    expect(findChromium({ PATH: bin }, [])).toBeNull();
    const onPath = path.join(dir, 'chromium-browser');
    writeFileSync(onPath, '#!/bin/sh\n');
    chmodSync(onPath, 0o755);
    expect(findChromium({ PATH: `/nonexistent${path.delimiter}${dir}` }, [])).toBe(onPath);
    const installed = path.join(dir, 'installed-chrome');
    writeFileSync(installed, '#!/bin/sh\n');
    chmodSync(installed, 0o755);
    expect(findChromium({ PATH: dir }, [path.join(dir, 'absent'), installed])).toBe(installed);
  });
});
