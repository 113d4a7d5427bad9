import type { EsxConfig } from '../config.js';
import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName, PolicyOptions } from '../policy/policy.js';
import type { RefChunk } from '../trace/chunk.js';
import { EsxStepCurve } from './esx-curve.js';
import { FrameSampler } from './esx-frame-sampler.js';

/**
 * VMware ESX-style statistical sampling of active memory (Waldspurger, OSDI 2002), DESIGN.md §2.
 *
 * ESX hosts the VM with its whole allocation A = V + C as guest memory and no hypervisor cache.
 * This sampler simulates that A-page memory with the VM's guest policy and, each period, picks n
 * of the A physical frames uniformly at random without replacement (seeded). A sampled frame is
 * touched when a reference during the period accesses it: a hit on the page in that frame, or a
 * miss that loads a page into it. Per period:
 *
 *   f = touched / n;  sample = f·A;
 *   fast += fastGain·(sample − fast);  slow += slowGain·(sample − slow)   (both start at the first sample)
 *   estimate = min(A, max(fast, slow))   — rises fast, decays slowly, never above A.
 *
 * Periods: `periodRefs` references when set; otherwise `periodSeconds` of VM time for timed
 * streams; for untimed streams with `periodRefs` null, {@link ESX_UNTIMED_PERIOD_FACTOR}·A
 * references (so each of the A frames is referenced ~10 times per period on average, enough for
 * a fully active memory to be seen as fully active). Timed periods are [k·P, (k+1)·P); periods
 * without references are still sampled (touched = 0: the estimate decays while the VM is idle).
 * A trailing partial period is dropped unless no period completed at all, in which case it is
 * closed at the end (flagged `partial`) so short runs still get an estimate.
 */
export const ESX_UNTIMED_PERIOD_FACTOR = 10;

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
  estimate: number;
  /** The period ended within the warm-up references. */
  warmup: boolean;
  /** The period was cut short by the end of the stream. */
  partial: boolean;
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
  periods: EsxPeriod[];
  /** Estimate after the last period (pages, ≤ A), NaN when nothing was sampled. */
  finalEstimate: number;
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
}

export class EsxSampler {
  private readonly policy: PagePolicy;
  private readonly sampler: FrameSampler;
  private readonly warmup: number;
  private readonly rate: number;
  private mode: 'seconds' | 'refs' | null = null;
  private periodRefs = 0;
  private nextEndRef = 0;
  private nextEndTime = 0;
  private readonly periods: EsxPeriod[] = [];
  private fast = 0;
  private slow = 0;
  private refs = 0;
  private misses = 0;
  private lastTime = 0;
  private origin = 0;
  private done: EsxResult | null = null;

  constructor(
    readonly allocation: number,
    private readonly config: EsxConfig,
    options: EsxSamplerOptions,
  ) {
    if (!(config.periodSeconds > 0)) throw new RangeError('ESX periodSeconds must be > 0');
    if (config.periodRefs !== null && !(config.periodRefs >= 1))
      throw new RangeError('ESX periodRefs must be >= 1');
    this.policy = createPolicy(options.policy, allocation, options.policyOptions);
    this.sampler = new FrameSampler(allocation, config.samples, config.seed);
    this.sampler.startPeriod();
    this.warmup = options.warmup ?? 0;
    this.rate = options.untimedRate ?? 1000;
  }

  feed(chunk: RefChunk): void {
    if (this.done !== null) throw new Error('EsxSampler: feed after result()');
    const n = chunk.length;
    if (n === 0) return;
    if (this.mode === null) {
      // VM time starts at the first reference (timed traces carry their own epoch).
      this.origin = chunk.times !== null ? chunk.times[0] : 0;
      this.chooseMode(chunk.times !== null);
    }
    const origin = this.origin;
    const { pages, times } = chunk;
    const policy = this.policy;
    const sampler = this.sampler;
    const byRefs = this.mode === 'refs';
    for (let i = 0; i < n; i++) {
      const idx = this.refs++;
      if (idx === this.warmup) this.misses = 0;
      const t = times !== null ? times[i] - origin : idx / this.rate;
      if (byRefs) {
        if (idx >= this.nextEndRef) {
          this.closePeriod(t, idx, false);
          this.nextEndRef += this.periodRefs;
        }
      } else {
        while (t >= this.nextEndTime) {
          this.closePeriod(this.nextEndTime, idx, false);
          this.nextEndTime = (this.periods.length + 1) * this.config.periodSeconds;
        }
      }
      const page = pages[i];
      if (!policy.access(page, idx)) {
        this.misses++;
        policy.insert(page, idx);
      }
      sampler.touch(policy.frameOf(page));
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
      periodMode: byRefs ? 'refs' : 'seconds',
      periodSeconds: byRefs ? null : this.config.periodSeconds,
      periodRefs: byRefs ? this.periodRefs : null,
      fastGain: this.config.fastGain,
      slowGain: this.config.slowGain,
      periods: this.periods,
      finalEstimate,
      misses,
      references,
      curve: new EsxStepCurve(finalEstimate, this.allocation, misses, references),
    };
    return this.done;
  }

  private chooseMode(timed: boolean): void {
    const refs = this.config.periodRefs;
    if (refs !== null || !timed) {
      this.mode = 'refs';
      this.periodRefs = refs ?? Math.max(1, ESX_UNTIMED_PERIOD_FACTOR * this.allocation);
      this.nextEndRef = this.periodRefs;
    } else {
      this.mode = 'seconds';
      this.nextEndTime = this.config.periodSeconds;
    }
  }

  private closePeriod(endTime: number, endRef: number, partial: boolean): void {
    const a = this.allocation;
    const n = this.sampler.samples;
    const touched = this.sampler.touched;
    const fraction = n > 0 ? touched / n : 0;
    const sample = fraction * a;
    if (this.periods.length === 0) {
      this.fast = sample;
      this.slow = sample;
    } else {
      this.fast += this.config.fastGain * (sample - this.fast);
      this.slow += this.config.slowGain * (sample - this.slow);
    }
    this.periods.push({
      periodIndex: this.periods.length,
      endTime,
      endRef,
      touched,
      fraction,
      sampleEstimate: sample,
      fast: this.fast,
      slow: this.slow,
      estimate: Math.min(a, Math.max(this.fast, this.slow)),
      warmup: this.warmup > 0 && endRef <= this.warmup,
      partial,
    });
    this.sampler.startPeriod();
  }
}
