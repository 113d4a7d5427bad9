/** Opening trace files: checks, compression and format detection, whole-trace reading. */
import { stat } from 'node:fs/promises';
import { concatChunks, type InMemoryTrace, type RefChunk } from './chunk.js';
import type { RunControl } from '../control.js';
import {
  compressionOfMagic,
  compressionOfName,
  decompressedBytes,
  readMagic,
  unreadable,
  type Compression,
} from './decompress.js';
import { DETECT_BYTES, detectFormat } from './detect.js';
import { TraceInputError, WHOLE_FILE } from './errors.js';
import { resolveOptions } from './options.js';
import { FileTraceSource } from './source.js';
import {
  isTraceFormat,
  TRACE_FORMATS,
  type TraceFormat,
  type TraceReadOptions,
  type TraceSource,
  type TraceStats,
} from './types.js';

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    return s.size;
  } catch (err) {
    throw unreadable(path, err);
  }
}

async function compressionOf(path: string): Promise<Compression | null> {
  return compressionOfName(path) ?? compressionOfMagic(await readMagic(path));
}

/** The first DETECT_BYTES of decompressed content, and whether that is all of it. */
async function readHead(
  path: string,
  compression: Compression | null,
): Promise<{ head: Uint8Array; whole: boolean }> {
  const parts: Uint8Array[] = [];
  let length = 0;
  let whole = true;
  for await (const buf of decompressedBytes(path, compression, { bytes: 0 })) {
    parts.push(Buffer.from(buf)); // a copy: the reader reuses its buffer
    length += buf.length;
    if (length >= DETECT_BYTES) {
      whole = false;
      break;
    }
  }
  const head = Buffer.concat(parts).subarray(0, DETECT_BYTES);
  return { head, whole: whole && head.length === length };
}

/** The format of a trace file, from its name and (when needed) its first bytes. */
export async function detectFileFormat(path: string): Promise<TraceFormat> {
  await fileSize(path);
  const { head, whole } = await readHead(path, await compressionOf(path));
  return detectFormat(path, head, whole);
}

function checkFormat(path: string, format: string): TraceFormat {
  if (isTraceFormat(format)) return format;
  throw new TraceInputError(
    path,
    WHOLE_FILE,
    `a format among ${TRACE_FORMATS.join(', ')}`,
    `'${format}'`,
  );
}

/** Opens a trace file for streaming (.gz/.xz/.zst decompressed on the fly). */
export async function openTrace(
  path: string,
  options: TraceReadOptions = {},
): Promise<TraceSource> {
  const size = await fileSize(path);
  const compression = await compressionOf(path);
  let format: TraceFormat;
  if (options.format !== undefined) {
    format = checkFormat(path, options.format);
  } else {
    const { head, whole } = await readHead(path, compression);
    format = detectFormat(path, head, whole);
  }
  return new FileTraceSource(path, format, compression, size, resolveOptions(format, options));
}

/** Reads a whole trace file into memory. */
export async function readTraceToMemory(
  path: string,
  options: TraceReadOptions = {},
  control?: RunControl,
): Promise<{ trace: InMemoryTrace; stats: TraceStats }> {
  const source = await openTrace(path, options);
  const chunks: RefChunk[] = [];
  for await (const chunk of source.chunks(control)) chunks.push(chunk);
  const trace = concatChunks(chunks);
  const stats = source.stats();
  trace.distinct = stats.distinctPages;
  return { trace, stats };
}
