/**
 * The study's project file: `<out>/paper-study.hclab` with the paper's experiments (their VMs
 * and settings), run by the run manager on worker threads exactly as `hclab run` runs them, so
 * the runs are stored results the report and the app show.
 */
import { existsSync, rmSync } from 'node:fs';
import type { ApiEvent } from '../../shared/api/contract.js';
import type { RunDetail } from '../../shared/api/entities.js';
import { CancelledError } from '../engine/control.js';
import { RunManager } from '../service/runs/run-manager.js';
import { asIoError } from '../store/io-errors.js';
import { ProjectStore } from '../store/project-store.js';
import type { PaperExperiment } from './paper-files.js';

/**
 * Creates the project. An existing file is replaced only with `force`, and only when it is an
 * HCLab project that no one has open (opening it takes its lock, or says who holds it): a
 * project open in the app, or a file that is not a project, is never deleted.
 */
export function createStudyProject(
  file: string,
  experiments: readonly PaperExperiment[],
  force: boolean,
): ProjectStore {
  if (force && existsSync(file)) {
    ProjectStore.open(file).close();
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
      rmSync(f, { force: true });
  }
  return ProjectStore.create(file, (building) => {
    for (const { experiment: exp } of experiments) {
      for (const vm of exp.vms) building.vms.save(vm);
      building.experiments.save({
        name: exp.name,
        vmNames: exp.vms.map((v) => v.name),
        methods: exp.methods,
        sizes: exp.sizes,
        esx: exp.esx,
        shards: exp.shards,
        minisim: exp.minisim,
        pageSize: exp.pageSize,
        allocation: exp.allocation,
      });
    }
  });
}

/**
 * Runs every experiment of the project once (one worker: the study's other stages and the
 * machine's other users share the cores) and returns the finished runs by experiment name.
 */
export async function runStudyExperiments(
  store: ProjectStore,
  signal: AbortSignal | undefined,
  onProgress: (fraction: number) => void,
): Promise<Map<string, RunDetail>> {
  const percent = new Map<number, number>();
  const onEvent = (e: ApiEvent): void => {
    if (e.event !== 'run.progress') return;
    const p = e.payload as { runId: number; percent: number };
    percent.set(p.runId, p.percent);
    let sum = 0;
    for (const v of percent.values()) sum += v;
    onProgress(sum / (100 * Math.max(1, ids.length)));
  };
  const manager = new RunManager(store, { workers: 1, onEvent });
  const ids: number[] = [];
  const onAbort = (): void => {
    for (const id of manager.activeRuns()) manager.cancel(id);
  };
  try {
    for (const exp of store.experiments.list()) ids.push(manager.start(exp.id).id);
    if (signal?.aborted === true) onAbort();
    signal?.addEventListener('abort', onAbort);
    await manager.whenIdle();
    signal?.removeEventListener('abort', onAbort);
    if (manager.storageError !== null) throw asIoError(manager.storageError, store.path);
  } finally {
    await manager.close();
  }
  if (signal?.aborted === true) throw new CancelledError();
  const runs = new Map<string, RunDetail>();
  for (const id of ids) {
    const run = store.runs.get(id);
    if (run.state !== 'done')
      throw new Error(`run ${run.id} (${run.experimentName}) ${run.state}: ${run.error ?? ''}`);
    runs.set(run.experimentName, run);
  }
  return runs;
}
