/** Sweeps gathered into the open project (`hclab sweep collect`): listing and plotting slices. */
import { z } from 'zod';
import { MRC_METHODS, POLICY_NAMES } from '../schema/defaults.js';

export const SweepSummarySchema = z.object({
  name: z.string(),
  /** The run that holds the sweep's results (one step per task). */
  runId: z.number().int(),
  /** The sweep directory it was collected from. */
  dir: z.string(),
  tasks: z.number().int(),
  /** Tasks with a result in the project. */
  done: z.number().int(),
  methods: z.array(z.enum(MRC_METHODS)),
  /** Allocation and crash analyses collected from the sweep (stored analyses of its run). */
  allocAnalyses: z.number().int(),
  crashAnalyses: z.number().int(),
});
export type SweepSummary = z.infer<typeof SweepSummarySchema>;

/** A curve's miss ratio at the task's allocation points (null: the method cannot tell). */
export const SweepPointSchema = z.object({
  method: z.enum(MRC_METHODS),
  /** V, V + C, V + C + G. */
  atV: z.number().nullable(),
  atVC: z.number().nullable(),
  atVCG: z.number().nullable(),
});

export const SweepTaskRowSchema = z.object({
  id: z.string(),
  /** The trace (relative to the sweep file) or the workload spec. */
  source: z.string(),
  policy: z.enum(POLICY_NAMES),
  guestPages: z.number().int(),
  hvPages: z.number().int(),
  ghostPages: z.number().int(),
  seed: z.number().int(),
  done: z.boolean(),
  references: z.number().nullable(),
  /**
   * The simulation's own miss ratios under the task's guest policy: guest misses / references
   * (at V) and disk reads / references (at V + C). Null without a result.
   */
  simulated: z.object({ atV: z.number().nullable(), atVC: z.number().nullable() }),
  points: z.array(SweepPointSchema),
});
export type SweepTaskRow = z.infer<typeof SweepTaskRowSchema>;

export const SweepDetailSchema = SweepSummarySchema.extend({
  rows: z.array(SweepTaskRowSchema),
});
export type SweepDetail = z.infer<typeof SweepDetailSchema>;
