/**
 * Public types of the trace readers: format names, read options and the statistics a reader
 * reports while and after it streams a trace.
 */

import type { RefChunk } from './chunk.js';
import type { RunControl } from '../control.js';

/** Trace formats, by the names used on the command line. */
export type TraceFormat = 'txt' | 'csv' | 'oracleGeneral' | 'vscsi' | 'msr' | 'lirs' | 'raw-u32';

export const TRACE_FORMATS: readonly TraceFormat[] = [
  'txt',
  'csv',
  'oracleGeneral',
  'vscsi',
  'msr',
  'lirs',
  'raw-u32',
];

export function isTraceFormat(name: string): name is TraceFormat {
  return (TRACE_FORMATS as readonly string[]).includes(name);
}

/** A CSV column: 1-based column number, or a name from the header line. */
export type CsvColumn = number | string;

/** Which CSV columns hold what. Give either `id` (a block/object number) or `offset` (bytes). */
export interface CsvColumns {
  /** Timestamp column; multiplied by {@link CsvOptions.timeScale} to get seconds. */
  time?: CsvColumn;
  /** Block or object number (with `split`, in units of {@link TraceReadOptions.sectorSize}). */
  id?: CsvColumn;
  /** Byte offset of the request. */
  offset?: CsvColumn;
  /** Request length in bytes (used when splitting). */
  size?: CsvColumn;
  /** Operation: r/w, read/write, 0/1 or a SCSI opcode in hex (28 = read, 2a = write). */
  op?: CsvColumn;
  /** Column(s) naming the volume/disk; each distinct value gets its own page-id space. */
  volume?: CsvColumn | CsvColumn[];
}

export interface CsvOptions {
  /**
   * Column assignment. When absent, columns are found by header names (id: lbn, lba, id, obj_id,
   * block, page, key…; offset; size/length; time/timestamp; op/type/rw/cmd; volume/disk/host…),
   * or a one-column file is read as ids.
   */
  columns?: CsvColumns;
  /** Field delimiter (one character). Default: detected from the first line (`,` `\t` `;` ` `). */
  delimiter?: string;
  /** Whether the first line is a header. Default: detected (a first line with no number in it). */
  header?: boolean;
  /** Factor from the time column's unit to seconds (default 1; 1e-6 for microseconds). */
  timeScale?: number;
}

export interface TraceReadOptions {
  /** Trace format; detected from the file name and contents when absent. */
  format?: TraceFormat;
  /** Page size in bytes (default 4096). */
  pageSize?: number;
  /**
   * Split each request into every page its byte range touches (one reference per page). Default:
   * on for msr, vscsi and csv with an offset column; off otherwise. Off: one reference per request.
   */
  split?: boolean;
  /**
   * Bytes per block number when splitting a block-addressed format (vscsi lbn, csv id column,
   * oracleGeneral id): default 512 (SCSI sectors).
   */
  sectorSize?: number;
  /** Keep volumes/disks apart in distinct page-id spaces (default true). */
  separateVolumes?: boolean;
  /** Skip the first N references (after splitting; skipped references get no page id). */
  skip?: number;
  /** Stop after this many references (after the skipped ones). Default: no limit. */
  limit?: number;
  /** References that warm the caches but are not counted; carried through to the stats. */
  warmup?: number;
  /** Skip malformed lines/records and count them instead of failing (default false). */
  skipBad?: boolean;
  /** Options for the `csv` format. */
  csv?: CsvOptions;
  /** References per chunk (default DEFAULT_CHUNK_REFS). */
  chunkRefs?: number;
  /**
   * Accept time jumps larger than {@link maxTimeGapSeconds} forward or
   * {@link backwardToleranceSeconds} backward between consecutive requests (default false).
   */
  allowTimeGaps?: boolean;
  /** Largest forward jump between consecutive requests' times (default one year). */
  maxTimeGapSeconds?: number;
  /** Largest backward jump between consecutive requests' times (default 1 s). */
  backwardToleranceSeconds?: number;
  /**
   * Read the whole trace, then deliver its references stably sorted by time (default false):
   * for traces whose times go backwards. Skip and limit apply to the sorted trace, jumps forward
   * are checked on it, and the trace must have times. Holds the trace in memory: at most
   * {@link maxSortReferences} references.
   */
  sort?: boolean;
  /** Most references a sorted trace may have (default: a quarter of memory at 64 bytes each). */
  maxSortReferences?: number;
  /** Largest single request in bytes (default 1 GiB); a larger one is a bad value. */
  maxRequestBytes?: number;
  /**
   * Most distinct pages (default: what half of the machine's memory holds, see README "Limits");
   * reading stops with an error naming the numbers before memory runs out.
   */
  maxDistinctPages?: number;
}

export interface TraceStats {
  format: TraceFormat;
  /** References delivered (after skip and limit). */
  references: number;
  /** Requests parsed (before splitting, skip and limit). */
  requests: number;
  distinctPages: number;
  reads: number;
  /** Writes, including fsync'd writes. */
  writes: number;
  /** Time in seconds of the first and last delivered reference; null for untimed traces. */
  firstTime: number | null;
  lastTime: number | null;
  durationSeconds: number | null;
  /** distinctPages × pageSize. */
  footprintBytes: number;
  pageSize: number;
  /** Whether requests were split into pages. */
  split: boolean;
  /** Number of distinct volumes/disks seen (1 for single-volume formats). */
  volumes: number;
  /** Malformed lines/records skipped (with skipBad). */
  badSkipped: number;
  /** Bytes read from the file (compressed bytes for .gz/.xz/.zst). */
  bytesRead: number;
  /** The warmup option, carried through for the engine. */
  warmup: number;
}

/** An opened trace, read once as a stream of chunks. */
export interface TraceSource {
  readonly format: TraceFormat;
  readonly path: string;
  /**
   * The references as chunks of typed arrays (single use). Reports progress as
   * (file bytes read, file size) and checks the abort signal between chunks.
   */
  chunks(control?: RunControl): AsyncGenerator<RefChunk>;
  /** Counts so far while iterating; final counts afterwards. */
  stats(): TraceStats;
  /**
   * The trace's own id (its block or page number; after splitting, the page number of the byte
   * offset) of one of the first dense page ids, for previews; null beyond them.
   */
  originalId(page: number): number | null;
  /**
   * SHARDS sampling by raw id inside the reader, where a fused path can do it (see
   * RefChunk.represents); returns whether it will. Call before {@link chunks}.
   */
  sampleByRawId?(threshold: number): boolean;
  /**
   * Only {@link stats} is wanted: {@link chunks} then yields nothing but reads the whole trace
   * (counts, distinct pages, times) without building chunks. Call before {@link chunks}.
   */
  countOnly?(): void;
}
