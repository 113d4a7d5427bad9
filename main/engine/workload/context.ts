/** What a workload node needs to build its sources: seeds, page offset, inherited op model. */
import type { Rng } from '../util/rng.js';
import { LeafSource, OpMix, READ_ONLY, type OpModel } from './decorate.js';
import { rngFor, type PageSource, type RefSource } from './source.js';

export interface BuildContext {
  /** Seed of the whole workload. */
  seed: number;
  /** Path of the node in the workload tree (e.g. `/phases[1]`); labels its random streams. */
  path: string;
  /** Sum of the offsets of this node and its ancestors. */
  offset: number;
  /** Op keys (writeFraction, fsyncRate, directWriteFraction, fullPageWrites) given on this node
   * or an ancestor; undefined: the node's own. */
  ops: OpModel | undefined;
}

/** Random stream for a labelled part of the node. */
export function nodeRng(ctx: BuildContext, label: string): Rng {
  return rngFor(ctx.seed, `${ctx.path}/${label}`);
}

/**
 * A page source placed at the node's offset (+ `extraOffset`), with the inherited op model or,
 * if none was given, `ownOps`.
 */
export function leaf(
  ctx: BuildContext,
  label: string,
  src: PageSource,
  ownOps: OpModel = READ_ONLY,
  extraOffset = 0,
): RefSource {
  const mix = new OpMix(ctx.ops ?? ownOps, nodeRng(ctx, `${label}/ops`));
  return new LeafSource(src, ctx.offset + extraOffset, mix);
}
