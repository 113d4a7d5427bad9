/**
 * How a crash analysis's crash times read in the app and in reports: a few are listed; many are
 * summarised by their count, range and spacing ("100 crash times from 35.42 s to 119.6 s, every
 * 0.85 s"), so a study's hundreds of times never fill a screen with float noise.
 */
const LISTED = 6;

function sec(x: number): string {
  return `${Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 })} s`;
}

export function crashTimesText(times: readonly number[]): string {
  if (times.length === 0) return 'no crash times';
  if (times.length <= LISTED) return `at ${times.map(sec).join(', ')}`;
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const step = (last - first) / (sorted.length - 1);
  const even = sorted.every((t, i) => Math.abs(t - (first + i * step)) <= 1e-6 * Math.max(1, last));
  const spacing = even ? `every ${sec(step)}` : `mean gap ${sec(step)}`;
  return `${sorted.length.toLocaleString('en-US')} crash times from ${sec(first)} to ${sec(last)}, ${spacing}`;
}
