import type { EsxConfig } from '../../config.js';
import { FrameSampler } from '../../mrc/esx-frame-sampler.js';

/** One ESX sampling period of one VM in the online loop. */
export interface EsxOnlinePeriod {
  /** End of the period, seconds of VM time. */
  endTime: number;
  /** P: the VM's pages during the period. */
  allocation: number;
  touched: number;
  /** f·P, the period's own sample. */
  sample: number;
  fast: number;
  slow: number;
  /** The current-period version of the fast average at the period's end (null: disabled). */
  fastCurrent: number | null;
  /** min(P, max(slow, fast, fastCurrent)). */
  estimate: number;
}

/**
 * ESX statistical sampling (Waldspurger, OSDI 2002; DESIGN.md §2 `esx`) of a VM whose allocation
 * changes between periods: each period n of its P physical frames are sampled uniformly (seeded)
 * and the touched fraction f gives the sample S = f·P pages. As in `mrc/esx.ts` (same settings,
 * same rules): a slow and a fast EWMA of the period samples (both starting at the first), and a
 * version of the fast average that takes in the current period's partial samples — it starts each
 * period at `fast` and is updated `currentUpdates` times per period (the caller calls
 * {@link update} at j/u of the period; the last update is the period's end). The estimate is
 * min(P, max(slow, fast, current)): never above the current allocation. Frames are those of the
 * VM's guest policy (renumbered 0..P-1 by a resize, which only happens at period ends).
 */
export class EsxOnlineSampler {
  private sampler: FrameSampler;
  private fast = Number.NaN;
  private slow = Number.NaN;
  private current = Number.NaN;
  private period = 0;
  readonly periods: EsxOnlinePeriod[] = [];

  constructor(
    private allocation: number,
    private readonly config: EsxConfig,
  ) {
    this.sampler = this.newSampler();
  }

  /** Latest estimate in pages (NaN before the first period ends). */
  get estimate(): number {
    const last = this.periods.at(-1);
    return last === undefined ? Number.NaN : last.estimate;
  }

  touch(frame: number): void {
    this.sampler.touch(frame);
  }

  private partialSample(): number {
    const n = this.sampler.samples;
    return n > 0 ? (this.sampler.touched / n) * this.allocation : 0;
  }

  private stepCurrent(sample: number): void {
    this.current = Number.isNaN(this.current)
      ? sample
      : this.current + this.config.currentGain * (sample - this.current);
  }

  /** An update of the current-period average inside the period (not at its end). */
  update(): void {
    if (this.config.currentUpdates > 0) this.stepCurrent(this.partialSample());
  }

  /** Closes the period at `endTime`; then {@link startPeriod} with the new allocation. */
  closePeriod(endTime: number): EsxOnlinePeriod {
    const touched = this.sampler.touched;
    const sample = this.partialSample();
    if (this.periods.length === 0) {
      this.fast = sample;
      this.slow = sample;
    } else {
      this.fast += this.config.fastGain * (sample - this.fast);
      this.slow += this.config.slowGain * (sample - this.slow);
    }
    let fastCurrent: number | null = null;
    if (this.config.currentUpdates > 0) {
      this.stepCurrent(sample);
      fastCurrent = this.current;
    }
    const p: EsxOnlinePeriod = {
      endTime,
      allocation: this.allocation,
      touched,
      sample,
      fast: this.fast,
      slow: this.slow,
      fastCurrent,
      estimate: Math.min(this.allocation, Math.max(0, this.fast, this.slow, fastCurrent ?? 0)),
    };
    this.current = this.fast;
    this.periods.push(p);
    this.period++;
    return p;
  }

  /**
   * Starts the next period's sample of `allocation` frames (after the VM was resized to it). An
   * unchanged allocation keeps the sampler and its random stream, exactly as `mrc/esx.ts` does
   * for a fixed allocation; a new one gets a new sampler seeded with seed + period.
   */
  startPeriod(allocation: number): void {
    if (allocation === this.allocation) {
      this.sampler.startPeriod();
      return;
    }
    this.allocation = allocation;
    this.sampler = this.newSampler();
  }

  private newSampler(): FrameSampler {
    const s = new FrameSampler(
      this.allocation,
      this.config.samples,
      this.config.seed + this.period,
    );
    s.startPeriod();
    return s;
  }
}
