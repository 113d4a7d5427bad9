/** The trace-reading options every trace-reading subcommand accepts, and their parsing. */
import type { Command } from 'commander';
import {
  TRACE_FORMATS,
  isTraceFormat,
  type CsvColumns,
  type TraceReadOptions,
} from '../engine/trace/index.js';
import { UsageError } from './errors.js';
import { parseCount, parsePositiveCount } from './numbers.js';

export interface TraceCliOptions {
  format?: string;
  split?: boolean;
  pageSize?: string;
  mergeVolumes?: boolean;
  skip?: string;
  limit?: string;
  warmup?: string;
  skipBad?: boolean;
  csvColumns?: string;
  allowTimeGaps?: boolean;
  maxRequestBytes?: string;
  maxDistinctPages?: string;
  sort?: boolean;
  maxSortReferences?: string;
}

export function addTraceOptions(cmd: Command): Command {
  return cmd
    .option(
      '--format <format>',
      `trace format: ${TRACE_FORMATS.join(', ')} (detected when certain)`,
    )
    .option('--split', 'split byte ranges into pages (default for block formats)')
    .option('--no-split', 'take each id as one page')
    .option('--page-size <bytes>', 'page size in bytes', '4096')
    .option('--merge-volumes', 'put all volumes/disks in one page-id space')
    .option('--skip <n>', 'skip the first N references')
    .option('--limit <n>', 'stop after N references')
    .option('--warmup <n>', 'references that warm the caches but are not counted')
    .option('--skip-bad', 'skip malformed lines/records and report how many')
    .option(
      '--csv-columns <spec>',
      'csv columns, e.g. time=2,id=5,size=4,op=3 (numbers or header names)',
    )
    .option(
      '--allow-time-gaps',
      'accept time jumps of more than one year forward or 1 s backward between requests',
    )
    .option(
      '--sort',
      'read the whole trace, then use its references stably sorted by time (times that go backwards)',
    )
    .option(
      '--max-sort-references <n>',
      'most references --sort holds in memory (default: what a quarter of this machine’s memory holds)',
    )
    .option('--max-request-bytes <n>', 'largest single request when splitting (default 1 GiB)')
    .option(
      '--max-distinct-pages <n>',
      'most distinct pages (default: what half of this machine’s memory holds)',
    );
}

export function traceReadOptions(o: TraceCliOptions): TraceReadOptions {
  const opts: TraceReadOptions = {};
  if (o.format !== undefined) {
    if (!isTraceFormat(o.format))
      throw new UsageError(
        `--format: unknown format '${o.format}', expected one of ${TRACE_FORMATS.join(', ')}`,
      );
    opts.format = o.format;
  }
  if (o.split !== undefined) opts.split = o.split;
  if (o.pageSize !== undefined) {
    const ps = parseCount('--page-size', o.pageSize);
    if (ps < 512 || (ps & (ps - 1)) !== 0)
      throw new UsageError(
        `--page-size: expected a power of two of at least 512, got ${o.pageSize}`,
      );
    opts.pageSize = ps;
  }
  if (o.mergeVolumes) opts.separateVolumes = false;
  if (o.skip !== undefined) opts.skip = parseCount('--skip', o.skip);
  if (o.limit !== undefined) opts.limit = parseCount('--limit', o.limit);
  if (o.warmup !== undefined) opts.warmup = parseCount('--warmup', o.warmup);
  if (o.skipBad) opts.skipBad = true;
  if (o.csvColumns !== undefined) opts.csv = { columns: parseCsvColumns(o.csvColumns) };
  if (o.allowTimeGaps) opts.allowTimeGaps = true;
  if (o.maxRequestBytes !== undefined)
    opts.maxRequestBytes = parsePositiveCount('--max-request-bytes', o.maxRequestBytes);
  if (o.maxDistinctPages !== undefined)
    opts.maxDistinctPages = parsePositiveCount('--max-distinct-pages', o.maxDistinctPages);
  if (o.sort) opts.sort = true;
  if (o.maxSortReferences !== undefined)
    opts.maxSortReferences = parsePositiveCount('--max-sort-references', o.maxSortReferences);
  return opts;
}

const COLUMN_KEYS = ['time', 'id', 'offset', 'size', 'op', 'volume'] as const;

function parseCsvColumns(spec: string): CsvColumns {
  const cols: CsvColumns = {};
  for (const part of spec.split(',')) {
    const [key, value] = part.split('=');
    if (!(COLUMN_KEYS as readonly string[]).includes(key) || value === undefined || value === '')
      throw new UsageError(
        `--csv-columns: expected KEY=COLUMN with KEY one of ${COLUMN_KEYS.join(', ')}, got '${part}'`,
      );
    const col = /^\d+$/.test(value) ? Number(value) : value;
    (cols as Record<string, number | string>)[key] = col;
  }
  return cols;
}
