/**
 * crash.*: Monte Carlo crash injection on a VM's workload (DESIGN.md §2 Crash model). The
 * workload is simulated once ({@link recordTimeline}), then every crash time is evaluated
 * against that timeline for each strategy; hv-log keeps its log in the project file (a
 * temporary SQLite file when there is no writable project) and replays it from there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { CrashReport, CrashRequestSchema } from '../../../shared/api/crash.js';
import type { TraceReadOptionsDto } from '../../../shared/api/trace-options.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { VmSpec } from '../../../shared/schema/index.js';
import type { RunControl } from '../../engine/control.js';
import {
  evaluateCrashes,
  recordTimeline,
  type CrashOptions,
  type CrashResult,
  type TimelineConfig,
} from '../../engine/crash/index.js';
import type { ChunkSource } from '../../engine/host.js';
import type { RefChunk } from '../../engine/trace/chunk.js';
import type { ProjectStore } from '../../store/project-store.js';
import { openTemporaryCrashLog, SqliteCrashLog } from '../../store/crash-log.js';
import { embeddedTraceId } from '../../store/repositories.js';
import { workloadSource } from '../experiment-runner.js';
import { keepAnalysis } from './analyses.js';
import type { Handlers } from './context.js';

export interface CrashAnalysisInput {
  chunks: ChunkSource;
  timeline: TimelineConfig;
  options: Omit<CrashOptions, 'log'>;
  /** Name the log is kept under. */
  vmName: string;
  /** SQLite database that keeps the hv-log log (a project file); absent: a temporary file. */
  db?: Database.Database;
}

/** Simulates once, evaluates every crash; the hv-log log goes to SQLite and is read back. */
export async function runCrashAnalysis(
  input: CrashAnalysisInput,
  control?: RunControl,
): Promise<CrashResult> {
  const tl = await recordTimeline(input.chunks, input.timeline, control);
  if (!input.options.strategies.includes('hv-log')) return evaluateCrashes(tl, input.options);
  const flush = input.options.logFlushSeconds;
  if (input.db !== undefined) {
    const log = new SqliteCrashLog(input.db, input.vmName, flush);
    return evaluateCrashes(tl, { ...input.options, log });
  }
  const temp = openTemporaryCrashLog(input.vmName, flush);
  try {
    return evaluateCrashes(tl, { ...input.options, log: temp.log });
  } finally {
    temp.dispose();
  }
}

/** The API's report: per-strategy figures, the timeline and at most 200 crash times. */
export function crashReport(r: CrashResult): CrashReport {
  return {
    strategies: r.strategies.map((s) => ({
      name: s.name,
      trials: s.trials,
      meanPagesLost: s.meanPagesLost,
      ci95: s.ci95,
      maxPagesLost: s.maxPagesLost,
      meanBytesLost: s.meanBytesLost,
      fsyncedLost: s.fsyncedLost,
      detectedCorrupt: s.detectedCorrupt,
      undetectedCorrupt: s.undetectedCorrupt,
      wpFaults: s.wpFaults,
      runtimeCostSeconds: s.runtimeCostSeconds,
      recoverySeconds: s.recoverySeconds,
      extraDiskWrites: s.extraDiskWrites,
      lossWindowSeconds: s.lossWindowSeconds,
      ...(s.replay === undefined ? {} : { replay: s.replay }),
      memoryOverheadPages: s.memoryOverheadPages,
    })),
    assumptions: r.assumptions,
    timeline: r.timeline,
    crashTimes: r.crashTimes.slice(0, 200),
  };
}

/** Everything one crash analysis needs, plain data (it crosses into a worker thread). */
export interface CrashTask {
  vm: VmSpec;
  params: z.output<typeof CrashRequestSchema>;
  /** Folder relative trace paths are resolved against (the project file's folder). */
  baseDir: string;
  /** The VM's embedded trace when its workload is `embedded:ID`. */
  embedded?: { fileName: string; bytes: Uint8Array; options: TraceReadOptionsDto };
}

/** The task for a VM of the open project (its embedded trace read from the project). */
export function crashTaskOf(store: ProjectStore, params: CrashTask['params']): CrashTask {
  const stored = store.vms.byName(params.vmName);
  if (stored === undefined)
    throw new ApiError('NOT_FOUND', `vmName: no VM named '${params.vmName}' in the project`);
  const task: CrashTask = { vm: stored.vm, params, baseDir: path.dirname(store.path) };
  if (stored.vm.workload.kind === 'trace') {
    const id = embeddedTraceId(stored.vm.workload.trace);
    if (id !== null) task.embedded = store.traces.get(id);
  }
  return task;
}

/**
 * Simulates the VM's workload once and evaluates every crash; the hv-log log is kept in `db`
 * (the project file) or a temporary file. Progress: references simulated of those expected.
 */
export async function computeCrash(
  task: CrashTask,
  db: Database.Database | undefined,
  control?: RunControl,
): Promise<CrashReport> {
  const { params } = task;
  let vm = task.vm;
  let tempDir: string | null = null;
  try {
    if (task.embedded !== undefined && vm.workload.kind === 'trace') {
      tempDir = await mkdtemp(path.join(os.tmpdir(), 'hclab-crash-trace-'));
      const file = path.join(tempDir, path.basename(task.embedded.fileName) || 'trace');
      await writeFile(file, task.embedded.bytes);
      const { csv, ...options } = task.embedded.options;
      vm = {
        ...vm,
        workload: {
          ...options,
          ...(csv === undefined ? {} : { csv }),
          ...vm.workload,
          trace: file,
        } as VmSpec['workload'],
      };
    }
    const src = await workloadSource(vm, task.baseDir, 4096, control);
    const chunks = counted(src.chunks, src.expectedRefs, control);
    const result = await runCrashAnalysis(
      {
        chunks,
        vmName: vm.name,
        db,
        timeline: {
          guestPages: vm.guestPages,
          policy: vm.policy === 'opt' ? 'lru' : vm.policy,
          writeback: {
            dirtyExpire: params.dirtyExpire ?? vm.writeback.dirtyExpire,
            interval: params.writebackInterval ?? vm.writeback.interval,
          },
          untimedRate: vm.untimedRate,
        },
        options: {
          strategies: params.strategies,
          trials: params.trials,
          seed: params.seed,
          crashTimes: params.crashTimes,
          logFlushSeconds: params.logFlushMs / 1000,
          pCorrupt: params.pCorrupt,
          powerFailure: params.powerFailure,
          pageSize: 4096,
          costs: {
            diskWriteUs: params.diskWriteUs ?? vm.costs.diskWriteUs,
            seqWriteUs: params.seqWriteUs ?? vm.costs.seqWriteUs,
            wpFaultUs: params.wpFaultUs ?? vm.costs.wpFaultUs,
          },
        },
      },
      control,
    );
    return crashReport(result);
  } finally {
    if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
  }
}

/** Passes chunks through, reporting references seen of those expected. */
async function* counted(
  source: ChunkSource,
  expected: number | undefined,
  control: RunControl | undefined,
): AsyncGenerator<RefChunk> {
  let seen = 0;
  for await (const chunk of source as AsyncIterable<RefChunk>) {
    seen += chunk.length;
    control?.onProgress?.(seen, expected);
    yield chunk;
  }
}

/** The stored analysis's title: the VM, the crashes and the strategies. */
export function crashTitle(params: CrashTask['params']): string {
  return (
    `VM ${params.vmName}: ${params.crashTimes === undefined ? `${params.trials} trials` : `${params.crashTimes.length} crash time(s)`}` +
    `${params.powerFailure ? ', host power failure' : ''}, ${params.strategies.join(' / ')}`
  );
}

export const crashHandlers: Handlers<'crash.run' | 'crash.start'> = {
  'crash.start': (params, ctx) => {
    const summary = ctx.crashes().start(params);
    ctx.changed('analyses');
    return summary;
  },
  'crash.run': async ({ jobId, ...params }, ctx) => {
    const store = ctx.store();
    const task = crashTaskOf(store, params);
    // Computed in a job worker: the event loop stays free (other calls, signals). With a jobId,
    // its progress is sent as job.progress events and job.cancel stops it.
    const report = await ctx.jobs.run<CrashReport>(
      { kind: 'crash', project: store.path, readOnly: store.readOnly, params },
      jobId === undefined
        ? {}
        : {
            id: jobId,
            onProgress: (p) => ctx.emit({ event: 'job.progress', payload: { jobId, ...p } }),
          },
    );
    return keepAnalysis(store, ctx, {
      kind: 'crash',
      title: crashTitle(params),
      runId: null,
      vmName: task.vm.name,
      params,
      vm: task.vm,
      report,
    });
  },
};
