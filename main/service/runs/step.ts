/**
 * One step of a run: one VM simulated alone (each VM has its own guest memory and hypervisor
 * cache, and results are deterministic by seed, so a step recomputed after a crash gives the
 * same result). Runs inside a worker thread.
 */
import path from 'node:path';
import type { VmRunResult } from '../../../shared/api/entities.js';
import type { TraceReadOptionsDto } from '../../../shared/api/trace-options.js';
import type { Experiment } from '../../../shared/schema/experiment.js';
import type { RunControl } from '../../engine/control.js';
import { runExperiment } from '../experiment-runner.js';
import { withTraceFile } from '../trace-file.js';
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
  const vm = task.experiment.vms[0];
  const embedded = task.embedded;
  const provenance: Provenance = { hclabVersion: hclabVersion() };
  if (vm.workload.kind === 'trace') {
    provenance.trace =
      embedded !== undefined
        ? {
            path: vm.workload.trace,
            fileName: embedded.fileName,
            bytes: embedded.bytes.length,
            sha256: sha256Bytes(embedded.bytes),
          }
        : {
            path: vm.workload.trace,
            ...(await sha256File(path.resolve(task.baseDir, vm.workload.trace))),
          };
  }
  if (embedded === undefined || vm.workload.kind !== 'trace')
    return runOne(task, provenance, control);
  // The engine reads traces from files: the embedded bytes get a private file.
  return withTraceFile(embedded.fileName, embedded.bytes, (file) => {
    const { csv, ...options } = embedded.options;
    const workload = {
      ...options,
      ...(csv === undefined ? {} : { csv }),
      ...vm.workload,
      trace: file,
    };
    const experiment = { ...task.experiment, vms: [{ ...vm, workload }] };
    return runOne({ ...task, experiment }, provenance, control);
  });
}

async function runOne(
  task: StepTask,
  provenance: Provenance,
  control: RunControl,
): Promise<VmRunResult> {
  const result = await runExperiment(task.experiment, task.baseDir, control);
  const r = result.vms[0];
  return plain({
    name: r.name,
    stats: r.stats,
    io: r.io,
    curves: r.curves,
    esx: r.esx,
    provenance,
  }) as unknown as VmRunResult;
}
