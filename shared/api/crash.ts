/**
 * Crash recovery of delayed writes (DESIGN.md §2 Crash model): request and report schemas of
 * `crash.run`.
 */
import { z } from 'zod';

export const CRASH_STRATEGY_NAMES = ['os-delayed', 'write-through', 'hv-rescue', 'hv-log'] as const;
export const CrashStrategySchema = z.enum(CRASH_STRATEGY_NAMES);

export const CrashRequestSchema = z.object({
  /** The VM (by name) of the open project whose workload is replayed. */
  vmName: z.string().min(1),
  strategies: z
    .array(CrashStrategySchema)
    .min(1)
    .default([...CRASH_STRATEGY_NAMES]),
  /** Monte Carlo trials (crash times of a Poisson process over the workload). */
  trials: z.number().int().min(1).max(100_000).default(200),
  seed: z.number().int().default(1),
  /** Delayed writeback (s); default: the VM's own settings. */
  dirtyExpire: z.number().min(0).optional(),
  writebackInterval: z.number().positive().optional(),
  /** Δ: hv-log flush interval (ms). */
  logFlushMs: z.number().positive().default(100),
  /** hv-rescue: probability that a rescued page was damaged by the crash. */
  pCorrupt: z.number().min(0).max(1).default(0),
  /** The crash is a host power failure (the hypervisor goes down too). */
  powerFailure: z.boolean().default(false),
  /** Times (µs); default: the VM's costs. */
  diskWriteUs: z.number().min(0).optional(),
  seqWriteUs: z.number().min(0).optional(),
  wpFaultUs: z.number().min(0).optional(),
  /** Explicit crash times (s of VM time) instead of the Poisson process. */
  crashTimes: z.array(z.number().min(0)).min(1).max(100_000).optional(),
});
export type CrashRequest = z.input<typeof CrashRequestSchema>;

export const CrashStrategyReportSchema = z.object({
  name: CrashStrategySchema,
  trials: z.number().int(),
  meanPagesLost: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  maxPagesLost: z.number(),
  meanBytesLost: z.number(),
  /** fsync'd writes lost (always 0: checked). */
  fsyncedLost: z.number().int(),
  /** Mean pages per crash found corrupt by checksum and discarded (hv-rescue). */
  detectedCorrupt: z.number(),
  /** Mean pages per crash damaged before their checksum was taken, written corrupt (hv-rescue).
   * This and the next three are absent in reports stored before they existed. */
  undetectedCorrupt: z.number().optional(),
  /** hv-rescue: write-protect faults over the run. */
  wpFaults: z.number().optional(),
  /** Extra time during normal operation (s). */
  runtimeCostSeconds: z.number().optional(),
  /** Mean recovery time after a crash (s). */
  recoverySeconds: z.number().optional(),
  extraDiskWrites: z.number(),
  /** Age of the oldest lost write, largest over the trials (s). */
  lossWindowSeconds: z.number(),
  /** hv-log: mean records, bytes and modelled seconds of one replay. */
  replay: z.object({ records: z.number(), bytes: z.number(), seconds: z.number() }).optional(),
  memoryOverheadPages: z.number(),
});
export type CrashStrategyReport = z.infer<typeof CrashStrategyReportSchema>;

export const CrashReportSchema = z.object({
  strategies: z.array(CrashStrategyReportSchema),
  /** The model's assumptions, in words. */
  assumptions: z.array(z.string()).optional(),
  /** Dirty (acknowledged, not durable) pages over time, at most 1000 points. */
  timeline: z.object({ times: z.array(z.number()), dirtyPages: z.array(z.number()) }),
  /** Crash times (at most 200 shown). */
  crashTimes: z.array(z.number()),
  /** The stored analysis holding this report (absent when the project is read-only). */
  analysisId: z.number().int().optional(),
});
export type CrashReport = z.infer<typeof CrashReportSchema>;
