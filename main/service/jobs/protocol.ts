/** Messages between the job runner and its worker threads (one worker per heavy API call). */
import type { AllocRequest } from '../../../shared/api/alloc.js';
import type { CrashRequest } from '../../../shared/api/crash.js';

/** A heavy API call to run off the event loop, on the project file at `project`. */
export type JobRequest =
  | { kind: 'alloc'; project: string; params: AllocParams }
  | { kind: 'crash'; project: string; readOnly: boolean; params: CrashParams };

export type AllocParams = Parameters<typeof import('../api/alloc.js').computeAllocation>[1];
export type CrashParams = import('../api/crash.js').CrashTask['params'];

/** Progress of the job's current step (see job-progress.ts). */
export interface JobProgressMessage {
  type: 'progress';
  /** Of the step named by `what`; null when its length is unknown. */
  percent: number | null;
  etaSeconds: number | null;
  what: string;
}

export type FromJob =
  | { type: 'done'; result: unknown }
  | JobProgressMessage
  /** `code`: an ApiError's code; `name`: the error class (TraceInputError, LimitError, …). */
  | {
      type: 'error';
      name: string;
      code?: string;
      message: string;
      /** A TraceInputError's parts (so the main thread can rebuild it). */
      trace?: { file: string; location: string; expected: string; got?: string };
    };

export type { AllocRequest, CrashRequest };
