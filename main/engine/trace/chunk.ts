/**
 * The unit of data that flows from trace readers and workload generators into the engine:
 * a chunk of references held in typed arrays, with dense integer page ids.
 */

/**
 * Operation codes stored in {@link RefChunk.ops}: a read, or a write with flag bits.
 * - OP_WRITE: a partial-page write through guest memory (a miss reads the page first).
 * - OP_FSYNC_BIT: followed by fsync (the guest waits until it is durable).
 * - OP_FULL_PAGE_BIT: the write replaces the whole page (a miss does not read it first).
 * - OP_DIRECT_BIT: direct I/O, a write that bypasses guest memory: it goes to disk, invalidates a
 *   copy in the hypervisor cache and updates the guest's copy if resident. It is not a reference
 *   of guest memory (MRC recorders skip it: see {@link guestReferences}).
 */
export const OP_READ = 0;
export const OP_WRITE = 1;
/** Bit set on every write-like op. */
export const OP_WRITE_BIT = 1;
export const OP_FSYNC_BIT = 2;
export const OP_FULL_PAGE_BIT = 4;
export const OP_DIRECT_BIT = 8;
/** A write followed by fsync: the guest waits until it is durable (write-through for that page). */
export const OP_WRITE_FSYNC = OP_WRITE | OP_FSYNC_BIT;
/** A write that replaces the whole page. */
export const OP_WRITE_FULL = OP_WRITE | OP_FULL_PAGE_BIT;
export const OP_WRITE_FSYNC_FULL = OP_WRITE_FSYNC | OP_FULL_PAGE_BIT;
/** A direct-I/O write (bypasses guest memory). */
export const OP_DIRECT_WRITE = OP_WRITE | OP_DIRECT_BIT;

export function isWrite(op: number): boolean {
  return (op & OP_WRITE_BIT) !== 0;
}

export function isFsync(op: number): boolean {
  return (op & OP_FSYNC_BIT) !== 0;
}

export function isFullPage(op: number): boolean {
  return (op & OP_FULL_PAGE_BIT) !== 0;
}

export function isDirect(op: number): boolean {
  return (op & OP_DIRECT_BIT) !== 0;
}

/** A short name of an op, for displays: read, write, write+fsync, full-page…, direct-write. */
export function opName(op: number): string {
  if (isDirect(op)) return 'direct-write';
  if (!isWrite(op)) return 'read';
  return `${isFullPage(op) ? 'full-page-write' : 'write'}${isFsync(op) ? '+fsync' : ''}`;
}

export interface RefChunk {
  /** Number of valid references in the arrays (the arrays may be longer). */
  length: number;
  /** Dense page ids, 0..distinct-1, assigned in order of first appearance. */
  pages: Int32Array;
  /** OP_READ or a write op with its flag bits, per reference. */
  ops: Uint8Array;
  /** Seconds of VM execution time per reference, or null for an untimed trace. */
  times: Float64Array | null;
  /**
   * Set only by a reader that samples by raw id for SHARDS (see RefSink.sampleThreshold): the
   * chunk holds only the sampled references of this many references of the stream.
   */
  represents?: number;
  /**
   * Set by producers that reuse their arrays: hands them back for a later chunk. Call it (through
   * {@link releaseChunk}) only when nothing will read this chunk again.
   */
  release?: () => void;
}

/**
 * Tells the chunk's producer that its arrays may be reused (a no-op for chunks that are not
 * recycled). A consumer that keeps no reference to a chunk calls this when done with it, which
 * saves the producer allocating (and the OS zeroing) a fresh chunk.
 */
export function releaseChunk(chunk: RefChunk): void {
  const release = chunk.release;
  if (release !== undefined) {
    chunk.release = undefined;
    release();
  }
}

/** Arrays of released chunks kept for reuse by one builder. */
const SPARE_CHUNKS = 4;

interface ChunkArrays {
  pages: Int32Array;
  ops: Uint8Array;
  times: Float64Array | null;
}

/** Default number of references per chunk. */
export const DEFAULT_CHUNK_REFS = 1 << 16;

/** Appends references and hands out full chunks; used by readers and generators. */
export class ChunkBuilder {
  private pages: Int32Array;
  private ops: Uint8Array;
  private times: Float64Array | null;
  length = 0;
  /** References of the stream the current chunk stands for, when sampling (else -1). */
  represents = -1;
  private readonly spare: ChunkArrays[] = [];

  constructor(
    readonly capacity: number = DEFAULT_CHUNK_REFS,
    readonly timed: boolean = false,
  ) {
    this.pages = new Int32Array(capacity);
    this.ops = new Uint8Array(capacity);
    this.times = timed ? new Float64Array(capacity) : null;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  push(page: number, op: number, time = 0): void {
    const i = this.length++;
    this.pages[i] = page;
    this.ops[i] = op;
    if (this.times !== null) this.times[i] = time;
  }

  /**
   * Appends reads of pages[from .. from + count) (at times[from ..], or time 0) as far as they
   * fit; returns how many were appended. The bulk path of read-only trace readers.
   */
  pushReads(pages: Int32Array, from: number, count: number, times?: Float64Array): number {
    const n = Math.min(count, this.capacity - this.length);
    const at = this.length;
    this.pages.set(pages.subarray(from, from + n), at);
    this.ops.fill(OP_READ, at, at + n);
    if (this.times !== null) {
      if (times === undefined) this.times.fill(0, at, at + n);
      else this.times.set(times.subarray(from, from + n), at);
    }
    this.length = at + n;
    return n;
  }

  /** Drops what was appended (the arrays are reused). */
  clear(): void {
    this.length = 0;
    if (this.represents > 0) this.represents = 0;
  }

  /**
   * Returns the filled chunk and starts a fresh one, on the arrays of a released chunk when there
   * is one (every slot below `length` is written before a chunk is handed out, so stale contents
   * never show).
   */
  take(): RefChunk {
    const arrays: ChunkArrays = { pages: this.pages, ops: this.ops, times: this.times };
    const chunk: RefChunk = {
      length: this.length,
      pages: this.pages,
      ops: this.ops,
      times: this.times,
      release: () => {
        if (this.spare.length < SPARE_CHUNKS && arrays.pages.buffer.byteLength > 0)
          this.spare.push(arrays);
      },
    };
    if (this.represents >= 0) {
      chunk.represents = this.represents;
      this.represents = 0;
    }
    const reused = this.spare.pop();
    if (reused !== undefined) {
      this.pages = reused.pages;
      this.ops = reused.ops;
      this.times = reused.times;
    } else {
      this.pages = new Int32Array(this.capacity);
      this.ops = new Uint8Array(this.capacity);
      this.times = this.timed ? new Float64Array(this.capacity) : null;
    }
    this.length = 0;
    return chunk;
  }
}

/** A whole trace held in memory (for OPT, tests and benchmarks). */
export interface InMemoryTrace {
  pages: Int32Array;
  ops: Uint8Array;
  times: Float64Array | null;
  /** Number of distinct pages (page ids are 0..distinct-1). */
  distinct: number;
}

/** Concatenates chunks into one in-memory trace. */
export function concatChunks(chunks: readonly RefChunk[]): InMemoryTrace {
  let total = 0;
  let timed = chunks.length > 0;
  for (const c of chunks) {
    total += c.length;
    if (c.times === null) timed = false;
  }
  const pages = new Int32Array(total);
  const ops = new Uint8Array(total);
  const times = timed ? new Float64Array(total) : null;
  let at = 0;
  let distinct = 0;
  for (const c of chunks) {
    pages.set(c.pages.subarray(0, c.length), at);
    ops.set(c.ops.subarray(0, c.length), at);
    if (times !== null && c.times !== null) times.set(c.times.subarray(0, c.length), at);
    for (let i = 0; i < c.length; i++) if (c.pages[i] >= distinct) distinct = c.pages[i] + 1;
    at += c.length;
  }
  return { pages, ops, times, distinct };
}

/** Views an in-memory trace as chunks (no copying). */
export function* chunksOf(
  trace: Pick<InMemoryTrace, 'pages' | 'ops' | 'times'>,
  chunkRefs = DEFAULT_CHUNK_REFS,
): Generator<RefChunk> {
  const n = trace.pages.length;
  for (let start = 0; start < n; start += chunkRefs) {
    const end = Math.min(n, start + chunkRefs);
    yield {
      length: end - start,
      pages: trace.pages.subarray(start, end),
      ops: trace.ops.subarray(start, end),
      times: trace.times === null ? null : trace.times.subarray(start, end),
    };
  }
}

/** An in-memory trace of reads only, from plain page ids (tests, examples). */
export function traceFromPages(pages: ArrayLike<number>): InMemoryTrace {
  const p = Int32Array.from(pages);
  let distinct = 0;
  for (let i = 0; i < p.length; i++) if (p[i] >= distinct) distinct = p[i] + 1;
  return { pages: p, ops: new Uint8Array(p.length), times: null, distinct };
}

/**
 * The chunk without its direct-I/O writes: the references of guest memory, which the MRC
 * recorders (exact, ESX, SHARDS) see. The chunk itself when it has none (the usual case).
 */
export function guestReferences(chunk: RefChunk): RefChunk {
  const { ops, length } = chunk;
  let direct = 0;
  for (let i = 0; i < length; i++) if ((ops[i] & OP_DIRECT_BIT) !== 0) direct++;
  if (direct === 0) return chunk;
  const n = length - direct;
  const pages = new Int32Array(n);
  const out = new Uint8Array(n);
  const times = chunk.times === null ? null : new Float64Array(n);
  let j = 0;
  for (let i = 0; i < length; i++) {
    if ((ops[i] & OP_DIRECT_BIT) !== 0) continue;
    pages[j] = chunk.pages[i];
    out[j] = ops[i];
    if (times !== null) times[j] = (chunk.times as Float64Array)[i];
    j++;
  }
  return { length: n, pages, ops: out, times };
}
