/** What every section of the study gets: the project, its finished runs and the scale. */
import type { RunDetail, VmRunResult } from '../../shared/api/entities.js';
import type { RunControl } from '../engine/control.js';
import type { ProjectStore } from '../store/project-store.js';
import type { PaperExperiment, PaperFile } from './paper-files.js';

export interface StudyContext {
  quick: boolean;
  /** Reference counts (and the time settings that go with them) are divided by this. */
  factor: number;
  store: ProjectStore;
  experiments: Record<PaperFile, PaperExperiment>;
  /** The finished run of each experiment, by experiment name. */
  runs: Map<string, RunDetail>;
  /** Cancellation and progress of the section (0..1 of it). */
  control: RunControl;
}

export function runOf(ctx: StudyContext, which: PaperFile): RunDetail {
  const name = ctx.experiments[which].experiment.name;
  const run = ctx.runs.get(name);
  if (run === undefined) throw new Error(`the study has no run of experiment '${name}'`);
  return run;
}

export function resultOf(run: RunDetail, vmName: string): VmRunResult {
  const r = run.results.find((x) => x.name === vmName);
  if (r === undefined) throw new Error(`run ${run.id} has no result for VM '${vmName}'`);
  return r;
}
