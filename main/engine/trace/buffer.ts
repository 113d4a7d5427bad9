/** Parsing a trace held in memory (tests, embedded traces): synchronous, .gz and .zst too. */
import { gunzipSync } from 'node:zlib';
import { decompress as unzstd } from 'fzstd';
import { concatChunks, type InMemoryTrace } from './chunk.js';
import { compressionOfMagic } from './decompress.js';
import { detectFormat } from './detect.js';
import { TraceInputError, WHOLE_FILE } from './errors.js';
import { createParser } from './formats/index.js';
import { resolveOptions } from './options.js';
import { RefSink } from './sink.js';
import type { TraceReadOptions, TraceStats } from './types.js';

export interface BufferReadOptions extends TraceReadOptions {
  /** Name used for format detection by extension and in error messages (default `buffer`). */
  name?: string;
}

function decompressed(name: string, data: Uint8Array): Uint8Array {
  const compression = compressionOfMagic(data);
  try {
    if (compression === 'gzip') return gunzipSync(data);
    if (compression === 'zstd') return unzstd(data);
  } catch (err) {
    throw new TraceInputError(
      name,
      'byte 0',
      `valid ${compression} data`,
      String((err as Error).message),
    );
  }
  if (compression === 'xz') {
    throw new TraceInputError(
      name,
      WHOLE_FILE,
      'gzip, zstd or plain data (use openTrace for .xz)',
      'xz data',
    );
  }
  return data;
}

/** Parses a whole trace from bytes in memory. */
export function parseTraceBuffer(
  data: Uint8Array,
  options: BufferReadOptions = {},
): { trace: InMemoryTrace; stats: TraceStats } {
  const name = options.name ?? 'buffer';
  const bytes = decompressed(name, data);
  const format =
    options.format ?? detectFormat(name, bytes.subarray(0, 1 << 16), bytes.length <= 1 << 16);
  const resolved = resolveOptions(format, options);
  const sink = new RefSink(name, resolved);
  const parser = createParser(format, sink, resolved);
  parser.push(bytes);
  if (!sink.done) parser.end();
  sink.bytesRead = data.length;
  sink.finish(bytes.length);
  const trace = concatChunks(sink.takeReady());
  const stats = sink.stats();
  trace.distinct = stats.distinctPages;
  return { trace, stats };
}
