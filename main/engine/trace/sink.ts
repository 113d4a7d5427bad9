/**
 * Where format parsers put what they read. The sink turns requests into references (splitting
 * byte ranges into pages), applies skip and limit, maps ids to dense page ids (one id map per
 * volume, one shared counter), fills chunks and keeps the statistics.
 */
import {
  ChunkBuilder,
  OP_DIRECT_BIT,
  OP_READ,
  OP_FULL_PAGE_BIT,
  OP_WRITE_BIT,
  type RefChunk,
} from './chunk.js';
import { TraceInputError } from './errors.js';
import { DistinctSet } from './distinct-set.js';
import { DenseIdMap } from './id-map.js';
import type { ResolvedOptions } from './options.js';
import type { TraceStats } from './types.js';
import {
  BYTES_PER_DISTINCT_PAGE,
  BYTES_PER_SORTED_REFERENCE,
  bytesText,
  MAX_TIME_SECONDS,
  secondsText,
} from './limits.js';
import { SortBuffer } from './sort-buffer.js';
import { hash64 } from '../util/hash.js';

/** SHARDS' hash modulus (must equal SHARDS_MODULUS of mrc/shards.ts) minus one. */
export const SHARDS_MASK = (1 << 24) - 1;

const TWO32 = 4294967296;

/** How many dense ids keep the trace's own id (for previews: the first records of a trace). */
export const ORIGINAL_IDS = 64;
/**
 * Keeps, in place and in order, the entries of [from, to) whose raw id hashes below `threshold`
 * (SHARDS' test: hash64 mod SHARDS_MODULUS < T); returns how many were kept.
 */
function sampleByRawId(
  his: Int32Array,
  los: Int32Array,
  times: Float64Array,
  from: number,
  to: number,
  threshold: number,
): number {
  let w = from;
  for (let r = from; r < to; r++) {
    const hi = his[r];
    const lo = los[r];
    if ((hash64(hi, lo) & SHARDS_MASK) >= threshold) continue;
    his[w] = hi;
    los[w] = lo;
    times[w] = times[r];
    w++;
  }
  return w - from;
}

export class RefSink {
  /** True once the limit is reached: parsers stop, readers stop reading. */
  done: boolean;
  /** Whether references carry times (set by the parser before the first reference). */
  timed = false;
  /** Whether requests are split into pages (set by the parser before the first reference). */
  split = false;

  private readonly pageSize: number;
  private readonly volumes = new Map<string, DenseIdMap>();
  private readonly shared: DenseIdMap | null;
  private builder: ChunkBuilder | null = null;
  private ready: RefChunk[] = [];
  private dense: Int32Array = new Int32Array(0);
  private toSkip: number;
  private remaining: number;
  private distinct = 0;
  private references = 0;
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private firstTime = NaN;
  private lastTime = NaN;
  /** Time of the previous accepted request (NaN before the first). */
  private prevTime = NaN;
  private badSkipped = 0;
  /** Bytes of the file read so far (set by the reader). */
  bytesRead = 0;
  /** The trace's own id (page number after splitting) of dense ids 0 .. ORIGINAL_IDS - 1. */
  private readonly originals: number[] = [];
  /**
   * SHARDS sampling by raw id (fused readers only; -1: off): a reference is kept only when
   * `hash64(hi, lo) mod SHARDS_MODULUS` is below this; the others are counted but never mapped
   * to dense ids. Chunks then carry {@link RefChunk.represents}; distinct pages counts the
   * sampled pages only.
   */
  sampleThreshold = -1;
  /**
   * Only the statistics are wanted (`hclab trace info`): references are counted and mapped (for
   * the distinct count) but no chunk is built or handed out.
   */
  countOnly = false;
  /** With countOnly: the distinct ids of each volume's map, counted without mapping them. */
  private readonly counters = new Map<DenseIdMap, DistinctSet>();
  /** With the sort option: the references kept until the end of the file, else null. */
  private sorting: SortBuffer | null;
  /** The id maps of the kept references (SortBuffer.volumes indexes this). */
  private readonly sortMaps: DenseIdMap[] = [];

  constructor(
    readonly file: string,
    readonly options: ResolvedOptions,
  ) {
    this.pageSize = options.pageSize;
    this.toSkip = options.skip;
    this.remaining = options.limit;
    this.done = options.limit === 0;
    this.shared = options.separateVolumes ? null : new DenseIdMap();
    this.sorting = options.sort && !this.done ? new SortBuffer() : null;
  }

  /** The id map of a volume (all volumes share one when volumes are not kept apart). */
  volume(key = ''): DenseIdMap {
    let map = this.volumes.get(key);
    if (map === undefined) {
      map = this.shared ?? new DenseIdMap();
      this.volumes.set(key, map);
    }
    return map;
  }

  /**
   * Checks a request's time (seconds) before the parser reports the request: null when it is
   * acceptable (and then remembered as the previous time), else what was expected instead. A time
   * must be finite, ≥ 0 and below 2^53 µs; it may not jump further than the limits from the
   * previous request's unless gaps are allowed (when sorting, jumps are checked once sorted).
   */
  timeProblem(time: number): string | null {
    if (!(time >= 0 && time < MAX_TIME_SECONDS)) {
      return `a time in seconds that is finite, ≥ 0 and below 2^53 µs (${MAX_TIME_SECONDS} s)`;
    }
    const prev = this.prevTime;
    if (prev === prev && !this.options.allowTimeGaps && this.sorting === null) {
      const o = this.options;
      if (time - prev > o.maxTimeGapSeconds) {
        return (
          `a time at most ${secondsText(o.maxTimeGapSeconds)} after the previous request's ` +
          `${prev} s (--allow-time-gaps accepts larger gaps)`
        );
      }
      if (prev - time > o.backwardToleranceSeconds) {
        return (
          `a time no more than ${o.backwardToleranceSeconds} s before the previous request's ` +
          `${prev} s (--sort reads the trace sorted by time; --allow-time-gaps accepts it as is)`
        );
      }
    }
    this.prevTime = time;
    return null;
  }

  /**
   * For a fused reader that checks times in its own loop: the previous accepted time (NaN before
   * the first) and the largest forward and backward jumps {@link timeProblem} accepts from it.
   * Times it reads must also be finite, ≥ 0 and below MAX_TIME_SECONDS (unsigned 32-bit seconds
   * always are). It reports what it accepted with {@link acceptedTimes}.
   */
  timeWindow(): { prev: number; forward: number; backward: number } {
    const o = this.options;
    const free = o.allowTimeGaps || this.sorting !== null;
    return {
      prev: this.prevTime,
      forward: free ? Infinity : o.maxTimeGapSeconds,
      backward: free ? Infinity : o.backwardToleranceSeconds,
    };
  }

  /** The last of the times a fused reader accepted by its own checks. */
  acceptedTimes(last: number): void {
    this.prevTime = last;
  }

  /** Null when a request of `size` bytes is within the limit, else what was expected. */
  sizeProblem(size: number): string | null {
    const max = this.options.maxRequestBytes;
    if (size <= max) return null;
    return `a request of at most ${bytesText(max)} (--max-request-bytes raises the limit)`;
  }

  /** A request for exactly one page, identified by the (hi, lo) halves of a 64-bit id. */
  access(map: DenseIdMap, hi: number, lo: number, op: number, time: number): void {
    this.requests++;
    this.ref(map, hi, lo, op, time);
  }

  /**
   * A request for `size` bytes at byte `offset` (both safe integers ≥ 0). When splitting, a
   * write through guest memory marks the pages it covers entirely as full-page writes (a miss
   * does not read them first); the partly covered first and last pages are read first.
   */
  range(map: DenseIdMap, offset: number, size: number, op: number, time: number): void {
    this.requests++;
    const ps = this.pageSize;
    const first = Math.floor(offset / ps);
    const end = offset + Math.max(size, 1);
    const last = this.split ? Math.floor((end - 1) / ps) : first;
    const marks = this.split && (op & OP_WRITE_BIT) !== 0 && (op & OP_DIRECT_BIT) === 0;
    for (let p = first; p <= last && !this.done; p++) {
      const full = marks && size > 0 && p * ps >= offset && (p + 1) * ps <= end;
      this.ref(
        map,
        p >= TWO32 ? Math.floor(p / TWO32) : 0,
        p >>> 0,
        full ? op | OP_FULL_PAGE_BIT : op,
        time,
      );
    }
  }

  /**
   * A request for block number (hi, lo) of `size` bytes: one page per block number, or, when
   * splitting, the pages of the byte range at block × sectorSize. Returns false (and reports
   * nothing) when the byte offset is too large to represent.
   */
  block(map: DenseIdMap, hi: number, lo: number, size: number, op: number, time: number): boolean {
    if (!this.split) {
      this.access(map, hi, lo, op, time);
      return true;
    }
    const offset = (hi * TWO32 + lo) * this.options.sectorSize;
    if (!Number.isSafeInteger(offset + size)) return false;
    this.range(map, offset, size, op, time);
    return true;
  }

  /**
   * Bulk form of {@link access} for timed read-only formats: one read request per id
   * (his[k], los[k]) at times[k], k in [0, count). Times were checked by the caller.
   */
  readManyTimed(
    map: DenseIdMap,
    his: Int32Array,
    los: Int32Array,
    times: Float64Array,
    count: number,
  ): void {
    if (this.sorting !== null) {
      this.requests += count;
      for (let i = 0; i < count; i++) this.keep(map, his[i], los[i], OP_READ, times[i]);
      return;
    }
    let k = 0;
    if (this.toSkip > 0) {
      k = Math.min(this.toSkip, count);
      this.toSkip -= k;
    }
    let end = Math.min(count, k + this.remaining);
    this.requests += end;
    if (end <= k) return;
    const n = end - k;
    if (this.references === 0) this.firstTime = times[k];
    this.lastTime = times[end - 1];
    this.reads += n;
    this.references += n;
    this.remaining -= n;
    if (this.remaining <= 0) this.done = true;
    if (this.sampleThreshold >= 0) {
      const kept = sampleByRawId(his, los, times, k, end, this.sampleThreshold);
      if (this.builder === null) this.builder = this.newBuilder();
      this.builder.represents += n;
      end = k + kept;
    }
    if (this.countOnly) {
      this.countDistinct(map, his, los, k, end);
      return;
    }
    this.mapReads(map, his, los, times, k, end);
  }

  /**
   * Whether a fused parser may sample by raw id itself and hand over only the sampled records
   * ({@link readSampledTimed}): sampling is on and no skip, limit or sort needs every record.
   */
  get samplesInParser(): boolean {
    return (
      this.sampleThreshold >= 0 &&
      this.toSkip === 0 &&
      this.remaining === Infinity &&
      this.sorting === null &&
      !this.countOnly
    );
  }

  /**
   * The fused sampling path (only while {@link samplesInParser}): `count` read requests were
   * read, the first at time `first` and the last at `last`; of them, the `kept` in
   * (his, los, times)[0, kept) are those whose raw id hashes below {@link sampleThreshold}.
   */
  readSampledTimed(
    map: DenseIdMap,
    his: Int32Array,
    los: Int32Array,
    times: Float64Array,
    kept: number,
    count: number,
    first: number,
    last: number,
  ): void {
    if (count === 0) return;
    this.requests += count;
    if (this.references === 0) this.firstTime = first;
    this.lastTime = last;
    this.reads += count;
    this.references += count;
    if (this.builder === null) this.builder = this.newBuilder();
    this.builder.represents += count;
    this.mapReads(map, his, los, times, 0, kept);
  }

  /** Maps the reads (his, los, times)[k, end) to dense ids and appends them to chunks. */
  private mapReads(
    map: DenseIdMap,
    his: Int32Array,
    los: Int32Array,
    times: Float64Array,
    k: number,
    end: number,
  ): void {
    if (this.dense.length < end) this.dense = new Int32Array(end);
    const dense = this.dense;
    const before = this.distinct;
    this.distinct = map.idsOf(his, los, k, end, dense, this.distinct);
    if (this.distinct > this.options.maxDistinctPages) this.tooManyPages();
    if (before < ORIGINAL_IDS) {
      for (let i = k; i < end && this.originals.length < ORIGINAL_IDS; i++)
        if (dense[i] === this.originals.length)
          this.originals.push((his[i] >>> 0) * TWO32 + (los[i] >>> 0));
    }
    while (k < end) {
      let b = this.builder;
      if (b === null) b = this.builder = this.newBuilder();
      k += b.pushReads(dense, k, end - k, times);
      if (b.full) this.ready.push(b.take());
    }
  }

  private newBuilder(): ChunkBuilder {
    const b = new ChunkBuilder(this.options.chunkRefs, this.timed);
    if (this.sampleThreshold >= 0) b.represents = 0;
    return b;
  }

  /**
   * Bulk form of {@link access} for untimed read-only formats: one read request per id
   * (his[k], los[k]), k in [0, count).
   */
  readMany(map: DenseIdMap, his: Int32Array, los: Int32Array, count: number): void {
    this.requests += count;
    if (this.sorting !== null) {
      for (let i = 0; i < count; i++) this.keep(map, his[i], los[i], OP_READ, 0);
      return;
    }
    let k = 0;
    if (this.toSkip > 0) {
      k = Math.min(this.toSkip, count);
      this.toSkip -= k;
    }
    const end = Math.min(count, k + this.remaining);
    const dense = this.dense.length < count ? (this.dense = new Int32Array(count)) : this.dense;
    if (this.countOnly) {
      this.countDistinct(map, his, los, k, end);
    } else {
      const before = this.distinct;
      this.distinct = map.idsOf(his, los, k, end, dense, this.distinct);
      if (before < ORIGINAL_IDS) {
        for (let i = k; i < end && this.originals.length < ORIGINAL_IDS; i++)
          if (dense[i] === this.originals.length)
            this.originals.push((his[i] >>> 0) * TWO32 + (los[i] >>> 0));
      }
      if (this.distinct > this.options.maxDistinctPages) this.tooManyPages();
    }
    const n = end - k;
    this.reads += n;
    this.references += n;
    this.remaining -= n;
    if (this.remaining <= 0) this.done = true;
    if (this.countOnly) return;
    while (k < end) {
      let b = this.builder;
      if (b === null) b = this.builder = new ChunkBuilder(this.options.chunkRefs, this.timed);
      k += b.pushReads(dense, k, end - k);
      if (b.full) this.ready.push(b.take());
    }
  }

  private ref(map: DenseIdMap, hi: number, lo: number, op: number, time: number): void {
    if (this.sorting !== null) {
      this.keep(map, hi, lo, op, time);
      return;
    }
    if (this.toSkip > 0) {
      this.toSkip--;
      return;
    }
    let b = this.builder;
    if (b === null) b = this.builder = new ChunkBuilder(this.options.chunkRefs, this.timed);
    const next = this.distinct;
    const page = this.countOnly
      ? this.counter(map).add(hi, lo)
        ? next
        : 0
      : map.idOf(hi, lo, next);
    if (page === next) {
      this.distinct = next + 1;
      if (next < ORIGINAL_IDS) this.originals[next] = (hi >>> 0) * TWO32 + (lo >>> 0);
      if (this.distinct > this.options.maxDistinctPages) this.tooManyPages();
    }
    b.push(page, op, time);
    if ((op & 1) === 0) this.reads++;
    else this.writes++;
    if (this.timed) {
      if (this.references === 0) this.firstTime = time;
      this.lastTime = time;
    }
    this.references++;
    if (b.full) {
      if (this.countOnly) b.clear();
      else this.ready.push(b.take());
    }
    if (--this.remaining <= 0) this.done = true;
  }

  /** Keeps a reference of a trace read with `sort` until the end of the file. */
  private keep(map: DenseIdMap, hi: number, lo: number, op: number, time: number): void {
    const buf = this.sorting as SortBuffer;
    if (!this.timed)
      throw new TraceInputError(
        this.file,
        'reference 1',
        'a trace with times (--sort orders the references by time)',
        `a ${this.options.format} trace without times`,
      );
    const max = this.options.maxSortReferences;
    if (buf.length >= max)
      throw new TraceInputError(
        this.file,
        `near reference ${buf.length + 1}`,
        `at most ${max} references to sort by time (the limit: ` +
          `${bytesText(max * BYTES_PER_SORTED_REFERENCE)} of memory at ` +
          `${BYTES_PER_SORTED_REFERENCE} bytes per reference; --max-sort-references raises it)`,
        'more (reading stopped before memory runs out)',
      );
    let v = this.sortMaps.length - 1;
    if (v < 0 || this.sortMaps[v] !== map) {
      v = this.sortMaps.indexOf(map);
      if (v < 0) v = this.sortMaps.push(map) - 1;
    }
    buf.push(v, hi, lo, op, time);
  }

  /**
   * End of a sorted read: the kept references in time order (stable), jumps forward checked on
   * that order, then delivered as if the file had been sorted (skip, limit, dense ids, stats).
   */
  private deliverSorted(buf: SortBuffer): void {
    this.sorting = null;
    const order = buf.order();
    const { his, los, ops, times, volumes } = buf;
    const maxGap = this.options.maxTimeGapSeconds;
    for (let i = 0; i < order.length && !this.done; i++) {
      const k = order[i];
      const time = times[k];
      if (i > 0 && !this.options.allowTimeGaps) {
        const prev = times[order[i - 1]];
        if (time - prev > maxGap)
          throw new TraceInputError(
            this.file,
            `reference ${i + 1} of the trace sorted by time`,
            `a time at most ${secondsText(maxGap)} after the previous reference's ${prev} s ` +
              `(--allow-time-gaps accepts larger gaps)`,
            `${time} s`,
          );
      }
      this.ref(this.sortMaps[volumes[k]], his[k], los[k], ops[k], time);
    }
  }

  private counter(map: DenseIdMap): DistinctSet {
    let set = this.counters.get(map);
    if (set === undefined) this.counters.set(map, (set = new DistinctSet()));
    return set;
  }

  /** countOnly's form of mapping ids [from, to): counts the new ones, maps none. */
  private countDistinct(
    map: DenseIdMap,
    his: Int32Array,
    los: Int32Array,
    from: number,
    to: number,
  ): void {
    const set = this.counter(map);
    const before = set.size;
    this.distinct += set.addMany(his, los, from, to) - before;
    if (this.distinct > this.options.maxDistinctPages) this.tooManyPages();
  }

  /** The trace's own id of a dense page id among the first {@link ORIGINAL_IDS}, else null. */
  originalId(page: number): number | null {
    return this.originals[page] ?? null;
  }

  private tooManyPages(): never {
    const max = this.options.maxDistinctPages;
    throw new TraceInputError(
      this.file,
      `near reference ${this.references + 1}`,
      `at most ${max} distinct pages (the limit: ${bytesText(max * BYTES_PER_DISTINCT_PAGE)} ` +
        `of memory at ${BYTES_PER_DISTINCT_PAGE} bytes per page; --max-distinct-pages raises it)`,
      'more (reading stopped before memory runs out)',
    );
  }

  /** A malformed line or record: throws, or with skipBad counts it. */
  bad(location: string, expected: string, got?: string): void {
    if (!this.options.skipBad) throw new TraceInputError(this.file, location, expected, got);
    this.badSkipped++;
  }

  /** Full chunks produced so far (the caller owns them). */
  takeReady(): RefChunk[] {
    const r = this.ready;
    if (r.length > 0) this.ready = [];
    return r;
  }

  /** End of input: hands out the last partial chunk; rejects a trace without references. */
  finish(contentBytes: number): void {
    if (contentBytes === 0)
      throw new TraceInputError(this.file, 'byte 0', 'a non-empty trace', 'an empty file');
    if (this.requests === 0 && this.options.limit !== 0) {
      const bad = this.badSkipped > 0 ? ` (${this.badSkipped} malformed skipped)` : '';
      throw new TraceInputError(this.file, 'end of file', 'at least one reference', `none${bad}`);
    }
    if (this.sorting !== null) this.deliverSorted(this.sorting);
    const last = this.builder;
    if (last !== null && !this.countOnly && (last.length > 0 || last.represents > 0))
      this.ready.push(last.take());
  }

  stats(): TraceStats {
    const timed = this.timed && this.references > 0;
    return {
      format: this.options.format,
      references: this.references,
      requests: this.requests,
      distinctPages: this.distinct,
      reads: this.reads,
      writes: this.writes,
      firstTime: timed ? this.firstTime : null,
      lastTime: timed ? this.lastTime : null,
      durationSeconds: timed ? Math.max(0, this.lastTime - this.firstTime) : null,
      footprintBytes: this.distinct * this.pageSize,
      pageSize: this.pageSize,
      split: this.split,
      volumes: Math.max(1, this.volumes.size),
      badSkipped: this.badSkipped,
      bytesRead: this.bytesRead,
      warmup: this.options.warmup,
    };
  }
}
