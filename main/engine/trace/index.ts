/** Streaming trace readers: public API. */
export type {
  CsvColumn,
  CsvColumns,
  CsvOptions,
  TraceFormat,
  TraceReadOptions,
  TraceSource,
  TraceStats,
} from './types.js';
export { TRACE_FORMATS, isTraceFormat } from './types.js';
export { TraceInputError } from './errors.js';
export { detectFormat } from './detect.js';
export { openTrace, readTraceToMemory, detectFileFormat } from './open.js';
export { parseTraceBuffer, type BufferReadOptions } from './buffer.js';
export { DenseIdMap } from './id-map.js';
export { DEFAULT_PAGE_SIZE, DEFAULT_SECTOR_SIZE } from './options.js';
export * from './chunk.js';
