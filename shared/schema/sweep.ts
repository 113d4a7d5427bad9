/**
 * A sweep file: a grid (the product of the lists) and/or an explicit list of single-VM runs over
 * traces or generated workloads × guest policies × V, C, G × seeds, computed with the same MRC
 * methods. `hclab sweep plan` expands it into self-contained tasks (main/sweep/plan.ts).
 *
 * Seeds: a task's seed is the ESX sampler's seed and the admission-failure seed, and the seed of
 * a generated workload that does not set its own.
 */
import { z } from 'zod';
import { CRASH_STRATEGY_NAMES } from '../api/crash.js';
import { DEFAULT_PAGE_SIZE, MRC_METHODS, POLICY_NAMES, VM_DEFAULTS } from './defaults.js';
import { AllocationSchema, EsxSchema, ShardsSchema } from './experiment.js';
import {
  anyInt,
  flag,
  fraction,
  nonEmptyString,
  nonNegativeInt,
  oneOf,
  pageCount,
  positiveInt,
  positiveNumber,
} from './fields.js';

/**
 * Traces: a path or glob (relative to the sweep file) and the reader's options; keys other than
 * those below are passed to the trace reader unchanged (as in an experiment's `{trace: …}`).
 */
export const SweepTraceSchema = z.looseObject({
  path: nonEmptyString(),
  format: nonEmptyString().optional(),
  split: flag().optional(),
  limit: positiveInt().optional(),
  skip: nonNegativeInt().optional(),
});
export type SweepTrace = z.infer<typeof SweepTraceSchema>;

/** A spec string (`zipf:pages=5000,refs=100000`) or an object (`{kind: zipf, …}`). */
export const SweepWorkloadSchema = z.union(
  [nonEmptyString(), z.record(z.string(), z.unknown(), { error: 'expected an object' })],
  { error: "expected a workload spec string ('zipf:pages=5000,refs=100000') or an object" },
);

function list<T extends z.ZodType>(item: T, what: string) {
  return z
    .array(item, { error: `expected a list of ${what}` })
    .min(1, { error: `expected at least one of ${what}` });
}

/** One explicit run: a trace or a workload, and any axis value (the grid's first otherwise). */
export const SweepRunSchema = z
  .strictObject({
    trace: SweepTraceSchema.optional(),
    workload: SweepWorkloadSchema.optional(),
    policy: oneOf(POLICY_NAMES).optional(),
    guestPages: pageCount().optional(),
    hvPages: nonNegativeInt().optional(),
    ghostPages: nonNegativeInt().optional(),
    seed: anyInt().optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.trace === undefined) === (r.workload === undefined))
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of trace or workload' });
  });
export type SweepRun = z.infer<typeof SweepRunSchema>;

/**
 * Crash analysis of every task (DESIGN.md §2 Crash model, as `hclab crash`): Monte Carlo crash
 * times over the task's workload under its guest policy and writeback; the task's seed seeds it.
 */
export const SweepCrashSchema = z.strictObject({
  strategies: list(oneOf(CRASH_STRATEGY_NAMES), 'crash recovery strategies').default([
    ...CRASH_STRATEGY_NAMES,
  ]),
  trials: positiveInt(100_000).default(200),
  /** Δ: hv-log flush interval (ms). */
  logFlushMs: positiveNumber().default(100),
  /** hv-rescue: probability that a rescued page was damaged by the crash. */
  pCorrupt: fraction().default(0),
  /** The crash is a host power failure (the hypervisor goes down too). */
  powerFailure: flag().default(false),
});
export type SweepCrash = z.infer<typeof SweepCrashSchema>;

export const SWEEP_ALLOC_METHODS = ['exact', 'hypervisor', 'esx'] as const;
export type SweepAllocMethod = (typeof SWEEP_ALLOC_METHODS)[number];

const INFINITY_WORDS = new Set(['inf', 'infinity', 'Infinity', '.inf']);

/** α ≥ 0, or 'inf' (YAML `.inf`): kept as 'inf' so that tasks stay plain JSON. */
const alphaSchema = z.preprocess(
  (v) =>
    (typeof v === 'string' && INFINITY_WORDS.has(v)) || v === Number.POSITIVE_INFINITY ? 'inf' : v,
  z.custom<number | 'inf'>(
    (v) => v === 'inf' || (typeof v === 'number' && Number.isFinite(v) && v >= 0),
    { error: "expected a tolerance α ≥ 0, or 'inf' for no isolation constraint" },
  ),
);

/**
 * Memory allocation across the grid's traces/workloads (DESIGN.md §2 Allocation, as
 * `hclab alloc`): for every combination of policy, V, C, G and seed, every memory size M and
 * every tolerance α, one task computes the curves of every trace/workload of the grid under that
 * combination and allocates M among them (the static DP over each method's curves; esx: the ESX
 * shares/idle-tax allocator). Explicit `runs` take no part.
 */
export const SweepAllocationSchema = z.strictObject({
  /** Host memory sizes M (pages), one allocation task each. */
  memory: list(pageCount(), 'host memory sizes M (pages)'),
  /** Tolerances α given to every VM (default: inf, the global optimum). */
  alpha: list(alphaSchema, "tolerances α (numbers ≥ 0 or 'inf')").default(['inf']),
  /** Curves (sources) allocated from (default: those of the sweep's methods that are sources). */
  methods: list(
    oneOf(SWEEP_ALLOC_METHODS),
    'allocation methods (exact, hypervisor, esx)',
  ).optional(),
  /** Only static allocation (one DP over whole-trace curves) is computed in a sweep. */
  mode: z
    .literal('static', {
      error:
        "expected 'static' (sweeps compute static allocations; use hclab alloc --online or --adaptive on a collected run)",
    })
    .default('static'),
  quantum: AllocationSchema.shape.quantum,
  tau: AllocationSchema.shape.tau,
  /** Re-simulate every allocation (default true, as hclab alloc). */
  resimulate: flag().default(true),
  bounds: AllocationSchema.shape.bounds,
  objective: AllocationSchema.shape.objective,
});
export type SweepAllocation = z.infer<typeof SweepAllocationSchema>;

export const SweepSchema = z
  .strictObject({
    name: nonEmptyString(),
    description: z.string({ error: 'expected a string' }).optional(),
    pageSize: positiveInt().default(DEFAULT_PAGE_SIZE),
    traces: list(SweepTraceSchema, 'traces ({path, format, …})').optional(),
    workloads: list(SweepWorkloadSchema, 'workloads').optional(),
    policies: list(oneOf(POLICY_NAMES), 'policies').default(['lru']),
    guestPages: list(pageCount(), 'guest memory sizes V (pages)').default([VM_DEFAULTS.guestPages]),
    hvPages: list(nonNegativeInt(), 'hypervisor cache sizes C (pages)').default([0]),
    ghostPages: list(nonNegativeInt(), 'ghost list sizes G (entries)').default([0]),
    methods: list(oneOf(MRC_METHODS), 'MRC methods').default(['exact']),
    seeds: list(anyInt(), 'seeds').default([1]),
    /** Explicit runs added after the grid. */
    runs: list(SweepRunSchema, 'runs').optional(),
    /** Sizes (pages) at which every curve is sampled; omitted: chosen per task. */
    sizes: list(nonNegativeInt(), 'sizes in pages').optional(),
    esx: EsxSchema.prefault({}),
    shards: ShardsSchema.prefault({}),
    /** References per second of VM time for untimed traces and workloads. */
    untimedRate: positiveNumber().default(VM_DEFAULTS.untimedRate),
    /** References at the start that warm the caches but are not counted. */
    warmup: nonNegativeInt().default(VM_DEFAULTS.warmup),
    admissionFailure: fraction().default(VM_DEFAULTS.admissionFailure),
    /** A crash analysis of every task besides its curves. */
    crash: SweepCrashSchema.optional(),
    /** Allocation tasks over the grid's traces/workloads (added after every other task). */
    allocation: SweepAllocationSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.traces === undefined && s.workloads === undefined && s.runs === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'expected traces, workloads (or both), or an explicit list of runs',
      });
    for (const key of [
      'policies',
      'guestPages',
      'hvPages',
      'ghostPages',
      'methods',
      'seeds',
    ] as const) {
      const values: readonly unknown[] = s[key];
      values.forEach((v, i) => {
        if (values.indexOf(v) !== i)
          ctx.addIssue({ code: 'custom', path: [key, i], message: `${String(v)} is listed twice` });
      });
    }
    const a = s.allocation;
    if (a === undefined) return;
    for (const key of ['memory', 'alpha'] as const) {
      const values: readonly unknown[] = a[key];
      values.forEach((v, i) => {
        if (values.indexOf(v) !== i)
          ctx.addIssue({
            code: 'custom',
            path: ['allocation', key, i],
            message: `${String(v)} is listed twice`,
          });
      });
    }
    const methods: readonly string[] = s.methods;
    if (a.methods === undefined) {
      if (!SWEEP_ALLOC_METHODS.some((m) => methods.includes(m)))
        ctx.addIssue({
          code: 'custom',
          path: ['allocation', 'methods'],
          message: `none of the sweep's methods (${methods.join(', ')}) is an allocation method: add exact, hypervisor or esx to methods`,
        });
    } else
      a.methods.forEach((m, i) => {
        if (!methods.includes(m))
          ctx.addIssue({
            code: 'custom',
            path: ['allocation', 'methods', i],
            message: `${m} needs the ${m} MRC method: add it to the sweep's methods (${methods.join(', ')})`,
          });
      });
  });

export type Sweep = z.infer<typeof SweepSchema>;
export type SweepInput = z.input<typeof SweepSchema>;
