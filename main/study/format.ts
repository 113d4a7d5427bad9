/**
 * How the study writes a number into a verdict and the demo's summary: four significant digits,
 * no exponent for ordinary magnitudes, thousands separated by commas ("219,300"). The tests
 * parse the summary with the same rule.
 */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 20 });
}

/** A fraction as a percentage, four significant digits ("0.5717" → "57.17 %"). */
export function pct(fraction: number): string {
  return `${fmt(fraction * 100)} %`;
}
