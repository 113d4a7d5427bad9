/** An experiment file: VMs, the MRC methods to run and their parameters. */
import { z } from 'zod';
import {
  DEFAULT_PAGE_SIZE,
  ESX_DEFAULTS,
  MRC_METHODS,
  SHARDS_DEFAULTS,
  DEFAULT_MRC_METHODS,
  MINISIM_DEFAULTS,
  SHARDS_MODES,
} from './defaults.js';
import {
  anyInt,
  flag,
  fraction,
  nameString,
  nonNegativeInt,
  nonNegativeNumber,
  oneOf,
  pageCount,
  positiveFraction,
  positiveInt,
  positiveNumber,
} from './fields.js';
import { VmSchema } from './vm.js';

/** ESX-style statistical sampling of active memory (Waldspurger, OSDI 2002). */
export const EsxSchema = z.strictObject({
  /** n: pages sampled per period. */
  samples: positiveInt().default(ESX_DEFAULTS.samples),
  /** Period in seconds of VM time (an untimed workload advances VM time at its `untimedRate`). */
  periodSeconds: positiveNumber().default(ESX_DEFAULTS.periodSeconds),
  /** Explicit override: periods of this many references instead of `periodSeconds`. */
  periodRefs: positiveInt().nullable().default(ESX_DEFAULTS.periodRefs),
  /** EWMA gains (weight of the newest sample) of the slow and fast averages. */
  fastGain: positiveFraction().default(ESX_DEFAULTS.fastGain),
  slowGain: positiveFraction().default(ESX_DEFAULTS.slowGain),
  /** Gain of the fast average's version that takes in the current period's samples. */
  currentGain: positiveFraction().default(ESX_DEFAULTS.currentGain),
  /** Updates of that version per period (0: no third average, ESX with two averages). */
  currentUpdates: nonNegativeInt(1000).default(ESX_DEFAULTS.currentUpdates),
  /** Scoring: ε, the relative tolerance on the misses at the allocation (0.05 = 5 %). */
  epsilon: nonNegativeNumber().default(ESX_DEFAULTS.epsilon),
  seed: anyInt().default(ESX_DEFAULTS.seed),
});

/** SHARDS spatially hashed sampling. */
export const ShardsSchema = z.strictObject({
  mode: oneOf(SHARDS_MODES).default(SHARDS_DEFAULTS.mode),
  /** Sampling rate R (fixed-rate; the starting rate for fixed-size). */
  rate: positiveFraction().default(SHARDS_DEFAULTS.rate),
  /** fixed-size: most sampled pages kept. */
  maxSamples: positiveInt().default(SHARDS_DEFAULTS.maxSamples),
});

export const ALLOC_BOUNDS = ['host', 'allocation'] as const;
export const ALLOC_OBJECTIVES = ['misses', 'rate'] as const;
export const ONLINE_CONTROLLERS = ['oracle', 'hypervisor', 'esx'] as const;

/** Online adaptive allocation (oracle, hypervisor-online and ESX controllers in one timeline). */
export const OnlineAllocationSchema = z.strictObject({
  /** Epoch length in seconds of VM time (default 30). */
  epochSeconds: positiveNumber().optional(),
  /** C/(V + C) of each DP allocation (default 0.75). */
  cacheShare: fraction()
    .refine((v) => v < 1, { error: 'expected a number in [0, 1)' })
    .optional(),
  /** Ghost entries per VM for the hypervisor controller (default M). */
  ghostPages: nonNegativeInt().optional(),
  /** h_e = decay·h_{e−1} + epoch_e (default 0). */
  decay: fraction().optional(),
  /** ESX sampling period in seconds of VM time (default: the experiment's). */
  esxPeriodSeconds: positiveNumber().optional(),
  controllers: z
    .array(oneOf(ONLINE_CONTROLLERS), { error: 'expected a list of oracle, hypervisor, esx' })
    .min(1, { error: 'expected at least one controller' })
    .optional(),
});

/** The minisim method: miniature caches of size·R pages over a spatially sampled stream. */
export const MinisimSchema = z.strictObject({
  /** fixed-rate: rate R throughout; fixed-size: at most maxSamples sampled pages, R falls. */
  mode: oneOf(SHARDS_MODES).default(MINISIM_DEFAULTS.mode),
  /** Sampling rate R (fixed-rate). */
  rate: positiveFraction().default(MINISIM_DEFAULTS.rate),
  /** fixed-size: most sampled pages tracked (the miniature caches shrink as R falls). */
  maxSamples: positiveInt().default(MINISIM_DEFAULTS.maxSamples),
});

/** Memory allocation across the VMs after each run (DESIGN.md §2 Allocation; `hclab run`). */
export const AllocationSchema = z.strictObject({
  /** Host memory M in pages. */
  memory: pageCount(),
  /** Quantum q in pages (default max(1, ⌈M/1000⌉)). */
  quantum: pageCount().optional(),
  /** ESX idle-memory tax τ in [0, 1) (default 0.75). */
  tau: fraction()
    .refine((v) => v < 1, { error: 'expected a number in [0, 1)' })
    .optional(),
  /** Allocation sources (default exact, hypervisor, esx). */
  sources: z
    .array(oneOf(['exact', 'hypervisor', 'esx'] as const), {
      error: 'expected a list of exact, hypervisor, esx',
    })
    .min(1, { error: 'expected at least one source' })
    .optional(),
  /** Re-simulate every allocation (default true). */
  resimulate: flag().optional(),
  /** Default max of a VM without maxPages, for the DP and ESX alike: host (M) or allocation (V + C). */
  bounds: oneOf(ALLOC_BOUNDS).optional(),
  /** DP objective: misses (default) or rate (misses per second of VM time). */
  objective: oneOf(ALLOC_OBJECTIVES).optional(),
  /** Also run online adaptive allocation over the run's VMs. */
  online: OnlineAllocationSchema.optional(),
});

function powerOfTwoPageSize() {
  const expected = 'expected a power of two of at least 512 (bytes)';
  return z
    .number({ error: expected })
    .int({ error: expected })
    .refine((v) => v >= 512 && (v & (v - 1)) === 0, { error: expected });
}

export const ExperimentSchema = z.strictObject({
  name: nameString(),
  description: z.string({ error: 'expected a string' }).optional(),
  /** Bytes per page. */
  pageSize: powerOfTwoPageSize().default(DEFAULT_PAGE_SIZE),
  vms: z
    .array(VmSchema, { error: 'expected a list of VMs' })
    .min(1, { error: 'expected at least one VM' })
    .superRefine(
      (vms, ctx) => {
        // Runs even when some VMs have other problems (`when`), so look at names defensively.
        const seen = new Map<string, number>();
        vms.forEach((vm: { name?: unknown }, i) => {
          if (typeof vm?.name !== 'string') return;
          const first = seen.get(vm.name);
          if (first === undefined) seen.set(vm.name, i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `VM names must be unique: '${vm.name}' is also the name of vms[${first}]`,
            });
        });
      },
      { when: (payload) => Array.isArray(payload.value) },
    ),
  /** MRC methods to run; an empty list simulates the VMs for their statistics only. */
  methods: z
    .array(oneOf(MRC_METHODS), { error: 'expected a list of MRC methods' })
    .superRefine((methods, ctx) => {
      methods.forEach((m, i) => {
        if (methods.indexOf(m) !== i)
          ctx.addIssue({ code: 'custom', path: [i], message: `'${m}' is listed twice` });
      });
    })
    .default(() => [...DEFAULT_MRC_METHODS]),
  /** Memory sizes (pages) at which curves are evaluated; omitted: chosen automatically. */
  sizes: z
    .array(pageCount(), { error: 'expected a list of sizes in pages' })
    .min(1, { error: 'expected at least one size' })
    .optional(),
  esx: EsxSchema.prefault({}),
  shards: ShardsSchema.prefault({}),
  minisim: MinisimSchema.prefault({}),
  allocation: AllocationSchema.optional(),
});

export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;
