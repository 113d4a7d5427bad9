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
  /** Dirty (acknowledged, not durable) pages over time, at most 1000 points. */
  timeline: z.object({ times: z.array(z.number()), dirtyPages: z.array(z.number()) }),
  /** Crash times (at most 200 shown). */
  crashTimes: z.array(z.number()),
  /** The stored analysis holding this report (absent when the project is read-only). */
  analysisId: z.number().int().optional(),
});
export type CrashReport = z.infer<typeof CrashReportSchema>;
