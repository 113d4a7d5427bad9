import type { CacheObserver } from '../hypervisor/exclusive-cache.js';
import { HistogramCurve } from './curve.js';

/**
 * The `hypervisor` MRC (DESIGN.md §2, Lu & Shen 2007), built ONLY from what the hypervisor sees:
 * the exclusive cache's lookups, the disk reads behind them and the ghost list.
 *
 * With guest memory of V pages, cache of C and ghost list of G (all LRU-ordered by eviction),
 * guest memory + cache + ghost form one LRU stack, so each lookup has a known rank
 * (= LRU stack distance − 1):
 * - a lookup at position p of the cache's recency order (0 = most recently inserted; data and
 *   id-only entries of failed admissions alike) has rank V + p;
 * - a disk read whose page is at ghost position q has rank V + (entries in the order) + q, which
 *   is V + C + q when the order holds exactly C entries;
 * - any other disk read misses at every size ≤ V + C + G.
 * The guest's own hits are invisible but all have rank < V, so they hit at every size ≥ V: the
 * curve is exact on V .. V + C + G for an LRU guest, and unknown (NaN) below V.
 */
export class HypervisorMrcRecorder implements CacheObserver {
  /** hist[r − V] = lookups of rank r, for r in V .. V + C + G − 1. */
  private readonly hist: Float64Array;
  private beyond = 0;

  constructor(
    readonly guestPages: number,
    readonly cachePages: number,
    readonly ghostPages: number,
  ) {
    this.hist = new Float64Array(cachePages + ghostPages);
  }

  onGet(rank: number): void {
    if (rank >= 0 && rank < this.hist.length) this.hist[rank]++;
    else this.beyond++;
  }

  /** Lookups the hypervisor has seen (= guest misses). */
  get lookups(): number {
    let n = this.beyond;
    for (let i = 0; i < this.hist.length; i++) n += this.hist[i];
    return n;
  }

  resetCounters(): void {
    this.hist.fill(0);
    this.beyond = 0;
  }

  /**
   * @param referencesFromSimulator total references of the VM. The hypervisor never sees the
   *   VM's hits, so it cannot know this: the simulator supplies it only so the curve can be shown
   *   as a miss *ratio* next to the other methods.
   * @param elapsedSeconds VM execution time covered (the hypervisor schedules the VM, so it knows
   *   this), for misses per second.
   */
  curve(referencesFromSimulator: number, elapsedSeconds: number): HypervisorMissCurve {
    const v = this.guestPages;
    const len = v + this.hist.length;
    const full = new Float64Array(len);
    full.set(this.hist, v);
    return new HypervisorMissCurve(
      full,
      len,
      this.beyond,
      referencesFromSimulator,
      v,
      elapsedSeconds,
      this.lookups,
    );
  }
}

/**
 * The hypervisor's MRC: misses for sizes V .. V + C + G (NaN elsewhere), plus the miss rate per
 * second of VM time. `references` — the ratio's denominator — comes from the simulator, not from
 * anything the hypervisor observes; `referencesFromSimulator` says so to every consumer.
 */
export class HypervisorMissCurve extends HistogramCurve {
  readonly referencesFromSimulator = true as const;

  constructor(
    hist: Float64Array,
    histLength: number,
    beyond: number,
    references: number,
    guestPages: number,
    /** VM time covered, seconds. */
    readonly elapsedSeconds: number,
    /** Lookups the hypervisor saw (= misses at size V). */
    readonly lookups: number,
  ) {
    super('hypervisor', hist, histLength, beyond, references, guestPages, histLength);
  }

  /** Misses per second of VM time with `size` pages (the paper's page miss rate); NaN if unknown. */
  missRateAt(size: number): number {
    return this.elapsedSeconds > 0 ? this.missesAt(size) / this.elapsedSeconds : Number.NaN;
  }
}
