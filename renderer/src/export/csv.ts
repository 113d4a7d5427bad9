/** CSV as the CLI prints it: a header row, empty cells for unknown (null/NaN), RFC 4180 quoting. */
import type { Curve } from '../../../shared/api/entities.js';

export type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

/** Curves as `hclab mrc --csv` prints them: `method,size,misses,miss_ratio`, one row a point. */
export function curvesCsv(curves: readonly Curve[]): string {
  const rows: Cell[][] = [];
  for (const c of curves)
    c.sizes.forEach((size, i) => rows.push([c.method, size, c.misses[i], c.missRatio[i]]));
  return toCsv(['method', 'size', 'misses', 'miss_ratio'], rows);
}
