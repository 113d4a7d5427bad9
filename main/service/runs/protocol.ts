/** Messages between the run manager and its worker threads. */
import type { VmRunResult } from '../../../shared/api/entities.js';
import type { StepTask } from './step.js';

export type ToWorker =
  { type: 'step'; taskId: number; task: StepTask } | { type: 'cancel'; taskId: number };

export type FromWorker =
  | {
      type: 'progress';
      taskId: number;
      /** References simulated so far, and in all when known (generated workloads). */
      done: number;
      total: number | null;
      /** Share of the input trace file read so far (traces), else null. */
      input: number | null;
    }
  | { type: 'done'; taskId: number; result: VmRunResult }
  | { type: 'error'; taskId: number; cancelled: boolean; message: string };
