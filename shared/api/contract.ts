/**
 * THE API contract between the workbench window and main/: every method with its request and
 * response schema, and every event. Transports (in-process, web, Electron IPC) carry
 * `{ method, params }` → result | ApiError and push events; main/ validates every request where
 * it enters and the client validates every response. Nothing else crosses the boundary.
 */
import { z } from 'zod';
import { filePath } from '../schema/fields.js';
import { VmSchema } from '../schema/vm.js';
import { TraceReadOptionsSchema } from './trace-options.js';
import { AllocReportSchema, AllocRequestSchema } from './alloc.js';
import { CrashReportSchema, CrashRequestSchema } from './crash.js';
import { JobIdSchema, JobProgressSchema } from './jobs.js';
import { ANALYSIS_KINDS, AnalysisDetailSchema, AnalysisSummarySchema } from './analyses.js';
import { SweepDetailSchema, SweepSummarySchema } from './sweep.js';
import { ReportRequestSchema } from './report.js';
import { ReportExportSchema } from './report-export.js';
import {
  ExperimentConfigSchema,
  ProjectInfoSchema,
  RecentProjectSchema,
  RunDetailSchema,
  RunSummarySchema,
  StoredExperimentSchema,
  StoredVmSchema,
  TracePreviewSchema,
} from './entities.js';

const Empty = z.object({}).strict();
const Id = z.number().int().positive();
const Revision = z.number().int().positive();
const Ok = z.object({ ok: z.literal(true) });

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, doc: string) {
  return { params, result, doc };
}

export const CONTRACT = {
  'project.create': method(
    z.object({ path: filePath() }),
    ProjectInfoSchema,
    'Create a new project file and open it.',
  ),
  'project.open': method(
    z.object({ path: filePath(), readOnly: z.boolean().default(false) }),
    ProjectInfoSchema,
    'Open a project; LOCKED if another instance has it (retry with readOnly).',
  ),
  'project.saveAs': method(
    z.object({ path: filePath(), overwrite: z.boolean().default(false) }),
    ProjectInfoSchema,
    'Copy the open project to a new file and continue there. An existing file is never replaced, except an HCLab project with overwrite: true.',
  ),
  'project.close': method(Empty, Ok, 'Close the open project.'),
  'project.current': method(Empty, ProjectInfoSchema.nullable(), 'The open project, or null.'),
  'project.recent': method(
    Empty,
    z.array(RecentProjectSchema),
    'Recently opened projects, newest first.',
  ),

  'vm.list': method(Empty, z.array(StoredVmSchema), 'VMs of the open project.'),
  'vm.save': method(
    z.object({ id: Id.optional(), revision: Revision.optional(), vm: z.unknown() }),
    StoredVmSchema,
    'Create (no id) or update a VM; the VM is validated against the VM schema (autosaved). With the revision the edit started from, a save over a newer one is refused (CONFLICT). A rename is carried into the experiments that use the VM.',
  ),
  'vm.remove': method(
    z.object({ id: Id, removeFromExperiments: z.boolean().default(false) }),
    z.object({
      ok: z.literal(true),
      updatedExperiments: z.array(z.string()),
      deletedExperiments: z.array(z.string()),
    }),
    'Delete a VM. When experiments use it, refused (BAD_INPUT naming them) unless removeFromExperiments: then it is taken out of them and an experiment left without VMs is deleted (its runs are kept).',
  ),

  'experiment.list': method(
    Empty,
    z.array(StoredExperimentSchema),
    'Experiments of the open project.',
  ),
  'experiment.save': method(
    z.object({ id: Id.optional(), revision: Revision.optional(), experiment: z.unknown() }),
    StoredExperimentSchema,
    'Create (no id) or update an experiment (validated; every VM it names must exist, else BAD_INPUT naming it). With the revision the edit started from, a save over a newer one is refused (CONFLICT).',
  ),
  'experiment.remove': method(
    z.object({ id: Id }),
    Ok,
    'Delete an experiment (its runs and their results are kept).',
  ),

  'trace.inspect': method(
    z.object({ path: filePath(), options: TraceReadOptionsSchema.default({}) }),
    TracePreviewSchema,
    'Detect the format of a trace (a file path, or "embedded:ID"), preview its first records and compute its statistics.',
  ),
  'trace.embed': method(
    z.object({
      fileName: filePath(),
      contentBase64: z.string(),
      options: TraceReadOptionsSchema.default({}),
    }),
    z.object({ ref: z.string(), preview: TracePreviewSchema }),
    'Store a (small) trace inside the project file; returns its reference "embedded:ID" for a trace workload, with its preview. Bad traces are refused with a readable error naming the line.',
  ),
  'presets.list': method(
    Empty,
    z.array(z.object({ name: z.string(), title: z.string(), rationale: z.string() })),
    "Workload presets with the reasons they resemble the paper's workloads.",
  ),

  'run.start': method(
    z.object({ experimentId: Id }),
    RunSummarySchema,
    'Queue a run of an experiment.',
  ),
  'run.cancel': method(z.object({ runId: Id }), Ok, 'Cancel a queued or running run.'),
  'run.resume': method(
    z.object({ runId: Id }),
    RunSummarySchema,
    'Resume an interrupted run from its last checkpoint.',
  ),
  'run.remove': method(
    z.object({ runId: Id }),
    z.object({ ok: z.literal(true), stepsDeleted: z.number().int() }),
    'Delete a finished, failed, cancelled or interrupted run with its stored results and log (a queued or running run is refused: cancel it first).',
  ),
  'run.list': method(Empty, z.array(RunSummarySchema), 'Runs of the open project, newest first.'),
  'alloc.compute': method(
    AllocRequestSchema.extend({ jobId: JobIdSchema.optional() }),
    AllocReportSchema,
    "Allocate host memory across the VMs of a finished run from their MRCs (exact DP under isolation constraints) and the ESX allocator, and re-simulate each allocation. Computed in a worker thread; with a jobId of the caller's choosing it sends job.progress events and job.cancel stops it (the call then fails with CANCELLED).",
  ),
  'job.cancel': method(
    z.object({ jobId: JobIdSchema }),
    z.object({ ok: z.literal(true), cancelled: z.boolean() }),
    'Stop a running call started with this jobId (it fails with CANCELLED); cancelled: false when no such job is running (it has finished, or never started).',
  ),
  'crash.run': method(
    CrashRequestSchema.extend({ jobId: JobIdSchema.optional() }),
    CrashReportSchema,
    "Monte Carlo crash injection on a VM's workload: pages lost per recovery strategy, with confidence intervals. Computed in a worker thread; with a jobId of the caller's choosing it sends job.progress events and job.cancel stops it (the call then fails with CANCELLED). crash.start queues the same analysis instead.",
  ),
  'run.get': method(
    z.object({ runId: Id }),
    RunDetailSchema,
    'A run with its stored results and log, whatever its state: a cancelled, failed or interrupted run returns the results of the VMs it finished.',
  ),
  'analysis.list': method(
    z.object({ kind: z.enum(ANALYSIS_KINDS).optional() }),
    z.array(AnalysisSummarySchema),
    'Stored allocation and crash analyses of the open project (optionally of one kind), newest first.',
  ),
  'analysis.get': method(
    z.object({ id: Id }),
    AnalysisDetailSchema,
    'A stored analysis with the parameters it was made with and its report.',
  ),
  'analysis.remove': method(
    z.object({ id: Id }),
    Ok,
    'Delete a stored analysis (a queued or running one is cancelled first).',
  ),
  'crash.start': method(
    CrashRequestSchema,
    AnalysisSummarySchema,
    'Queue a crash analysis of a VM (the run queue: a worker thread, analysis.progress and analysis.state events); its report is stored in the project when done.',
  ),
  'analysis.cancel': method(z.object({ id: Id }), Ok, 'Cancel a queued or running crash analysis.'),
  'analysis.resume': method(
    z.object({ id: Id }),
    AnalysisSummarySchema,
    'Queue an interrupted, cancelled or failed crash analysis again (it restarts from the beginning: one simulation is one step).',
  ),
  'sweep.list': method(
    Empty,
    z.array(SweepSummarySchema),
    'Sweeps collected into the open project (hclab sweep collect), with their progress.',
  ),
  'sweep.get': method(
    z.object({ name: z.string().min(1) }),
    SweepDetailSchema,
    "A collected sweep: every task's grid coordinates and each method's miss ratio at V, V + C and V + C + G.",
  ),
  'report.export': method(
    ReportRequestSchema,
    ReportExportSchema,
    'A report of the open project (default: the latest run of each experiment, every stored analysis, every format) as one zip of every file, or the HTML alone (package: html). The PDF needs a printer from the host (Electron, or Chromium in web mode); without one a note says how to get it. BAD_INPUT naming an unknown run id, or when the file would exceed MAX_REPORT_BYTES (64 MiB).',
  ),
} as const;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
export type Result<M extends MethodName> = z.infer<Contract[M]['result']>;
export const METHOD_NAMES = Object.keys(CONTRACT) as MethodName[];

export const EVENTS = {
  'run.progress': z.object({
    runId: z.number().int(),
    percent: z.number(),
    etaSeconds: z.number().nullable(),
    stepsDone: z.number().int(),
    stepsTotal: z.number().int(),
  }),
  'run.state': RunSummarySchema,
  'analysis.progress': z.object({
    id: z.number().int(),
    /** null when the workload's length is unknown (a trace): then only `references` counts. */
    percent: z.number().nullable(),
    references: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  'analysis.state': AnalysisSummarySchema,
  /** A heavy call started with a jobId (alloc.compute) is computing: see ./jobs.ts. */
  'job.progress': JobProgressSchema,
  'project.changed': z.object({
    what: z.enum(['project', 'vms', 'experiments', 'runs', 'analyses']),
  }),
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;
export interface ApiEvent<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

/**
 * The link between a window and its service, as the window should show it: `online`; `offline`
 * (the server or main process went away: reconnecting, `attempt` so far); `stale-token` (a
 * server answers but refuses this page's token: the page belongs to an earlier server);
 * `no-token` (the page was opened without one).
 */
export interface ConnectionStatus {
  state: 'connecting' | 'online' | 'offline' | 'stale-token' | 'no-token';
  attempt: number;
  /** True on the first `online` after an `offline`: events may have been missed. */
  reconnected: boolean;
}

/** What every transport's client gives the renderer and the tests. */
export interface ApiClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Subscribe to all events; returns the unsubscribe function. */
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /** Subscribe to connection changes (transports that can lose their server). */
  onConnection?(listener: (s: ConnectionStatus) => void): () => void;
}

export { ExperimentConfigSchema, VmSchema };
