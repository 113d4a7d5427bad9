/**
 * The renderer's export helpers (pure functions, no DOM): CSV exactly as `hclab mrc --csv`
 * prints it, file names that say what they hold, the pages/MiB/GiB conversion and the caption
 * wrapping that keeps exported parameter lines inside the figure.
 */
import { describe, expect, it } from 'vitest';
import type { Curve } from '../../../shared/api/entities.js';
import { csvCell, curvesCsv, toCsv } from '../../../renderer/src/export/csv.js';
import { analysisFileName, exportName, slug } from '../../../renderer/src/export/file-names.js';
import { formatSize, inUnit } from '../../../renderer/src/export/units.js';
import { esc, wrapCaption } from '../../../renderer/src/export/chart-svg.js';

function curve(method: Curve['method'], sizes: number[], misses: (number | null)[]): Curve {
  return {
    method,
    minSize: 0,
    maxSize: null,
    references: 10,
    sizes,
    misses,
    missRatio: misses.map((m) => (m === null ? null : m / 10)),
    mae: null,
    maeSizesCompared: 0,
    errorAtAllocation: [],
  };
}

describe('CSV', () => {
  it('prints curves as method,size,misses,miss_ratio with empty cells for unknown', () => {
    const text = curvesCsv([
      curve('exact', [1, 2], [10, 4]),
      curve('hypervisor', [1, 2], [null, 4]),
    ]);
    expect(text).toBe(
      'method,size,misses,miss_ratio\nexact,1,10,1\nexact,2,4,0.4\nhypervisor,1,,\nhypervisor,2,4,0.4\n',
    );
  });

  it('quotes cells that need it and leaves NaN empty', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(toCsv(['x', 'y'], [[1, 'two\nlines']])).toBe('x,y\n1,"two\nlines"\n');
  });
});

describe('file names', () => {
  it('say what they hold', () => {
    expect(exportName(['My Study', 'run12', 'OLTP (TPC-C)', 'vm/1', 'mrc'], 'svg')).toBe(
      'my-study-run12-oltp-tpc-c-vm-1-mrc.svg',
    );
    expect(exportName(['p', null, '', 'x'], 'csv')).toBe('p-x.csv');
    expect(slug('Ünïcode ../..')).toBe('unicode');
    expect(slug('///')).toBe('x');
    expect(
      analysisFileName({ id: 3, kind: 'crash', runId: null, vmName: 'web' }, 'proj', 'json'),
    ).toBe('proj-crash3-web.json');
    expect(
      analysisFileName({ id: 1, kind: 'alloc', runId: 12, vmName: null }, 'proj', 'svg', 'pages'),
    ).toBe('proj-alloc1-run12-pages.svg');
  });
});

describe('size units', () => {
  it('convert pages with the page size', () => {
    expect(inUnit(256, 'MiB', 4096)).toBe(1);
    expect(inUnit(262_144, 'GiB', 4096)).toBe(1);
    expect(inUnit(1000, 'pages', 4096)).toBe(1000);
    expect(formatSize(1000, 'MiB', 4096)).toBe('3.91 MiB');
    expect(formatSize(1_048_576, 'GiB', 8192)).toBe('8 GiB');
    expect(formatSize(12_345, 'pages', 4096)).toBe('12,345 pages');
  });
});

describe('SVG text', () => {
  it('escapes markup', () => {
    expect(esc('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
  });

  it('wraps caption lines to the figure width, keeping every word', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const out = wrapCaption(['Title', long], 300);
    expect(out[0]).toBe('Title');
    expect(out.length).toBeGreaterThan(3);
    for (const line of out.slice(1)) expect(line.length * 6.1).toBeLessThanOrEqual(300);
    expect(
      out
        .slice(1)
        .map((l) => l.trim())
        .join(' '),
    ).toBe(long);
  });
});
