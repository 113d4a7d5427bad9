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
  /** min(P, max(fast, slow)). */
  estimate: number;
}

/**
 * ESX statistical sampling (Waldspurger, OSDI 2002; DESIGN.md §2 `esx`) of a VM whose allocation
 * changes between periods: each period n of its P physical frames are sampled uniformly (seeded)
 * and the touched fraction f gives the sample f·P pages; a fast and a slow EWMA of the samples
 * (gains from the ESX settings, both starting at the first sample) give the estimate
 * min(P, max(fast, slow)), which can never exceed the current allocation. Frames are those of
 * the VM's guest policy (renumbered 0..P-1 by a resize, which only happens at period ends).
 * The averages mirror `mrc/esx.ts`; when that estimator changes, this one should follow it.
 */
export class EsxOnlineSampler {
  private sampler: FrameSampler;
  private fast = Number.NaN;
  private slow = Number.NaN;
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

  /** Closes the period at `endTime`; then {@link startPeriod} with the new allocation. */
  closePeriod(endTime: number): EsxOnlinePeriod {
    const n = this.sampler.samples;
    const touched = this.sampler.touched;
    const sample = n > 0 ? (touched / n) * this.allocation : 0;
    if (this.periods.length === 0) {
      this.fast = sample;
      this.slow = sample;
    } else {
      this.fast += this.config.fastGain * (sample - this.fast);
      this.slow += this.config.slowGain * (sample - this.slow);
    }
    const p: EsxOnlinePeriod = {
      endTime,
      allocation: this.allocation,
      touched,
      sample,
      fast: this.fast,
      slow: this.slow,
      estimate: Math.min(this.allocation, Math.max(this.fast, this.slow)),
    };
    this.periods.push(p);
    this.period++;
    return p;
  }

  /** Starts the next period's sample of `allocation` frames (after the VM was resized to it). */
  startPeriod(allocation: number): void {
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
