/**
 * The small interfaces behind every workload generator. A source writes references into typed
 * arrays a request at a time (one reference, or a run of sequential pages), so mixtures can
 * choose per request and a request cut by a chunk boundary continues in the next chunk: the
 * stream does not depend on the chunk size.
 */
import { hash32 } from '../util/hash.js';
import { Rng } from '../util/rng.js';

/** Produces page ids only (ids 0..footprint-1; the offset is added by the caller). */
export interface PageSource {
  /**
   * Writes the next request (or its continuation) to out[at..at+n), 1 ≤ n ≤ max, returns n.
   * A request longer than `max` goes on at the next call.
   */
  next(out: Int32Array, at: number, max: number): number;
  /** Optional fast path: exactly out[from..to), same stream as repeated next(). */
  fill?(out: Int32Array, from: number, to: number): void;
  /** True when the last next() stopped inside a request. */
  readonly inRequest: boolean;
}

/** Produces page ids and ops. */
export interface RefSource {
  /** As {@link PageSource.next}, writing ops too. */
  next(pages: Int32Array, ops: Uint8Array, at: number, max: number): number;
  /** Writes exactly pages/ops[from..to). */
  fill(pages: Int32Array, ops: Uint8Array, from: number, to: number): void;
  readonly inRequest: boolean;
}

/** Seed for a labelled part of a workload, so parts get unrelated random streams. */
export function deriveSeed(seed: number, label: string): number {
  let h = hash32(seed ^ 0x5bd1e995);
  for (let i = 0; i < label.length; i++) h = hash32(h ^ Math.imul(label.charCodeAt(i), 0x9e3779b1));
  return h;
}

/** Seeded random stream for a labelled part of a workload. */
export function rngFor(seed: number, label: string): Rng {
  return new Rng(deriveSeed(seed, label));
}

/** Fills [from, to) by repeated next() calls. */
export function fillByRequests(
  src: RefSource,
  pages: Int32Array,
  ops: Uint8Array,
  from: number,
  to: number,
): void {
  let at = from;
  while (at < to) at += src.next(pages, ops, at, to - at);
}
