/**
 * Decoration of page streams: read/write mix (writeFraction, fsyncRate), page offset, and
 * arrival times (constant rate or Poisson).
 */
import {
  OP_DIRECT_WRITE,
  OP_FULL_PAGE_BIT,
  OP_READ,
  OP_WRITE,
  OP_WRITE_FSYNC,
} from '../trace/chunk.js';
import type { Rng } from '../util/rng.js';
import type { PageSource, RefSource } from './source.js';

export interface OpModel {
  /** Share of references that are writes. */
  writeFraction: number;
  /** Share of writes (through guest memory) that are OP_WRITE_FSYNC. */
  fsyncRate: number;
  /** Share of writes that are direct I/O (OP_DIRECT_WRITE, bypassing guest memory). */
  directWriteFraction?: number;
  /** Writes through guest memory replace whole pages (OP_FULL_PAGE_BIT). */
  fullPageWrites?: boolean;
}

export const READ_ONLY: OpModel = { writeFraction: 0, fsyncRate: 0 };

/**
 * Assigns an op to each reference: one uniform draw u per reference (none when read-only).
 * With w = writeFraction, d = directWriteFraction, f = fsyncRate: u < w(1−d)f is an fsync'd
 * write, u < w(1−d) a write, u < w a direct write, otherwise a read (with d = 0, the same draws
 * as before direct writes existed).
 */
export class OpMix {
  private readonly fsyncBelow: number;
  private readonly writeBelow: number;
  private readonly full: number;

  constructor(
    readonly model: OpModel,
    private readonly rng: Rng,
  ) {
    const guestWrites = model.writeFraction * (1 - (model.directWriteFraction ?? 0));
    this.fsyncBelow = guestWrites * model.fsyncRate;
    this.writeBelow = guestWrites;
    this.full = model.fullPageWrites === true ? OP_FULL_PAGE_BIT : 0;
  }

  apply(ops: Uint8Array, from: number, to: number): void {
    const wf = this.model.writeFraction;
    if (wf === 0) {
      ops.fill(OP_READ, from, to);
      return;
    }
    const fb = this.fsyncBelow;
    const wb = this.writeBelow;
    const full = this.full;
    for (let i = from; i < to; i++) {
      const u = this.rng.next();
      ops[i] =
        u < fb
          ? OP_WRITE_FSYNC | full
          : u < wb
            ? OP_WRITE | full
            : u < wf
              ? OP_DIRECT_WRITE
              : OP_READ;
    }
  }
}

/** A page source with its offset and op mix: the leaf of every workload tree. */
export class LeafSource implements RefSource {
  constructor(
    private readonly src: PageSource,
    private readonly offset: number,
    private readonly mix: OpMix,
  ) {}

  get inRequest(): boolean {
    return this.src.inRequest;
  }

  next(pages: Int32Array, ops: Uint8Array, at: number, max: number): number {
    const n = this.src.next(pages, at, max);
    this.finish(pages, ops, at, at + n);
    return n;
  }

  fill(pages: Int32Array, ops: Uint8Array, from: number, to: number): void {
    const src = this.src;
    if (src.fill !== undefined) src.fill(pages, from, to);
    else for (let at = from; at < to;) at += src.next(pages, at, to - at);
    this.finish(pages, ops, from, to);
  }

  private finish(pages: Int32Array, ops: Uint8Array, from: number, to: number): void {
    const off = this.offset;
    if (off !== 0) for (let i = from; i < to; i++) pages[i] += off;
    this.mix.apply(ops, from, to);
  }
}

export type ArrivalMode = 'constant' | 'poisson';

/** Times of references in seconds: i / rate, or a Poisson process of the given rate from 0. */
export class ArrivalClock {
  private index = 0;
  private time = 0;

  constructor(
    private readonly rate: number,
    private readonly mode: ArrivalMode,
    private readonly rng: Rng,
  ) {}

  fill(times: Float64Array, from: number, to: number): void {
    if (this.mode === 'constant') {
      for (let i = from; i < to; i++) times[i] = this.index++ / this.rate;
      return;
    }
    for (let i = from; i < to; i++) {
      times[i] = this.time;
      this.time += this.rng.exponential(this.rate);
    }
  }
}
