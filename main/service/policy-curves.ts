/**
 * The `policy` and `minisim` methods for one VM's stream, as the CLI's `hclab mrc` and the
 * experiment runner use them: with the sizes known up front the simulations ride on the single
 * pass; otherwise the sizes depend on the footprint, so the pages are kept (4 bytes a reference)
 * and simulated once the pass is over. `policy` runs its sizes across worker threads.
 */
import { checkpoint, type RunControl } from '../engine/control.js';
import type { MinisimConfig } from '../engine/config.js';
import type { MissCurve, MrcMethod } from '../engine/mrc/curve.js';
import { MiniSimMrc } from '../engine/mrc/minisim.js';
import type { PolicyName } from '../engine/policy/policy.js';
import type { RefChunk } from '../engine/trace/chunk.js';
import { growInt32 } from '../engine/util/grow.js';
import { ParallelPolicySim } from './parallel-policy-sim.js';

export interface PolicyCurvesOptions {
  methods: ReadonlySet<MrcMethod>;
  policy: PolicyName;
  /** Sizes to simulate; undefined: given to finish() after the pass. */
  sizes?: readonly number[];
  /** Sampling of `minisim`: a fixed rate or a fixed number of sampled pages. */
  minisim: MinisimConfig;
  warmup: number;
  /** Worker threads for `policy` (default: one per core, at most one per size; 1: this thread). */
  workers?: number;
}

export interface MinisimInfo {
  mode: MinisimConfig['mode'];
  /** The rate (fixed-size: the final rate, after the sample set filled). */
  rate: number;
  /** fixed-size: the most sampled pages allowed, and the most the set held. */
  maxSamples?: number;
  maxSampledPages?: number;
  sampledReferences: number;
  /** Miniature cache sizes (fixed-size: at the final rate). */
  miniSizes: number[];
}

export class PolicyCurves {
  private policySim: ParallelPolicySim | null = null;
  private miniSim: MiniSimMrc | null = null;
  private kept: Int32Array | null = null;
  private keptLength = 0;
  /** Whether the kept chunks were sampled by the reader, and the references they stand for. */
  private keptSampled = false;
  private keptRepresents = 0;
  readonly active: boolean;

  constructor(private readonly opts: PolicyCurvesOptions) {
    const wantPolicy = opts.methods.has('policy');
    const wantMini = opts.methods.has('minisim');
    this.active = wantPolicy || wantMini;
    if (!this.active) return;
    if (opts.policy === 'opt')
      throw new Error(
        "the policy and minisim methods cannot simulate an 'opt' guest (it needs the future of the stream)",
      );
    if (opts.sizes !== undefined) this.start(opts.sizes);
    else this.kept = new Int32Array(1 << 16);
  }

  feed(chunk: RefChunk): void {
    if (!this.active) return;
    if (this.kept !== null) {
      this.kept = growInt32(this.kept, this.keptLength + chunk.length);
      this.kept.set(chunk.pages.subarray(0, chunk.length), this.keptLength);
      this.keptLength += chunk.length;
      if (chunk.represents !== undefined) {
        this.keptSampled = true;
        this.keptRepresents += chunk.represents;
      }
      return;
    }
    this.policySim?.feed(chunk);
    this.miniSim?.feed(chunk);
  }

  /** Runs the kept stream through the simulations at `sizes` (when they were not known). */
  async finish(
    sizes: readonly number[],
    control?: RunControl,
  ): Promise<{ curves: Map<MrcMethod, MissCurve>; minisim?: MinisimInfo }> {
    const curves = new Map<MrcMethod, MissCurve>();
    if (!this.active) return { curves };
    const kept = this.kept;
    if (kept !== null) {
      this.kept = null;
      this.start(sizes);
      const step = 1 << 16;
      // Sampled by the reader: the first chunk carries every reference the sample stands for
      // (at least one chunk, even when none was sampled), the others none.
      for (let at = 0; at < this.keptLength || (at === 0 && this.keptSampled); at += step) {
        await checkpoint(control);
        const pages = kept.subarray(at, Math.min(this.keptLength, at + step));
        const chunk: RefChunk = {
          pages,
          ops: new Uint8Array(pages.length),
          times: null,
          length: pages.length,
          ...(this.keptSampled ? { represents: at === 0 ? this.keptRepresents : 0 } : {}),
        };
        this.policySim?.feed(chunk);
        this.miniSim?.feed(chunk);
      }
    }
    if (this.policySim !== null) curves.set('policy', await this.policySim.curve());
    const ms = this.miniSim;
    if (ms === null) return { curves };
    curves.set('minisim', ms.curve());
    const fixedSize = this.opts.minisim.mode === 'fixed-size';
    return {
      curves,
      minisim: {
        mode: this.opts.minisim.mode,
        rate: ms.rate,
        ...(fixedSize
          ? { maxSamples: this.opts.minisim.maxSamples, maxSampledPages: ms.maxSampledPages }
          : {}),
        sampledReferences: ms.sampledReferences,
        miniSizes: ms.miniSizes,
      },
    };
  }

  /** Stops the policy workers (after an error or cancellation; finish() stops them itself). */
  async dispose(): Promise<void> {
    await this.policySim?.close();
  }

  private start(sizes: readonly number[]): void {
    const o = this.opts;
    if (o.methods.has('policy'))
      this.policySim = new ParallelPolicySim(o.policy, sizes, o.warmup, o.workers);
    if (o.methods.has('minisim'))
      this.miniSim = new MiniSimMrc(o.policy, sizes, o.minisim, o.warmup);
  }
}
