/**
 * Limits of trace reading (documented in README "Limits"): the largest time, the largest time
 * jump between consecutive requests, the largest single request and the most distinct pages.
 * Each has an option to raise it.
 */

/** Largest time accepted: 2^53 µs, in seconds (about 285 years). */
export const MAX_TIME_SECONDS = 2 ** 53 / 1e6;

/** Default largest forward jump between consecutive requests' times: one year. */
export const DEFAULT_MAX_TIME_GAP_SECONDS = 365 * 24 * 3600;

/** Default largest backward jump between consecutive requests' times (reordered I/O). */
export const DEFAULT_BACKWARD_TOLERANCE_SECONDS = 1;

/** Default largest single request: 1 GiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 2 ** 30;

/**
 * Bytes of memory one distinct page costs at most while reading and simulating (id map slot,
 * stack-distance tree, policy and cache entries, with headroom).
 */
export const BYTES_PER_DISTINCT_PAGE = 128;

/**
 * Bytes of memory one reference costs at most while a trace is sorted by time (--sort): its raw
 * id, op, time and volume kept until the end of the file (21 bytes, up to twice that while the
 * arrays grow by doubling), the sort's index (4) and the chunk it becomes (13). Measured: 5 M
 * oracleGeneral references took 235 MB more with --sort than without (47 bytes each).
 */
export const BYTES_PER_SORTED_REFERENCE = 64;

/** Hard ceiling on the references of one sorted trace (the sort indexes them with Uint32). */
export const MAX_SORT_REFERENCES = 2 ** 32 - 1;

/**
 * Default most references of a trace read with --sort: a quarter of `memoryBytes` (the machine's
 * memory, given by the caller) at {@link BYTES_PER_SORTED_REFERENCE} each.
 */
export function defaultMaxSortReferences(memoryBytes: number): number {
  if (!(memoryBytes > 0)) return MAX_SORT_REFERENCES;
  return Math.max(
    1,
    Math.min(MAX_SORT_REFERENCES, Math.floor(memoryBytes / 4 / BYTES_PER_SORTED_REFERENCE)),
  );
}

/** Page ids are Int32: the hard ceiling on distinct pages. */
export const MAX_PAGE_IDS = 2 ** 31 - 2;

/**
 * Default most distinct pages of one trace: half of `memoryBytes` (the machine's memory, given by
 * the caller) at {@link BYTES_PER_DISTINCT_PAGE} each, never above {@link MAX_PAGE_IDS}.
 */
export function defaultMaxDistinctPages(memoryBytes: number): number {
  if (!(memoryBytes > 0)) return MAX_PAGE_IDS;
  return Math.max(1, Math.min(MAX_PAGE_IDS, Math.floor(memoryBytes / 2 / BYTES_PER_DISTINCT_PAGE)));
}

/** Seconds as a short human reading ("1 year", "3600 s"). */
export function secondsText(s: number): string {
  if (s === DEFAULT_MAX_TIME_GAP_SECONDS) return 'one year';
  return `${s} s`;
}

/** Bytes as a short human reading (GiB/MiB/KiB or bytes). */
export function bytesText(n: number): string {
  const units: [number, string][] = [
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} bytes`;
}
