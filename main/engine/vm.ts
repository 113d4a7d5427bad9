import { DEFAULT_ESX, type EsxConfig, type VmMemoryConfig } from './config.js';
import { GuestMemory } from './guest/guest-memory.js';
import { ExclusiveCache } from './hypervisor/exclusive-cache.js';
import { buildVmStats, type VmStats } from './hypervisor/stats.js';
import type { EsxStepCurve } from './mrc/esx-curve.js';
import { EsxSampler, type EsxResult } from './mrc/esx.js';
import { ExactMrc } from './mrc/exact.js';
import type { MissCurve } from './mrc/curve.js';
import { HypervisorMrcRecorder, type HypervisorMissCurve } from './mrc/hypervisor.js';
import { createPolicy } from './policy/create-policy.js';
import type { PolicyOptions } from './policy/policy.js';
import { OP_DIRECT_BIT, guestReferences, type RefChunk } from './trace/chunk.js';

/** Which MRC recorders run alongside a VM. */
export interface RecorderSelection {
  /** Mattson's exact LRU MRC over the VM's whole stream (ground truth). */
  exact?: boolean;
  /** The hypervisor's MRC from its cache lookups and ghost list. */
  hypervisor?: boolean;
  /** ESX sampling of a separate simulation with all V + C pages as guest memory. */
  esx?: boolean | Partial<EsxConfig>;
}

export interface VmOptions {
  name?: string;
  recorders?: RecorderSelection;
  /** Distinct pages expected (sizing hint only). */
  expectedPages?: number;
  /** Passed to createPolicy (OPT needs `nextUse` indexed by the VM's reference index). */
  policyOptions?: PolicyOptions;
}

export interface VmCurves {
  exact?: MissCurve;
  hypervisor?: HypervisorMissCurve;
  esx?: EsxStepCurve;
}

export interface VmResult {
  name: string;
  stats: VmStats;
  curves: VmCurves;
  /** ESX time series and final estimate, when the ESX recorder ran. */
  esx?: EsxResult;
}

/**
 * One VM: guest memory (V pages) over its own hypervisor exclusive cache (C pages, G ghosts),
 * plus the chosen recorders. `beginChunk` feeds recorders that look at the whole stream and are
 * independent of interleaving (exact, ESX); `run` simulates a range of a chunk in order.
 *
 * Time of reference i: `chunk.times[i]`, or i / untimedRate for untimed chunks (i counts every
 * reference of the VM, warm-up included). The first `warmup` references update all state; all
 * counters are reset when reference number `warmup` arrives. The VM time covered by the counted
 * references runs from 0 (no warm-up) or from the time of the first counted reference, to the
 * time of the last reference.
 */
export class VmSimulator {
  readonly name: string;
  readonly guest: GuestMemory;
  readonly cache: ExclusiveCache;
  readonly exact: ExactMrc | null;
  readonly hypervisorMrc: HypervisorMrcRecorder | null;
  readonly esx: EsxSampler | null;
  private index = 0;
  private startTime = 0;
  private origin: number | null = null;
  private lastTime = 0;
  private bypassWrites = 0;
  private bypassGuestUpdates = 0;

  constructor(
    readonly config: VmMemoryConfig,
    options: VmOptions = {},
  ) {
    this.name = options.name ?? 'vm';
    const pageSpace = options.expectedPages ?? 1024;
    const rec = options.recorders ?? {};
    const hv = config.hypervisor;
    const policyOptions = { activeFraction: config.activeFraction, ...options.policyOptions };
    this.cache = new ExclusiveCache(hv, pageSpace);
    const policy = createPolicy(config.policy, config.guestPages, policyOptions);
    this.guest = new GuestMemory(policy, config.writeback, this.cache);
    this.exact = rec.exact ? new ExactMrc(config.warmup, pageSpace) : null;
    this.hypervisorMrc = rec.hypervisor
      ? new HypervisorMrcRecorder(config.guestPages, hv.pages, hv.ghostPages)
      : null;
    this.cache.observer = this.hypervisorMrc;
    if (rec.esx) {
      const esxConfig = { ...DEFAULT_ESX, ...(rec.esx === true ? {} : rec.esx) };
      this.esx = new EsxSampler(config.guestPages + hv.pages, esxConfig, {
        policy: config.policy,
        policyOptions,
        warmup: config.warmup,
        untimedRate: config.untimedRate,
        expectedPages: pageSpace,
      });
    } else {
      this.esx = null;
    }
  }

  /** References simulated so far (warm-up included). */
  get referencesSeen(): number {
    return this.index;
  }

  /**
   * Time of reference `i` of `chunk` when `ahead` references come before it that `run` has not
   * simulated yet (unclamped: the merge order of the host driver).
   */
  timeOf(chunk: RefChunk, i: number, ahead: number): number {
    return chunk.times !== null
      ? chunk.times[i] - this.originOf(chunk)
      : (this.index + ahead) / this.config.untimedRate;
  }

  /**
   * Feeds the chunk to the interleaving-independent recorders; call once per chunk, in order.
   * They see the guest's references only: direct-I/O writes are not references of guest memory.
   */
  beginChunk(chunk: RefChunk): void {
    if (this.exact === null && this.esx === null) return;
    const refs = guestReferences(chunk);
    this.exact?.feed(refs);
    this.esx?.feed(refs);
  }

  /** Simulates references start..end-1 of the chunk. */
  run(chunk: RefChunk, start: number, end: number): void {
    const { pages, ops, times } = chunk;
    const origin = times !== null ? this.originOf(chunk) : 0;
    const guest = this.guest;
    const warmup = this.config.warmup;
    const rate = this.config.untimedRate;
    let index = this.index;
    let last = this.lastTime;
    for (let i = start; i < end; i++, index++) {
      let t = times !== null ? times[i] - origin : index / rate;
      if (t < last) t = last;
      if (index === warmup && warmup > 0) this.resetCounters(t);
      const op = ops[i];
      if ((op & OP_DIRECT_BIT) !== 0) this.bypassWrite(pages[i]);
      else guest.reference(pages[i], op, t, index);
      last = t;
    }
    this.index = index;
    this.lastTime = last;
  }

  /**
   * A write that bypasses guest memory (direct I/O, op OP_DIRECT_WRITE) at the current time: one
   * disk write; a cached copy in the hypervisor cache is invalidated (coherence); a copy resident
   * in guest memory is updated in place (the page cache stays coherent, as Linux does for
   * O_DIRECT writes): no recency change and its dirty state is kept.
   */
  bypassWrite(page: number): void {
    this.bypassWrites++;
    if (this.guest.isResident(page)) this.bypassGuestUpdates++;
    this.cache.invalidate(page);
  }

  result(): VmResult {
    // The stream ended within the warm-up: nothing is counted.
    const warmup = this.config.warmup;
    if (warmup > 0 && this.index <= warmup) this.resetCounters(this.lastTime);
    const elapsed = Math.max(0, this.lastTime - this.startTime);
    const stats = buildVmStats(
      this.name,
      this.config,
      this.guest,
      this.cache,
      this.bypassWrites,
      this.bypassGuestUpdates,
      elapsed,
    );
    const curves: VmCurves = {};
    const out: VmResult = { name: this.name, stats, curves };
    if (this.exact !== null) curves.exact = this.exact.curve();
    if (this.hypervisorMrc !== null)
      curves.hypervisor = this.hypervisorMrc.curve(this.guest.references, elapsed);
    if (this.esx !== null) {
      out.esx = this.esx.result();
      curves.esx = out.esx.curve;
    }
    return out;
  }

  /**
   * Timed traces carry their own epoch (a block trace may start at 5,633,898 s): the VM's clock
   * starts at its first reference, so periods, the flusher and host interleaving use VM time.
   */
  private originOf(chunk: RefChunk): number {
    if (this.origin === null)
      this.origin = chunk.times !== null && chunk.length > 0 ? chunk.times[0] : 0;
    return this.origin;
  }

  private resetCounters(time: number): void {
    this.guest.resetCounters();
    this.cache.resetCounters();
    this.hypervisorMrc?.resetCounters();
    this.bypassWrites = 0;
    this.bypassGuestUpdates = 0;
    this.startTime = time;
  }
}
