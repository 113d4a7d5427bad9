/**
 * Numbers as a report shows them: thousands separators, a sensible number of digits, units and
 * percentages. Unknown values (null, NaN) are "—", never 0.
 */

const DASH = '—';

function known(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** 12,345 (rounded). */
export function fmtCount(x: number | null | undefined): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (!known(x)) return DASH;
  return Math.round(x).toLocaleString('en-US');
}

/** A number for reading: integers with separators, others with up to `digits` significant digits. */
export function fmtNumber(x: number | null | undefined, digits = 4): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (!known(x)) return DASH;
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  if (abs >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs !== 0 && abs < 1e-4) return x.toExponential(2);
  return x.toLocaleString('en-US', { maximumSignificantDigits: digits });
}

/** 12.3 % of a fraction. */
export function fmtPercent(x: number | null | undefined, decimals = 1): string {
  return known(x) ? `${(x * 100).toFixed(decimals)} %` : DASH;
}

/** 1.5 MiB. */
export function fmtBytes(x: number | null | undefined): string {
  if (!known(x)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = x;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${fmtCount(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** 4,096 pages. */
export function fmtPages(x: number | null | undefined): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (!known(x)) return DASH;
  return `${fmtCount(x)} ${Math.round(x) === 1 ? 'page' : 'pages'}`;
}
