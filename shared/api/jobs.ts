/**
 * Progress and cancel for heavy calls that answer with their result (alloc.compute): the caller
 * names the call with a `jobId` of its own choosing, receives `job.progress` events carrying that
 * id while the call computes in a worker thread, and may `job.cancel` it: the worker is stopped and
 * the call rejects with CANCELLED. A client-chosen id (rather than one the server returns) is
 * known before the call is sent, so the first progress event and an early cancel cannot be missed.
 */
import { z } from 'zod';

/** 1–64 letters, digits, `.`, `_` or `-`; unique among the jobs running in one service. */
export const JobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1 to 64 letters, digits, ".", "_" or "-"');

export const JobProgressSchema = z.object({
  jobId: z.string(),
  /** Percent (0–100) of the step named by `what`; null when its length is unknown. */
  percent: z.number().nullable(),
  /** Seconds left in that step, from its rate so far; null until it can be estimated. */
  etaSeconds: z.number().nullable(),
  /** The step being computed, e.g. "exact DP" or "re-simulating web at 1,024 pages". */
  what: z.string(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;
