/**
 * Decoration of page streams: read/write mix (writeFraction, fsyncRate), page offset, and
 * arrival times (constant rate or Poisson).
 */
import { OP_READ, OP_WRITE, OP_WRITE_FSYNC } from '../trace/chunk.js';
import type { Rng } from '../util/rng.js';
import type { PageSource, RefSource } from './source.js';

export interface OpModel {
  /** Share of references that are writes. */
  writeFraction: number;
  /** Share of writes that are OP_WRITE_FSYNC. */
  fsyncRate: number;
}

export const READ_ONLY: OpModel = { writeFraction: 0, fsyncRate: 0 };

/** Assigns an op to each reference: one uniform draw per reference (none when read-only). */
export class OpMix {
  private readonly fsyncBelow: number;

  constructor(
    readonly model: OpModel,
    private readonly rng: Rng,
  ) {
    this.fsyncBelow = model.writeFraction * model.fsyncRate;
  }

  apply(ops: Uint8Array, from: number, to: number): void {
    const wf = this.model.writeFraction;
    if (wf === 0) {
      ops.fill(OP_READ, from, to);
      return;
    }
    const fb = this.fsyncBelow;
    for (let i = from; i < to; i++) {
      const u = this.rng.next();
      ops[i] = u < fb ? OP_WRITE_FSYNC : u < wf ? OP_WRITE : OP_READ;
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
