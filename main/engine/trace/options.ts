/** Defaults and validation of {@link TraceReadOptions}. */
import { totalmem } from 'node:os';
import { DEFAULT_CHUNK_REFS } from './chunk.js';
import {
  DEFAULT_BACKWARD_TOLERANCE_SECONDS,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_TIME_GAP_SECONDS,
  defaultMaxDistinctPages,
  defaultMaxSortReferences,
  MAX_PAGE_IDS,
  MAX_SORT_REFERENCES,
} from './limits.js';
import type { CsvOptions, TraceFormat, TraceReadOptions } from './types.js';

export const DEFAULT_PAGE_SIZE = 4096;
export const DEFAULT_SECTOR_SIZE = 512;

export interface ResolvedOptions {
  format: TraceFormat;
  pageSize: number;
  /** Explicit choice, or undefined for the format's default. */
  split: boolean | undefined;
  sectorSize: number;
  separateVolumes: boolean;
  skip: number;
  limit: number;
  warmup: number;
  skipBad: boolean;
  csv: CsvOptions;
  chunkRefs: number;
  allowTimeGaps: boolean;
  maxTimeGapSeconds: number;
  backwardToleranceSeconds: number;
  maxRequestBytes: number;
  maxDistinctPages: number;
  sort: boolean;
  maxSortReferences: number;
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(
      `trace option ${name} must be a finite number of seconds ≥ 0, got ${value}`,
    );
  }
  return value;
}

function count(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`trace option ${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

export function resolveOptions(format: TraceFormat, o: TraceReadOptions = {}): ResolvedOptions {
  const limit =
    o.limit === undefined || o.limit === Infinity ? Infinity : count('limit', o.limit, 0);
  const timeScale = o.csv?.timeScale;
  if (timeScale !== undefined && !(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new RangeError(`trace option csv.timeScale must be a positive number, got ${timeScale}`);
  }
  const delimiter = o.csv?.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw new RangeError(`trace option csv.delimiter must be one character, got '${delimiter}'`);
  }
  return {
    format,
    pageSize: count('pageSize', o.pageSize, DEFAULT_PAGE_SIZE, 1),
    split: o.split,
    sectorSize: count('sectorSize', o.sectorSize, DEFAULT_SECTOR_SIZE, 1),
    separateVolumes: o.separateVolumes ?? true,
    skip: count('skip', o.skip, 0),
    limit,
    warmup: count('warmup', o.warmup, 0),
    skipBad: o.skipBad ?? false,
    csv: o.csv ?? {},
    chunkRefs: count('chunkRefs', o.chunkRefs, DEFAULT_CHUNK_REFS, 1),
    allowTimeGaps: o.allowTimeGaps ?? false,
    maxTimeGapSeconds: seconds(
      'maxTimeGapSeconds',
      o.maxTimeGapSeconds,
      DEFAULT_MAX_TIME_GAP_SECONDS,
    ),
    backwardToleranceSeconds: seconds(
      'backwardToleranceSeconds',
      o.backwardToleranceSeconds,
      DEFAULT_BACKWARD_TOLERANCE_SECONDS,
    ),
    maxRequestBytes: count('maxRequestBytes', o.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES, 1),
    maxDistinctPages: Math.min(
      MAX_PAGE_IDS,
      count('maxDistinctPages', o.maxDistinctPages, defaultMaxDistinctPages(totalmem()), 1),
    ),
    sort: o.sort ?? false,
    maxSortReferences: Math.min(
      MAX_SORT_REFERENCES,
      count('maxSortReferences', o.maxSortReferences, defaultMaxSortReferences(totalmem()), 1),
    ),
  };
}
