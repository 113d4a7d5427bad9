/** Axis ticks at "nice" values (1, 2, 2.5, 5 × 10^k) and their labels. */

export interface LinearTicks {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

/** About `count` ticks covering [lo, hi], the domain widened to whole steps. */
export function niceTicks(lo: number, hi: number, count = 5): LinearTicks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceTicks(0, 1, count);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
    if (lo < 0 && hi - pad >= 0 && hi - pad === 0) lo = 0;
  }
  const step = niceStep(hi - lo, count);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = min, i = 0; v <= max + step * 1e-9 && i < 1000; i++, v = min + i * step)
    ticks.push(Number(v.toPrecision(12)));
  return { min, max, step, ticks };
}

/** Ticks of a log axis over [lo, hi] (both > 0): 1-2-5 per decade, or decades only when wide. */
export function logTicks(lo: number, hi: number): { min: number; max: number; ticks: number[] } {
  const min = 10 ** Math.floor(Math.log10(lo) + 1e-9);
  const max = 10 ** Math.ceil(Math.log10(hi) - 1e-9);
  const decades = Math.round(Math.log10(max / min));
  const mantissas = decades <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let d = 0; d <= decades; d++)
    for (const m of mantissas) {
      const v = Number((m * min * 10 ** d).toPrecision(12));
      if (v >= min && v <= max) ticks.push(v);
    }
  return { min, max: max === min ? min * 10 : max, ticks };
}

/** A tick label: 1,500 / 0.25 / 1.5M / 2e-5. */
export function tickLabel(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0) return '0';
  if (abs >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`;
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((v / 1e3).toPrecision(4))}k`;
  if (abs < 1e-3) return v.toExponential(0);
  return Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
