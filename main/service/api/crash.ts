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
import type { CrashReport } from '../../../shared/api/crash.js';
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
      extraDiskWrites: s.extraDiskWrites,
      lossWindowSeconds: s.lossWindowSeconds,
      ...(s.replay === undefined ? {} : { replay: s.replay }),
      memoryOverheadPages: s.memoryOverheadPages,
    })),
    timeline: r.timeline,
    crashTimes: r.crashTimes.slice(0, 200),
  };
}

export const crashHandlers: Handlers<'crash.run'> = {
  'crash.run': async (params, ctx) => {
    const store = ctx.store();
    const stored = store.vms.byName(params.vmName);
    if (stored === undefined)
      throw new ApiError('NOT_FOUND', `vmName: no VM named '${params.vmName}' in the project`);
    let vm: VmSpec = stored.vm;
    let tempDir: string | null = null;
    try {
      if (vm.workload.kind === 'trace') {
        const id = embeddedTraceId(vm.workload.trace);
        if (id !== null) {
          const embedded = store.traces.get(id);
          tempDir = await mkdtemp(path.join(os.tmpdir(), 'hclab-crash-trace-'));
          const file = path.join(tempDir, path.basename(embedded.fileName) || 'trace');
          await writeFile(file, embedded.bytes);
          const { csv, ...options } = embedded.options;
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
      }
      const src = await workloadSource(vm, path.dirname(store.path), 4096);
      const result = await runCrashAnalysis({
        chunks: src.chunks,
        vmName: vm.name,
        db: store.readOnly ? undefined : store.db,
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
        },
      });
      const title =
        `VM ${stored.vm.name}: ${params.crashTimes === undefined ? `${params.trials} trials` : `${params.crashTimes.length} crash time(s)`}` +
        `${params.powerFailure ? ', host power failure' : ''}, ${params.strategies.join(' / ')}`;
      return keepAnalysis(store, ctx, {
        kind: 'crash',
        title,
        runId: null,
        vmName: stored.vm.name,
        params,
        vm: stored.vm,
        report: crashReport(result),
      });
    } finally {
      if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
    }
  },
};
