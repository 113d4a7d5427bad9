/** One VM of an experiment: its workload, memory (V guest + C hypervisor cache + G ghost),
 * policies, costs and allocation parameters. */
import { z } from 'zod';
import {
  COST_DEFAULTS,
  POLICY_NAMES,
  VM_DEFAULTS,
  WRITEBACK_DEFAULTS,
  WRITEBACK_MODES,
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
  positiveNumber,
} from './fields.js';
import { TraceSourceSchema } from './trace.js';
import { WORKLOAD_KINDS, WorkloadSpecSchema } from './workload.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A generator spec (`{kind: 'zipf', ...}`), a preset (`{preset: 'tpcc', ...}`, kind added) or a
 * trace (`{trace: 'file', ...}`, kind 'trace' added).
 */
export const VmWorkloadSchema = z.preprocess(
  (v) => {
    if (!isRecord(v) || 'kind' in v) return v;
    if ('trace' in v) return { kind: 'trace', ...v };
    if ('preset' in v) return { kind: 'preset', ...v };
    return v;
  },
  z.discriminatedUnion('kind', [WorkloadSpecSchema, TraceSourceSchema], {
    error: (issue) =>
      isRecord(issue.input) && 'kind' in issue.input
        ? `expected a workload kind, one of ${[...WORKLOAD_KINDS, 'trace'].map((k) => `'${k}'`).join(', ')}`
        : "expected a workload: {kind: 'zipf' | 'uniform' | …}, {preset: NAME, …} or {trace: PATH, …}",
  }),
);
export type VmWorkload = z.infer<typeof VmWorkloadSchema>;

export const WritebackSchema = z.strictObject({
  /** `delayed`: a flusher every `interval` s writes pages dirty for longer than `dirtyExpire` s. */
  mode: oneOf(WRITEBACK_MODES).default(WRITEBACK_DEFAULTS.mode),
  dirtyExpire: nonNegativeNumber().default(WRITEBACK_DEFAULTS.dirtyExpire),
  interval: positiveNumber().default(WRITEBACK_DEFAULTS.interval),
});

/** Costs in microseconds. */
export const CostsSchema = z.strictObject({
  /** CPU time of the application per page reference. */
  cpuUs: nonNegativeNumber().default(COST_DEFAULTS.cpuUs),
  /** A reference to a page resident in guest memory. */
  guestHitUs: nonNegativeNumber().default(COST_DEFAULTS.guestHitUs),
  /** A hypervisor-cache hit: hypercall + page copy (or remap). */
  hitUs: nonNegativeNumber().default(COST_DEFAULTS.hitUs),
  /** A put into the hypervisor cache: hypercall + page copy. */
  putUs: nonNegativeNumber().default(COST_DEFAULTS.putUs),
  diskReadUs: nonNegativeNumber().default(COST_DEFAULTS.diskReadUs),
  diskWriteUs: nonNegativeNumber().default(COST_DEFAULTS.diskWriteUs),
  /** A sequential 4 KiB write (log append). */
  seqWriteUs: nonNegativeNumber().default(COST_DEFAULTS.seqWriteUs),
  /** Share of dirty-page eviction writebacks the application waits for (0: asynchronous). */
  evictionWait: fraction().default(COST_DEFAULTS.evictionWait),
  /** A write-protect fault (first write to a clean page, seen by the hypervisor). */
  wpFaultUs: nonNegativeNumber().default(COST_DEFAULTS.wpFaultUs),
});

const INFINITY_WORDS = new Set(['inf', 'infinity', 'Infinity', '.inf']);

/** α ≥ 0, or "inf" (YAML `.inf`) for no isolation constraint (pure global optimum). */
const toleranceSchema = z.preprocess(
  (v) => (typeof v === 'string' && INFINITY_WORDS.has(v) ? Number.POSITIVE_INFINITY : v),
  z.custom<number>((v) => typeof v === 'number' && v >= 0, {
    error: "expected a number ≥ 0, or 'inf' for no isolation constraint",
  }),
);

export const VmSchema = z
  .strictObject({
    name: nameString(),
    workload: VmWorkloadSchema,
    /** V: pages of guest memory. */
    guestPages: pageCount().default(VM_DEFAULTS.guestPages),
    /** C: pages of the VM's memory managed by the hypervisor as an exclusive cache. */
    hvPages: nonNegativeInt().default(VM_DEFAULTS.hvPages),
    /** G: ghost entries (ids of pages evicted from the hypervisor cache). */
    ghostPages: nonNegativeInt().default(VM_DEFAULTS.ghostPages),
    /** Guest page replacement policy. */
    policy: oneOf(POLICY_NAMES).default(VM_DEFAULTS.policy),
    /** lru2: share of guest memory the active list may hold. */
    activeFraction: positiveFraction().default(VM_DEFAULTS.activeFraction),
    writeback: WritebackSchema.prefault({}),
    /** Probability that an evicted clean page cannot be proven to match storage. */
    admissionFailure: fraction().default(VM_DEFAULTS.admissionFailure),
    /** Seed of admission failures. */
    admissionSeed: anyInt().default(VM_DEFAULTS.admissionSeed),
    /** The naive hypervisor: forget pages whose admission failed (no id-only entry), so its
     * MRC is no longer exact. */
    hvForgetFailed: flag().default(VM_DEFAULTS.hvForgetFailed),
    costs: CostsSchema.prefault({}),
    /** Allocation: weight w of this VM's misses. */
    weight: positiveNumber().default(VM_DEFAULTS.weight),
    /** ESX allocation: shares S of this VM (proportional-share entitlement; not the weight). */
    shares: positiveNumber().default(VM_DEFAULTS.shares),
    /** Allocation: tolerance α (misses may grow to (1 + α)× those at the baseline). */
    tolerance: toleranceSchema.default(VM_DEFAULTS.tolerance),
    /** Allocation: baseline b (pages); omitted: an equal share of host memory. */
    baselinePages: pageCount().optional(),
    /** Allocation bounds (pages). */
    minPages: nonNegativeInt().optional(),
    maxPages: pageCount().optional(),
    /** References per second of VM time for untimed workloads. */
    untimedRate: positiveNumber().default(VM_DEFAULTS.untimedRate),
    /** References at the start that warm the caches but are not counted. */
    warmup: nonNegativeInt().default(VM_DEFAULTS.warmup),
  })
  .superRefine((vm, ctx) => {
    if (vm.minPages !== undefined && vm.maxPages !== undefined && vm.minPages > vm.maxPages)
      ctx.addIssue({
        code: 'custom',
        path: ['maxPages'],
        message: `expected maxPages ≥ minPages (${vm.minPages})`,
        input: vm.maxPages,
      });
  });

export type VmSpec = z.infer<typeof VmSchema>;
export type VmSpecInput = z.input<typeof VmSchema>;
