/**
 * Opening a trace file as a stream of decompressed bytes: plain, .gz (node zlib), .xz
 * (xz-decompress, WASM) or .zst (fzstd), all streamed. Counts the file bytes read for progress.
 */
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { TraceInputError, WHOLE_FILE } from './errors.js';
import { xzStream } from './xz.js';

export type Compression = 'gzip' | 'xz' | 'zstd';

/** Reads in flight ahead of the consumer. */
const READ_AHEAD = 1;
/**
 * Bytes per read (less for a smaller file). Large reads matter: each read costs a round trip
 * through libuv's thread pool and a promise; on a 2.4 GB oracleGeneral file, SHARDS took 1.28 s
 * with 256 KiB reads and 1.08 s with 4 MiB (medians of 4 alternating runs).
 */
const READ_BYTES = 4 << 20;
/** The smallest buffer a read uses (an empty or tiny file still gets a usable buffer). */
const MIN_READ_BYTES = 1 << 12;

const EXTENSIONS: [string, Compression][] = [
  ['.gz', 'gzip'],
  ['.xz', 'xz'],
  ['.zst', 'zstd'],
  ['.zstd', 'zstd'],
];

/** Compression named by a file's extension, or null. */
export function compressionOfName(name: string): Compression | null {
  const lower = name.toLowerCase();
  for (const [ext, c] of EXTENSIONS) if (lower.endsWith(ext)) return c;
  return null;
}

/** The name without a compression extension (`a.trace.gz` → `a.trace`). */
export function stripCompressionExt(name: string): string {
  const lower = name.toLowerCase();
  for (const [ext] of EXTENSIONS) if (lower.endsWith(ext)) return name.slice(0, -ext.length);
  return name;
}

/** Compression recognised by its magic bytes, or null. */
export function compressionOfMagic(b: Uint8Array): Compression | null {
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 8) return 'gzip';
  const xz = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
  if (b.length >= 6 && xz.every((v, i) => b[i] === v)) return 'xz';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) {
    return 'zstd';
  }
  return null;
}

/**
 * A file-system error on opening a trace: a missing file or a folder is an input error about the
 * whole file (exit 2, BAD_INPUT); a permission or device error (EACCES, EPERM, EIO…) is not the
 * trace's fault and stays the file-system error, carrying the path, which the CLI and the API
 * report as an I/O error naming the file (exit 1, IO_ERROR).
 */
export function unreadable(path: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (
    e instanceof Error &&
    typeof e.code === 'string' &&
    e.code !== 'ENOENT' &&
    e.code !== 'EISDIR'
  ) {
    if (typeof e.path !== 'string') e.path = path;
    return e;
  }
  const why =
    e.code === 'ENOENT'
      ? 'no such file'
      : e.code === 'EISDIR'
        ? 'a directory'
        : String(e.message ?? e);
  return new TraceInputError(path, WHOLE_FILE, 'a readable trace file', why);
}

/** The first bytes of a file (for magic numbers). */
export async function readMagic(path: string, length = 8): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await fh?.close();
  }
}

export interface ByteCounter {
  /** File bytes read so far. */
  bytes: number;
}

/**
 * The bytes of a file, read one buffer ahead: the next read runs on libuv's thread pool while the
 * consumer parses the current buffer. With `reuse`, two buffers take turns (no fresh memory to
 * fault in for each read); each yielded view is then valid only until the next is asked for.
 */
async function* fileBytes(
  path: string,
  counter: ByteCounter,
  reuse: boolean,
): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  let size: number;
  try {
    const st = await fh.stat();
    size = st.isFile() ? Math.max(MIN_READ_BYTES, Math.min(READ_BYTES, st.size)) : READ_BYTES;
  } catch (err) {
    await fh.close();
    throw err;
  }
  const spare: Buffer<ArrayBuffer>[] = reuse
    ? Array.from({ length: READ_AHEAD + 1 }, () => Buffer.allocUnsafe(size))
    : [];
  const buffer = (): Buffer<ArrayBuffer> => spare.pop() ?? Buffer.allocUnsafe(size);
  let position = 0;
  // Reads at explicit positions, so that several can be in flight at once.
  const readNext = async () => {
    const at = position;
    position += size;
    const buf = buffer();
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    return { at, bytesRead, buf };
  };
  let pending: ReturnType<typeof readNext>[] = [];
  for (let i = 0; i < READ_AHEAD; i++) pending.push(readNext());
  try {
    while (pending.length > 0) {
      const { at, bytesRead, buf } = await (pending.shift() as ReturnType<typeof readNext>);
      if (bytesRead === 0) return;
      counter.bytes += bytesRead;
      if (bytesRead < buf.length) {
        // A short read (the end of the file, or a file that grew or shrank): the reads ahead
        // started from assumed positions, so drop them and go on from where this one stopped.
        const stale = pending;
        pending = [];
        for (const r of stale) {
          const done = await r.catch(() => null);
          if (done !== null) spare.push(done.buf);
        }
        position = at + bytesRead;
      }
      pending.push(readNext());
      yield buf.subarray(0, bytesRead);
      if (reuse) spare.push(buf);
    }
  } finally {
    // Reads still in flight (the consumer stopped early) must end before the file is closed.
    await Promise.all(pending.map((p) => p.catch(() => undefined)));
    await fh.close();
  }
}

async function* gunzip(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const z = createGunzip({ chunkSize: 1 << 18 });
  pipeline(Readable.from(src), z, () => {});
  for await (const chunk of z) yield chunk as Buffer;
}

/**
 * A pull-driven web stream over an async iterable (for xz-decompress). Unlike Readable.toWeb, it
 * reads nothing ahead and stops the source cleanly when cancelled.
 */
function webStreamOf(src: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

function unxz(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  return xzStream(webStreamOf(src));
}

async function* unzstd(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  const d = new Decompress((chunk) => {
    if (chunk.length > 0) out.push(chunk);
  });
  const drain = () => {
    const ready = out;
    out = [];
    return ready;
  };
  for await (const buf of src) {
    d.push(buf);
    yield* drain();
  }
  d.push(new Uint8Array(0), true);
  yield* drain();
}

/**
 * The decompressed bytes of a file. File-system errors become "unreadable file" input errors,
 * corrupt compressed data an input error at the byte reached. Each yielded buffer is valid only
 * until the next one is requested (uncompressed files are read into one reused buffer): copy
 * what must be kept.
 */
export async function* decompressedBytes(
  path: string,
  compression: Compression | null,
  counter: ByteCounter,
): AsyncGenerator<Uint8Array> {
  const raw = fileBytes(path, counter, compression === null);
  const src =
    compression === 'gzip'
      ? gunzip(raw)
      : compression === 'xz'
        ? unxz(raw)
        : compression === 'zstd'
          ? unzstd(raw)
          : raw;
  try {
    yield* src;
  } catch (err) {
    if (err instanceof TraceInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E[A-Z]+$/.test(code) && code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      throw unreadable(path, err);
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new TraceInputError(path, `byte ${counter.bytes}`, `valid ${compression} data`, message);
  }
}
