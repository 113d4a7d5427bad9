/**
 * CSV text as the CLI prints it (header line, `csvCell` cells, "\n" line ends, a final newline),
 * and the curve rows of `hclab results --csv`, shared by that command and the report's
 * curves.csv so the two are byte-identical.
 */
import type { RunDetail } from '../../shared/api/entities.js';
import { csvCell } from '../cli/output.js';

export type CsvValue = string | number | null;

export function csvText(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const out: string[] = [header.join(',')];
  for (const r of rows) out.push(r.map(csvCell).join(','));
  return out.join('\n') + '\n';
}

/**
 * A table column as a CSV column name, in the CLI's style (`miss_ratio`): lower case, units
 * kept as words, everything else an underscore. "overhead (µs)" → "overhead_us",
 * "CI 95 % low" → "ci_95_pct_low".
 */
export function csvColumnName(column: string): string {
  const s = column
    .replace(/[\u00b5\u03bc]/g, 'u') // micro sign and Greek mu
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/%/g, ' pct ')
    .replace(/\+/g, ' plus ')
    .replace(/ε/g, 'epsilon')
    .replace(/α/g, 'alpha')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? 'column' : s;
}

/** A report table's CSV: CLI-style column names, the numbers exact. */
export function tableCsv(columns: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  return csvText(columns.map(csvColumnName), rows);
}

export const CURVES_CSV_HEADER = ['run', 'vm', 'method', 'size', 'misses', 'miss_ratio'] as const;

/** run,vm,method,size,misses,miss_ratio: every stored curve point of the runs, in order. */
export function curvesCsv(runs: readonly RunDetail[]): string {
  const rows: CsvValue[][] = [];
  for (const run of runs)
    for (const vm of run.results)
      for (const c of vm.curves)
        c.sizes.forEach((size, i) =>
          rows.push([run.id, vm.name, c.method, size, c.misses[i], c.missRatio[i]]),
        );
  return csvText(CURVES_CSV_HEADER, rows);
}
