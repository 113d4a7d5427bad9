import type { EsxConfig } from '../config.js';
import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName, PolicyOptions } from '../policy/policy.js';
import type { RefChunk } from '../trace/chunk.js';
import { EsxStepCurve } from './esx-curve.js';
import { FrameSampler } from './esx-frame-sampler.js';
import { scoreEsx, type EsxScore } from './esx-score.js';
import { EsxTruthRecorder } from './esx-truth.js';

/**
 * VMware ESX-style statistical sampling of active memory (Waldspurger, OSDI 2002, §5.3;
 * DESIGN.md §2).
 *
 * ESX hosts the VM with its whole allocation A = V + C as guest memory and no hypervisor cache.
 * This sampler simulates that A-page memory with the VM's guest policy and, each period, picks n
 * of the A physical frames uniformly at random without replacement (seeded). A sampled frame is
 * touched when a reference during the period accesses it: a hit on the page in that frame, or a
 * miss that loads a page into it. At the end of period k:
 *
 *   f = touched / n;  S = f·A;
 *   fast += fastGain·(S − fast);  slow += slowGain·(S − slow)   (both start at the first S)
 *
 * and, as in ESX, a version of the fast average that takes in the samples of the current,
 * incomplete period: it starts each period at `fast` and is updated `currentUpdates` times per
 * period (at j/u of the period, the last update being the period's end) with the partial sample
 * S_j = touched-so-far / n · A:  current += currentGain·(S_j − current). The estimate at any
 * moment is min(A, max(slow, fast, current)): it rises within the period on partial evidence
 * and decays no faster than the slow average. `currentUpdates` = 0 leaves the two averages.
 *
 * Periods are VM time: `periodSeconds` (default 30 s), where an untimed stream advances VM time
 * at its rate (reference i at i / rate s); `periodRefs` overrides this with periods of that many
 * references. Periods are [k·P, (k+1)·P); periods without references are still sampled
 * (touched = 0: the estimate decays while the VM is idle; beyond {@link ESX_IDLE_RECORDS} empty
 * periods in a row they are decayed in closed form without records, so an idle gap is free). A trailing partial period is dropped
 * unless no period completed at all, in which case it is closed at the end (flagged `partial`)
 * so short runs still get an estimate.
 *
 * Every period is also scored against the truth it estimates ({@link EsxTruthRecorder}): the
 * distinct pages touched in the period, and the memory the exact curve says keeps the misses
 * within ε of those at A.
 */
/** Empty periods of one idle gap that keep a record; earlier ones are decayed in closed form. */
export const ESX_IDLE_RECORDS = 100;

export interface EsxPeriod {
  periodIndex: number;
  /** VM time at the end of the period (seconds). */
  endTime: number;
  /** References before the end of the period (the first reference of the next one). */
  endRef: number;
  touched: number;
  fraction: number;
  sampleEstimate: number;
  fast: number;
  slow: number;
  /** The current-period version of the fast average at the period's end (null: disabled). */
  fastCurrent: number | null;
  /** min(A, max(slow, fast, fastCurrent)) at the end of the period. */
  estimate: number;
  /** References in the period. */
  references: number;
  /** Truth: distinct pages touched in the period. */
  trueWorkingSet: number;
  /** Truth: smallest memory whose exact LRU misses in the period are ≤ (1 + ε)·misses at A. */
  epsilonPages: number;
  /** Exact LRU misses with A pages in the period. */
  missesAtAllocation: number;
  /** The period ended within the warm-up references. */
  warmup: boolean;
  /** The period was cut short by the end of the stream. */
  partial: boolean;
}

/** An update of the current-period average inside a period (the period's end is in `periods`). */
export interface EsxUpdate {
  periodIndex: number;
  /** VM time of the update (seconds). */
  time: number;
  /** References before the update. */
  ref: number;
  /** Sampled frames touched so far in the period. */
  touched: number;
  /** Partial sample touched/n·A. */
  sampleEstimate: number;
  /** Slow and fast averages as of the last period end (null before the first one ends). */
  slow: number | null;
  fast: number | null;
  fastCurrent: number;
  /** min(A, max(slow, fast, fastCurrent)). */
  estimate: number;
}

export interface EsxResult {
  /** A = V + C pages. */
  allocation: number;
  samples: number;
  periodMode: 'seconds' | 'refs';
  periodSeconds: number | null;
  periodRefs: number | null;
  fastGain: number;
  slowGain: number;
  currentGain: number;
  currentUpdates: number;
  periods: EsxPeriod[];
  updates: EsxUpdate[];
  /** Estimate after the last period (pages, ≤ A), NaN when nothing was sampled. */
  finalEstimate: number;
  /** The estimate against the truth, over the periods outside the warm-up. */
  score: EsxScore;
  /** Misses of the A-page simulation (after warm-up). */
  misses: number;
  references: number;
  curve: EsxStepCurve;
}

export interface EsxSamplerOptions {
  policy: PolicyName;
  policyOptions?: PolicyOptions;
  warmup?: number;
  untimedRate?: number;
  /** Distinct pages expected (sizing hint only). */
  expectedPages?: number;
}

export class EsxSampler {
  private readonly policy: PagePolicy;
  private readonly sampler: FrameSampler;
  private readonly truth: EsxTruthRecorder;
  private readonly warmup: number;
  private readonly rate: number;
  private readonly updatesPerPeriod: number;
  private mode: 'seconds' | 'refs' = 'seconds';
  /** Period length in the mode's unit (seconds or references). */
  private length = 0;
  /** Next tick: update j (1..u) of the current period; j = u (or u = 0) closes it. */
  private tickIndex = 1;
  private nextTick = 0;
  private readonly periods: EsxPeriod[] = [];
  private readonly updates: EsxUpdate[] = [];
  private fast = Number.NaN;
  private slow = Number.NaN;
  private current = Number.NaN;
  private refs = 0;
  private misses = 0;
  private lastTime = 0;
  private origin: number | null = null;
  private done: EsxResult | null = null;
  /** Empty periods decayed in closed form without a record of their own (long idle gaps). */
  private idleSkipped = 0;

  constructor(
    readonly allocation: number,
    private readonly config: EsxConfig,
    options: EsxSamplerOptions,
  ) {
    if (!(config.periodSeconds > 0)) throw new RangeError('ESX periodSeconds must be > 0');
    if (config.periodRefs !== null && !(config.periodRefs >= 1))
      throw new RangeError('ESX periodRefs must be >= 1');
    if (!(Number.isInteger(config.currentUpdates) && config.currentUpdates >= 0))
      throw new RangeError('ESX currentUpdates must be an integer >= 0');
    this.policy = createPolicy(options.policy, allocation, options.policyOptions);
    this.sampler = new FrameSampler(allocation, config.samples, config.seed);
    this.sampler.startPeriod();
    this.truth = new EsxTruthRecorder(allocation, config.epsilon, options.expectedPages);
    this.warmup = options.warmup ?? 0;
    this.rate = options.untimedRate ?? 1000;
    if (!(this.rate > 0)) throw new RangeError('ESX untimed rate must be > 0');
    this.updatesPerPeriod = config.currentUpdates;
    if (config.periodRefs !== null) {
      this.mode = 'refs';
      this.length = config.periodRefs;
    } else {
      this.length = config.periodSeconds;
    }
    this.nextTick = this.tickAt(0, 1);
  }

  feed(chunk: RefChunk): void {
    if (this.done !== null) throw new Error('EsxSampler: feed after result()');
    const n = chunk.length;
    if (n === 0) return;
    // VM time starts at the first reference (timed traces carry their own epoch).
    if (this.origin === null) this.origin = chunk.times !== null ? chunk.times[0] : 0;
    const origin = this.origin;
    const { pages, times } = chunk;
    const policy = this.policy;
    const sampler = this.sampler;
    const truth = this.truth;
    const byRefs = this.mode === 'refs';
    const rate = this.rate;
    for (let i = 0; i < n; i++) {
      const idx = this.refs++;
      if (idx === this.warmup) this.misses = 0;
      let t = times !== null ? times[i] - origin : idx / rate;
      if (t < this.lastTime) t = this.lastTime;
      const clock = byRefs ? idx : t;
      while (clock >= this.nextTick) {
        this.tick(byRefs ? t : this.nextTick, idx);
        if (!byRefs && this.tickIndex === 1) this.skipIdle(clock);
      }
      const page = pages[i];
      if (!policy.access(page, idx)) {
        this.misses++;
        policy.insert(page, idx);
      }
      sampler.touch(policy.frameOf(page));
      truth.reference(page);
      this.lastTime = t;
    }
  }

  result(): EsxResult {
    if (this.done !== null) return this.done;
    if (this.periods.length === 0 && this.refs > 0)
      this.closePeriod(this.lastTime, this.refs, true);
    const last = this.periods.at(-1);
    const finalEstimate = last === undefined ? Number.NaN : last.estimate;
    const references = Math.max(0, this.refs - this.warmup);
    const misses = references > 0 ? this.misses : 0;
    const byRefs = this.mode === 'refs';
    this.done = {
      allocation: this.allocation,
      samples: this.sampler.samples,
      periodMode: this.mode,
      periodSeconds: byRefs ? null : this.config.periodSeconds,
      periodRefs: byRefs ? this.length : null,
      fastGain: this.config.fastGain,
      slowGain: this.config.slowGain,
      currentGain: this.config.currentGain,
      currentUpdates: this.updatesPerPeriod,
      periods: this.periods,
      updates: this.updates,
      finalEstimate,
      score: scoreEsx(this.periods, this.config.epsilon),
      misses,
      references,
      curve: new EsxStepCurve(finalEstimate, this.allocation, misses, references),
    };
    return this.done;
  }

  /** Position (seconds or references) of update j of period k; j = u ends the period. */
  private tickAt(k: number, j: number): number {
    const u = this.updatesPerPeriod;
    return u <= 1 ? (k + 1) * this.length : k * this.length + (j * this.length) / u;
  }

  private tick(time: number, ref: number): void {
    const u = this.updatesPerPeriod;
    if (u <= 1 || this.tickIndex === u) {
      this.closePeriod(time, ref, false);
      this.tickIndex = 1;
    } else {
      this.update(time, ref);
      this.tickIndex++;
    }
    this.nextTick = this.tickAt(this.periods.length + this.idleSkipped, this.tickIndex);
  }

  /**
   * Lazy empty periods: when VM time `clock` lies more than {@link ESX_IDLE_RECORDS} whole
   * periods past the period that just began, all but the last {@link ESX_IDLE_RECORDS} of those
   * empty periods (touched = 0, sample 0) are applied at once — fast and slow decay by
   * (1 − gain)^k, the current-period average restarts at fast — so a long idle gap costs neither
   * time nor memory; the rest are closed normally and keep their records (periodIndex counts the
   * skipped ones).
   */
  private skipIdle(clock: number): void {
    const k = this.periods.length + this.idleSkipped;
    const skip = Math.floor(clock / this.length) - k - ESX_IDLE_RECORDS;
    if (!(skip >= 1) || this.periods.length === 0) return;
    this.fast *= (1 - this.config.fastGain) ** skip;
    this.slow *= (1 - this.config.slowGain) ** skip;
    this.current = this.fast;
    this.idleSkipped += skip;
    this.nextTick = this.tickAt(k + skip, this.tickIndex);
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

  private estimateOf(...values: number[]): number {
    let m = 0;
    for (const v of values) if (v > m) m = v;
    return Math.min(this.allocation, m);
  }

  private update(time: number, ref: number): void {
    const sample = this.partialSample();
    this.stepCurrent(sample);
    this.updates.push({
      periodIndex: this.periods.length + this.idleSkipped,
      time,
      ref,
      touched: this.sampler.touched,
      sampleEstimate: sample,
      slow: Number.isNaN(this.slow) ? null : this.slow,
      fast: Number.isNaN(this.fast) ? null : this.fast,
      fastCurrent: this.current,
      estimate: this.estimateOf(this.slow, this.fast, this.current),
    });
  }

  private closePeriod(endTime: number, endRef: number, partial: boolean): void {
    const touched = this.sampler.touched;
    const n = this.sampler.samples;
    const fraction = n > 0 ? touched / n : 0;
    const sample = fraction * this.allocation;
    if (this.periods.length === 0) {
      this.fast = sample;
      this.slow = sample;
    } else {
      this.fast += this.config.fastGain * (sample - this.fast);
      this.slow += this.config.slowGain * (sample - this.slow);
    }
    let fastCurrent: number | null = null;
    if (this.updatesPerPeriod > 0) {
      this.stepCurrent(sample);
      fastCurrent = this.current;
    }
    const truth = this.truth.closePeriod();
    this.periods.push({
      periodIndex: this.periods.length + this.idleSkipped,
      endTime,
      endRef,
      touched,
      fraction,
      sampleEstimate: sample,
      fast: this.fast,
      slow: this.slow,
      fastCurrent,
      estimate: this.estimateOf(this.fast, this.slow, fastCurrent ?? 0),
      references: truth.references,
      trueWorkingSet: truth.workingSet,
      epsilonPages: truth.epsilonPages,
      missesAtAllocation: truth.missesAtAllocation,
      warmup: this.warmup > 0 && endRef <= this.warmup,
      partial,
    });
    // The current-period version starts the next period at the fast average.
    this.current = this.fast;
    this.sampler.startPeriod();
  }
}
