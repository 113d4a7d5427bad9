/**
 * One pass over a reference stream computing the requested MRC methods side by side, and the
 * serialisable report the CLI prints (and the app stores): curves sampled at a size list, the
 * MAE against `exact` of each method that produces a curve, and ESX's time series with its score
 * against the working set it estimates (ESX is not scored as a curve).
 */
import type { EsxConfig, MinisimConfig, ShardsConfig } from '../engine/config.js';
import { DEFAULT_MINISIM, vmMemoryConfig } from '../engine/config.js';
import { VM_DEFAULTS } from '../../shared/schema/defaults.js';
import { checkpoint, type RunControl } from '../engine/control.js';
import { simulateVm, type ChunkSource } from '../engine/host.js';
import type { MissCurve, MrcMethod } from '../engine/mrc/curve.js';
import { meanAbsoluteError, errorAt, type SizeError } from '../engine/mrc/error.js';
import type { EsxPeriod, EsxResult, EsxUpdate } from '../engine/mrc/esx.js';
import type { EsxScore } from '../engine/mrc/esx-score.js';
import { fixedRateThreshold, SHARDS_MODULUS, ShardsMrc } from '../engine/mrc/shards.js';
import { defaultSizes } from '../engine/mrc/sizes.js';
import type { PolicyName } from '../engine/policy/policy.js';
import { guestReferences, releaseChunk, type RefChunk } from '../engine/trace/chunk.js';
import { ExactMrcInWorker } from './exact-mrc-in-worker.js';
import { PolicyCurves, type MinisimInfo } from './policy-curves.js';

export interface MrcJobOptions {
  methods: readonly MrcMethod[];
  /** V, C, G: needed by `hypervisor` and `esx` (ESX hosts the VM with V + C pages). */
  guestPages?: number;
  hvPages?: number;
  ghostPages?: number;
  /** Admission-failure probability of the hypervisor cache, its seed, and whether the
   * hypervisor forgets failed pages (default: keeps id-only entries, exact MRC). */
  admissionFailure?: number;
  admissionSeed?: number;
  forgetFailed?: boolean;
  policy: PolicyName;
  esx: EsxConfig;
  shards: ShardsConfig;
  /** Sampling of the minisim method (default: fixed rate 0.01). */
  minisim?: MinisimConfig;
  /** Sizes (pages) to report; default: about 64 up to the footprint plus V, V+C, V+C+G. */
  sizes?: readonly number[];
  warmup: number;
  untimedRate: number;
}

export interface CurveReport {
  method: MrcMethod;
  /** Smallest and largest size where the method is defined (null: unbounded). */
  minSize: number;
  maxSize: number | null;
  references: number;
  sizes: number[];
  /** null where the method cannot tell. */
  misses: (number | null)[];
  missRatio: (number | null)[];
  /**
   * Mean absolute miss-ratio error against the truth (`maeAgainst`) over every size where both
   * are defined; null (never 0) when no size could be compared, when there is no truth, and for
   * `esx`, which is scored against the working set instead.
   */
  mae: number | null;
  /** The number of points (sizes) the MAE averages over; 0 exactly when `mae` is null. */
  maeSizesCompared: number;
  /** Smallest and largest size compared (pages); null when none was. */
  maeSizeRange: { first: number; last: number } | null;
  /** The curve the error is measured against (null: none, or this curve is the truth). */
  maeAgainst: MrcMethod | null;
  /** Error at the allocation points V, V + C, V + C + G (when given). */
  errorAtAllocation: SizeError[];
}

export interface MrcReport {
  references: number;
  distinctPages: number;
  sizes: number[];
  curves: CurveReport[];
  hypervisor?: {
    guestPages: number;
    hvPages: number;
    ghostPages: number;
    /** The hypervisor's lookups = guest misses = misses at size V. */
    lookups: number;
    elapsedSeconds: number;
    /** Misses per second of VM time at V, V + C, V + C + G (what the hypervisor itself knows). */
    missRatePerSecond: { size: number; rate: number | null }[];
    /** The miss ratio's denominator is the simulator's reference count, not the hypervisor's. */
    referencesFromSimulator: true;
  };
  esx?: EsxReport;
  shards?: { rate: number; sampledReferences: number };
  minisim?: MinisimInfo;
  /** Guest policy of `policy`, `minisim`, `hypervisor` and `esx`. */
  policy: PolicyName;
  /**
   * The true curve the others are scored against: `exact` for an LRU guest (or when `policy` was
   * not computed), the guest policy's own curve (`policy`) otherwise; null when neither ran.
   */
  truth: MrcMethod | null;
}

/** ESX's result as stored and sent (shared/api/entities.ts EsxReportSchema). */
export interface EsxReport {
  allocation: number;
  samples: number;
  periodMode: 'seconds' | 'refs';
  periodSeconds: number | null;
  periodRefs: number | null;
  fastGain: number;
  slowGain: number;
  currentGain: number;
  currentUpdates: number;
  finalEstimate: number | null;
  missesAtAllocation: number;
  /** One record per period: the sample, the three averages, the estimate and the truth. */
  periods: EsxPeriod[];
  /** The current-period average's updates inside each period. */
  updates: EsxUpdate[];
  /** The estimate against the true working set and the ε-memory of the exact curve. */
  score: EsxScore;
}

export function esxReport(r: EsxResult): EsxReport {
  return {
    allocation: r.allocation,
    samples: r.samples,
    periodMode: r.periodMode,
    periodSeconds: r.periodSeconds,
    periodRefs: r.periodRefs,
    fastGain: r.fastGain,
    slowGain: r.slowGain,
    currentGain: r.currentGain,
    currentUpdates: r.currentUpdates,
    finalEstimate: finiteOrNull(r.finalEstimate),
    missesAtAllocation: r.misses,
    periods: r.periods,
    updates: r.updates,
    score: r.score,
  };
}

/**
 * The threshold at which a trace reader may sample by raw id for this job
 * ({@link TraceSource.sampleByRawId}: only the sampled references are mapped and handed over), or
 * null. Only when every method is SHARDS or minisim at one fixed rate, without warm-up: the others
 * need every reference.
 */
export function readerSamplingThreshold(
  opts: Pick<MrcJobOptions, 'methods' | 'shards' | 'minisim' | 'warmup'>,
): number | null {
  if (opts.warmup > 0 || opts.methods.length === 0) return null;
  const minisim = opts.minisim ?? DEFAULT_MINISIM;
  let threshold: number | null = null;
  for (const m of opts.methods) {
    const config = m === 'shards' ? opts.shards : m === 'minisim' ? minisim : null;
    if (config === null || config.mode !== 'fixed-rate') return null;
    const t = fixedRateThreshold(config.rate);
    if (threshold !== null && t !== threshold) return null;
    threshold = t;
  }
  return threshold;
}

/** Progress is the source's own (a trace reader reports bytes read); `control` cancels. */
export async function computeMrcReport(
  source: ChunkSource,
  opts: MrcJobOptions,
  control?: RunControl,
): Promise<MrcReport> {
  const want = new Set(opts.methods);
  const needsVm = want.has('hypervisor') || want.has('esx');
  const v = opts.guestPages ?? 0;
  const c = opts.hvPages ?? 0;
  const g = opts.ghostPages ?? 0;
  if (needsVm && opts.guestPages === undefined)
    throw new Error('the hypervisor and esx methods need the guest memory size V (guestPages)');

  const shards = want.has('shards') ? new ShardsMrc(opts.shards, opts.warmup) : null;
  const sims = new PolicyCurves({
    methods: want,
    policy: opts.policy,
    sizes: opts.sizes,
    minisim: opts.minisim ?? DEFAULT_MINISIM,
    warmup: opts.warmup,
  });
  let exact: ExactMrcInWorker | null = null;
  try {
    // The exact MRC runs in a worker thread beside the read (its pass costs about three reads);
    // started after everything that may refuse the options, and always stopped below.
    if (want.has('exact')) exact = new ExactMrcInWorker(opts.warmup);
    return await passAndReport();
  } catch (err) {
    await sims.dispose();
    throw err;
  } finally {
    await exact?.terminate();
  }

  async function passAndReport(): Promise<MrcReport> {
    let refs = 0;
    let distinct = 0;
    let readerSampled = false;
    // Every method sees the same chunks in the same single pass.
    async function* tee(): AsyncGenerator<RefChunk> {
      for await (const chunk of source as AsyncIterable<RefChunk>) {
        await checkpoint(control);
        // Direct-I/O writes are not references of guest memory.
        const guestRefs = guestReferences(chunk);
        const toExact = exact?.feed(guestRefs);
        toExact?.catch(() => undefined); // awaited below; handled if a feed below throws first
        shards?.feed(guestRefs);
        sims.feed(guestRefs);
        const pages = guestRefs.pages;
        for (let i = 0; i < guestRefs.length; i++)
          if (pages[i] >= distinct) distinct = pages[i] + 1;
        refs += chunk.represents ?? guestRefs.length;
        if (chunk.represents !== undefined) readerSampled = true;
        await toExact;
        yield chunk;
        // Only the VM simulation might still hold a chunk once it asks for the next.
        if (!needsVm) releaseChunk(chunk);
      }
    }

    const curves = new Map<MrcMethod, MissCurve>();
    const report: Partial<MrcReport> = {};
    if (needsVm) {
      const vm = await simulateVm(
        vmMemoryConfig({
          guestPages: v,
          policy: opts.policy,
          warmup: opts.warmup,
          untimedRate: opts.untimedRate,
          hypervisor: {
            pages: c,
            ghostPages: g,
            admissionFailure: opts.admissionFailure ?? 0,
            seed: opts.admissionSeed ?? VM_DEFAULTS.admissionSeed,
            forgetFailed: opts.forgetFailed ?? false,
          },
        }),
        tee(),
        {
          recorders: {
            hypervisor: want.has('hypervisor'),
            esx: want.has('esx') ? opts.esx : false,
          },
          control: { signal: control?.signal },
        },
      );
      const hv = vm.curves.hypervisor;
      if (hv !== undefined) {
        curves.set('hypervisor', hv);
        report.hypervisor = {
          guestPages: v,
          hvPages: c,
          ghostPages: g,
          lookups: hv.lookups,
          elapsedSeconds: hv.elapsedSeconds,
          missRatePerSecond: [v, v + c, v + c + g].map((size) => ({
            size,
            rate: finiteOrNull(hv.missRateAt(size)),
          })),
          referencesFromSimulator: true,
        };
      }
      if (vm.esx !== undefined) {
        curves.set('esx', vm.esx.curve);
        report.esx = esxReport(vm.esx);
      }
    } else {
      for await (const _ of tee()) {
        // The tee feeds the methods.
      }
    }
    if (exact !== null) curves.set('exact', (await exact.finish()).curve);
    if (shards !== null) {
      curves.set('shards', shards.curve());
      report.shards = { rate: shards.currentRate, sampledReferences: shards.sampledReferences };
    }

    // Sampled by the reader: the sampled pages stand for 1/R pages each.
    if (readerSampled) {
      const threshold = readerSamplingThreshold(opts);
      if (threshold === null)
        throw new Error('reader-sampled chunks need SHARDS or minisim alone, at one fixed rate');
      distinct = Math.round((distinct * SHARDS_MODULUS) / threshold);
    }
    const allocationPoints = needsVm ? [v, v + c, v + c + g] : [];
    const sizes =
      opts.sizes !== undefined ? [...opts.sizes] : defaultSizes(distinct, allocationPoints);
    const simulated = await sims.finish(sizes, control);
    for (const [m, curve] of simulated.curves) curves.set(m, curve);
    if (simulated.minisim !== undefined) report.minisim = simulated.minisim;
    const truth = truthMethod(opts.policy, curves);
    const reports = reportCurves(opts.methods, curves, sizes, allocationPoints, truth);
    return {
      references: refs,
      distinctPages: distinct,
      sizes,
      curves: reports,
      ...report,
      policy: opts.policy,
      truth,
    };
  }
}

/**
 * The true curve for a guest policy: `exact` (Mattson) for LRU, where `policy` equals it, and
 * the policy's own simulated curve otherwise; `exact` when that was not computed.
 */
export function truthMethod(
  policy: PolicyName,
  curves: ReadonlyMap<MrcMethod, MissCurve>,
): MrcMethod | null {
  if (policy !== 'lru' && curves.has('policy')) return 'policy';
  if (curves.has('exact')) return 'exact';
  if (curves.has('policy')) return 'policy';
  return null;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Samples each method's curve at `sizes` and compares it with the truth (`exact` unless told
 * otherwise, when present): MAE over every size where both are defined, and the error at the
 * allocation points. `esx` is sampled
 * (its step, for the chart) but not compared: its one defined value, the misses at A, equals the
 * exact curve's by construction; it is scored against the working set ({@link EsxScore}).
 */
export function reportCurves(
  methods: readonly MrcMethod[],
  curves: ReadonlyMap<MrcMethod, MissCurve>,
  sizes: readonly number[],
  allocationPoints: readonly number[],
  truth: MrcMethod | null = 'exact',
): CurveReport[] {
  const exactCurve = truth === null ? undefined : curves.get(truth);
  const reports: CurveReport[] = [];
  for (const method of methods) {
    const curve = curves.get(method);
    if (curve === undefined) continue;
    const misses = sizes.map((s) => finiteOrNull(curve.missesAt(s)));
    const compare = exactCurve !== undefined && method !== truth && method !== 'esx';
    const mae = compare ? meanAbsoluteError(curve, exactCurve) : null;
    const scored = mae !== null && mae.sizesCompared > 0 && Number.isFinite(mae.mae);
    reports.push({
      method,
      minSize: curve.minSize,
      maxSize: Number.isFinite(curve.maxSize) ? curve.maxSize : null,
      references: curve.references,
      sizes: [...sizes],
      misses,
      missRatio: misses.map((m) =>
        m === null || curve.references === 0 ? null : m / curve.references,
      ),
      mae: scored ? mae.mae : null,
      maeSizesCompared: scored ? mae.sizesCompared : 0,
      maeSizeRange: scored ? { first: mae.firstSize, last: mae.lastSize } : null,
      maeAgainst: compare ? truth : null,
      errorAtAllocation:
        compare && allocationPoints.length > 0 ? errorAt(curve, exactCurve, allocationPoints) : [],
    });
  }
  return reports;
}
