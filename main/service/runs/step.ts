/**
 * One step of a run: one VM simulated alone (each VM has its own guest memory and hypervisor
 * cache, and results are deterministic by seed, so a step recomputed after a crash gives the
 * same result). Runs inside a worker thread.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { VmRunResult } from '../../../shared/api/entities.js';
import type { TraceReadOptionsDto } from '../../../shared/api/trace-options.js';
import type { Experiment } from '../../../shared/schema/experiment.js';
import type { RunControl } from '../../engine/control.js';
import { runExperiment } from '../experiment-runner.js';
import { hclabVersion, sha256Bytes, sha256File, type Provenance } from '../provenance.js';

export interface StepTask {
  /** A one-VM experiment. */
  experiment: Experiment;
  /** Directory relative trace paths are resolved against (the project file's folder). */
  baseDir: string;
  /** The VM's embedded trace when its workload is `embedded:ID`. */
  embedded?: { fileName: string; bytes: Uint8Array; options: TraceReadOptionsDto };
}

/** Plain JSON (NaN and undefined dropped to null/absent) as stored and sent over the API. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export async function runStep(task: StepTask, control: RunControl): Promise<VmRunResult> {
  let experiment = task.experiment;
  let tempDir: string | null = null;
  try {
    const vm = experiment.vms[0];
    const provenance: Provenance = { hclabVersion: hclabVersion() };
    if (vm.workload.kind === 'trace') {
      provenance.trace =
        task.embedded !== undefined
          ? {
              path: vm.workload.trace,
              fileName: task.embedded.fileName,
              bytes: task.embedded.bytes.length,
              sha256: sha256Bytes(task.embedded.bytes),
            }
          : {
              path: vm.workload.trace,
              ...(await sha256File(path.resolve(task.baseDir, vm.workload.trace))),
            };
    }
    if (task.embedded !== undefined && vm.workload.kind === 'trace') {
      // The engine reads traces from files: give the embedded bytes a private file with the
      // original name (the format may be detected from it).
      tempDir = await mkdtemp(path.join(os.tmpdir(), 'hclab-trace-'));
      const file = path.join(tempDir, path.basename(task.embedded.fileName) || 'trace');
      await writeFile(file, task.embedded.bytes);
      const { csv, ...options } = task.embedded.options;
      const workload = {
        ...options,
        ...(csv === undefined ? {} : { csv }),
        ...vm.workload,
        trace: file,
      };
      experiment = { ...experiment, vms: [{ ...vm, workload }] };
    }
    const result = await runExperiment(experiment, task.baseDir, control);
    const r = result.vms[0];
    return plain({
      name: r.name,
      stats: r.stats,
      curves: r.curves,
      esx: r.esx,
      provenance,
    }) as unknown as VmRunResult;
  } finally {
    if (tempDir !== null) await rm(tempDir, { recursive: true, force: true });
  }
}
