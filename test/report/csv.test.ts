/** Report CSVs: the CLI's CSV text and column names in its style. */
import { describe, expect, it } from 'vitest';
import { csvColumnName, tableCsv } from '../../main/report/csv.js';

describe('report CSV', () => {
  it('column names in the CLI style', () => {
    expect(csvColumnName('miss_ratio')).toBe('miss_ratio');
    expect(csvColumnName('overhead (µs)')).toBe('overhead_us');
    expect(csvColumnName('CI 95 % low')).toBe('ci_95_pct_low');
    expect(csvColumnName('no cache: disk reads')).toBe('no_cache_disk_reads');
    expect(csvColumnName('first size compared (pages)')).toBe('first_size_compared_pages');
    expect(csvColumnName('V + C (pages)')).toBe('v_plus_c_pages');
    expect(csvColumnName('—')).toBe('column');
  });

  it('cells: exact numbers, empty for unknown, quoted text', () => {
    expect(
      tableCsv(
        ['a b', 'c'],
        [
          [1 / 3, 'x, "y"'],
          [null, Number.NaN],
        ],
      ),
    ).toBe('a_b,c\n0.3333333333333333,"x, ""y"""\n,\n');
  });
});
