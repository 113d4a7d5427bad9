/**
 * trace.inspect (format, first records, full statistics of a trace file or an embedded trace) and
 * trace.embed (store a small trace inside the project after checking that it parses). Both read
 * with the engine's streaming readers, so every format and compression the CLI reads works here
 * too, with the same options.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TracePreview } from '../../../shared/api/entities.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { TraceReadOptionsDto } from '../../../shared/api/trace-options.js';
import {
  opName as opNameOf,
  openTrace,
  TraceInputError,
  type RefChunk,
  type TraceSource,
} from '../../engine/trace/index.js';
import { withTraceFile } from '../trace-file.js';
import type { HandlerContext, Handlers } from './context.js';

/** How many records a preview shows. */
export const PREVIEW_RECORDS = 20;

/** The prefix of a trace stored inside the project: `embedded:ID`. */
export const EMBEDDED_PREFIX = 'embedded:';

type PreviewRecord = TracePreview['records'][number];

function opName(op: number): PreviewRecord['op'] {
  return opNameOf(op) as PreviewRecord['op'];
}

function takeRecords(
  into: PreviewRecord[],
  chunk: Pick<RefChunk, 'pages' | 'ops' | 'times'>,
  length: number,
  source: Pick<TraceSource, 'originalId'>,
): void {
  for (let i = 0; i < length && into.length < PREVIEW_RECORDS; i++) {
    into.push({
      page: chunk.pages[i],
      traceId: source.originalId(chunk.pages[i]),
      op: opName(chunk.ops[i]),
      time: chunk.times === null ? null : chunk.times[i],
    });
  }
}

/**
 * Trace errors worded for a form: the engine's messages speak to the command line ("give
 * --format") and name the file the reader opened (a temporary copy for an embedded trace).
 */
export function forForm(err: unknown, file?: { temp: string; name: string }): unknown {
  if (!(err instanceof Error) || err.name !== 'TraceInputError') return err;
  if (err instanceof TraceInputError) {
    // Rebuilt with its parts, so web mode can still leave out what was found (file contents).
    const reword = (t: string) => t.replace(/give --format: /g, 'choose a format: ');
    const name = file !== undefined ? err.file.split(file.temp).join(file.name) : err.file;
    return new TraceInputError(name, err.location, reword(err.expected), err.got);
  }
  let message = err.message.replace(/give --format: /g, 'choose a format: ');
  if (file !== undefined) message = message.split(file.temp).join(file.name);
  const out = new Error(message);
  out.name = err.name;
  return out;
}

/** Reads a whole trace file: its first records (with the trace's own ids) and its statistics. */
async function readPreview(
  file: string,
  shownPath: string,
  options: TraceReadOptionsDto,
): Promise<TracePreview> {
  const source = await openTrace(file, options);
  const records: PreviewRecord[] = [];
  for await (const chunk of source.chunks()) {
    if (records.length < PREVIEW_RECORDS) takeRecords(records, chunk, chunk.length, source);
  }
  return { path: shownPath, format: source.format, records, stats: { ...source.stats() } };
}

/** Reads a trace held as bytes (an embedded trace), any format and compression. */
export function readEmbeddedPreview(
  fileName: string,
  bytes: Uint8Array,
  options: TraceReadOptionsDto,
  shownPath: string,
): Promise<TracePreview> {
  return withTraceFile(fileName, bytes, async (file) => {
    try {
      return await readPreview(file, shownPath, options);
    } catch (err) {
      throw forForm(err, { temp: file, name: fileName });
    }
  });
}

/** `embedded:ID` → ID, or null for a file path. */
export function embeddedId(path: string): number | null {
  if (!path.startsWith(EMBEDDED_PREFIX)) return null;
  const text = path.slice(EMBEDDED_PREFIX.length);
  const id = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(id))
    throw new ApiError(
      'BAD_INPUT',
      `path: expected "embedded:ID" with a positive id, got "${path}"`,
    );
  return id;
}

/** A relative path is taken relative to the open project's folder (else the working folder). */
function resolveTracePath(path: string, ctx: HandlerContext): string {
  if (isAbsolute(path)) return path;
  const store = ctx.current();
  return store === null ? resolve(path) : resolve(dirname(store.path), path);
}

async function inspect(
  path: string,
  options: TraceReadOptionsDto,
  ctx: HandlerContext,
): Promise<TracePreview> {
  const id = embeddedId(path);
  if (id !== null) {
    const stored = ctx.store().traces.get(id);
    return readEmbeddedPreview(
      stored.fileName,
      stored.bytes,
      { ...stored.options, ...options },
      path,
    );
  }
  try {
    return await readPreview(resolveTracePath(path, ctx), path, options);
  } catch (err) {
    throw forForm(err);
  }
}

function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1)
    throw new ApiError('BAD_INPUT', 'contentBase64: expected base64 data');
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length === 0) throw new ApiError('BAD_INPUT', 'contentBase64: the trace is empty');
  return bytes;
}

export const traceHandlers: Handlers<'trace.inspect' | 'trace.embed'> = {
  'trace.inspect': ({ path, options }, ctx) => inspect(path, options, ctx),
  'trace.embed': async ({ fileName, contentBase64, options }, ctx) => {
    const store = ctx.store();
    store.assertWritable();
    const bytes = decodeBase64(contentBase64);
    // Read it all first: a bad trace is refused (naming the line) and nothing is stored.
    const preview = await readEmbeddedPreview(fileName, bytes, options, fileName);
    const id = store.traces.embed(fileName, bytes, options);
    const ref = `${EMBEDDED_PREFIX}${id}`;
    return { ref, preview: { ...preview, path: ref } };
  },
};
