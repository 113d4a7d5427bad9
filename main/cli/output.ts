/** Plain output helpers: JSON on stdout, CSV rows, and aligned tables for humans. */

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Formats one CSV cell: empty for null/NaN (unknown), quoted when needed. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function printCsv(
  header: readonly string[],
  rows: Iterable<readonly (string | number | null)[]>,
): void {
  const out: string[] = [header.join(',')];
  for (const r of rows) out.push(r.map(csvCell).join(','));
  process.stdout.write(out.join('\n') + '\n');
}

export function printTable(rows: readonly (readonly string[])[]): void {
  if (rows.length === 0) return;
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) {
    process.stdout.write(
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ') +
        '\n',
    );
  }
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'unknown';
}
