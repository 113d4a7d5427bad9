/**
 * Lists of memory sizes (pages) at which curves are sampled, compared and shown.
 */
import { SIZES_DEFAULTS } from '../../../shared/schema/defaults.js';

/** Most sizes a parsed list may hold (guards against `1:1000000000:1`). */
export const MAX_SIZE_LIST = 1_000_000;

const INTEGER = /^\d+$/;

function parseSize(text: string, item: string): number {
  if (!INTEGER.test(text)) {
    throw new Error(`bad size "${item}": "${text}" is not a non-negative integer`);
  }
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new Error(`bad size "${item}": "${text}" is too large`);
  return v;
}

function atLeastOne(v: number, item: string): number {
  if (v === 0) throw new Error(`bad size "${item}": sizes are page counts of at least 1, got 0`);
  return v;
}

/**
 * Parses `100,200,500`, ranges `start:end:step` (end included when on a step) and mixtures such
 * as `1,2,100:1000:100`. Returns the sizes sorted and without duplicates. Throws an error naming
 * the offending item.
 */
export function parseSizeList(text: string): number[] {
  if (text.trim() === '') throw new Error('empty size list');
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') throw new Error(`bad size list "${text}": empty item`);
    const parts = item.split(':').map((p) => p.trim());
    if (parts.length === 1) {
      out.add(atLeastOne(parseSize(parts[0], item), item));
    } else if (parts.length === 3) {
      const [start, end, step] = parts.map((p) => parseSize(p, item));
      if (step <= 0) throw new Error(`bad size range "${item}": step must be positive`);
      if (end < start) throw new Error(`bad size range "${item}": end is before start`);
      atLeastOne(start, item);
      if ((end - start) / step + 1 + out.size > MAX_SIZE_LIST) {
        throw new Error(`bad size range "${item}": more than ${MAX_SIZE_LIST} sizes`);
      }
      for (let s = start; s <= end; s += step) out.add(s);
    } else {
      throw new Error(`bad size "${item}": expected a size or start:end:step`);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * About `points` sizes log-spaced from 1 to `footprint` (every integer while the log step is
 * under one page, so small sizes are dense), merged with `extra` (e.g. V, V+C, V+C+G):
 * integers, sorted, unique. Always includes 1 and the footprint.
 */
export function defaultSizes(
  footprint: number,
  extra: readonly number[] = [],
  points: number = SIZES_DEFAULTS.points,
): number[] {
  const top = Math.max(1, Math.round(footprint));
  const out = new Set<number>([1, top]);
  const n = Math.min(points, top);
  if (n > 1) {
    const ratio = Math.log(top) / (n - 1);
    for (let i = 0; i < n; i++)
      out.add(Math.min(top, Math.max(1, Math.round(Math.exp(i * ratio)))));
    // Rounding merges the first log steps; fill the gap with the smallest integers so the list
    // still holds about `points` sizes.
    for (let s = 2; out.size < n && s < top; s++) out.add(s);
  }
  for (const e of extra) if (Number.isFinite(e) && e >= 0) out.add(Math.round(e));
  return [...out].sort((a, b) => a - b);
}
