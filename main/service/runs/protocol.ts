/** Messages between the run manager and its worker threads. */
import type { CrashReport } from '../../../shared/api/crash.js';
import type { VmRunResult } from '../../../shared/api/entities.js';
import type { CrashTask } from '../api/crash.js';
import type { StepTask } from './step.js';

export type ToWorker =
  | { type: 'step'; taskId: number; task: StepTask }
  /** A crash analysis; the hv-log log goes to `projectFile` (null: a temporary file). */
  | { type: 'crash'; taskId: number; task: CrashTask; projectFile: string | null }
  | { type: 'cancel'; taskId: number };

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
  | { type: 'crash-done'; taskId: number; report: CrashReport }
  | { type: 'error'; taskId: number; cancelled: boolean; message: string };
