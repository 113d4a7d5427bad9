/**
 * The paper-replication study (examples/paper/README.md): builds the project file
 * `<out>/paper-study.hclab` from the paper's experiment files, runs them, computes the six
 * sections (each a Finding with its evidence and a computed verdict) and keeps the allocation and
 * crash analyses in the project, so the report and the app show them.
 */
import path from 'node:path';
import type { Finding, Study } from '../../shared/api/report.js';
import { StudySchema } from '../../shared/api/report.js';
import { CancelledError, type RunControl } from '../engine/control.js';
import type { ProjectStore } from '../store/project-store.js';
import type { StudyContext } from './context.js';
import {
  loadPaperExperiment,
  PAPER_FILES,
  type PaperExperiment,
  type PaperFile,
} from './paper-files.js';
import { allocationSection } from './sections/allocation.js';
import { crashLossSection } from './sections/crash-loss.js';
import { esxSamplingSection } from './sections/esx-sampling.js';
import { extraIoSection } from './sections/extra-io.js';
import { mrcAccuracySection } from './sections/mrc-accuracy.js';
import { overheadSection } from './sections/overhead.js';
import { createStudyProject, runStudyExperiments } from './study-project.js';

export const STUDY_PROJECT_FILE = 'paper-study.hclab';
export const STUDY_TITLE = "Lu & Shen (USENIX ATC'07) replicated with HCLab's stand-in workloads";
/** --quick divides every reference count (and the time settings that go with it) by this. */
export const QUICK_FACTOR = 4;

export interface StudyOptions {
  outDir: string;
  quick: boolean;
  /** Replace an existing project file of the study. */
  force: boolean;
  control?: RunControl;
  /** What the study is doing now (for a status line). */
  onStage?(stage: string): void;
}

export interface StudyResult {
  study: Study;
  projectPath: string;
  /** The project, open (the caller closes it). */
  store: ProjectStore;
}

type Section = (ctx: StudyContext) => Finding | Promise<Finding>;

/** The sections in order, with their share of the study's time (for the progress bar). */
const SECTIONS: { name: string; weight: number; run: Section }[] = [
  { name: 'overhead', weight: 15, run: overheadSection },
  { name: 'no extra reads', weight: 1, run: extraIoSection },
  { name: 'MRC accuracy', weight: 1, run: mrcAccuracySection },
  { name: 'ESX sampling', weight: 1, run: esxSamplingSection },
  { name: 'allocation', weight: 25, run: allocationSection },
  { name: 'crash loss', weight: 30, run: crashLossSection },
];
const RUN_WEIGHT = 15;
/** Progress is reported in thousandths of the whole study. */
const PROGRESS_UNITS = 1000;

export async function runStudy(opts: StudyOptions): Promise<StudyResult> {
  const started = performance.now();
  const factor = opts.quick ? QUICK_FACTOR : 1;
  const signal = opts.control?.signal;
  const total = RUN_WEIGHT + SECTIONS.reduce((s, x) => s + x.weight, 0);
  let base = 0;
  const report = (weight: number) => (done: number, of: number | undefined) => {
    const f = of === undefined || of <= 0 ? 0 : Math.min(1, done / of);
    opts.control?.onProgress?.(
      Math.round((PROGRESS_UNITS * (base + weight * f)) / total),
      PROGRESS_UNITS,
    );
  };
  const check = (): void => {
    if (signal?.aborted === true) throw new CancelledError();
  };

  opts.onStage?.('building the project');
  const experiments = {} as Record<PaperFile, PaperExperiment>;
  for (const which of Object.keys(PAPER_FILES) as PaperFile[])
    experiments[which] = await loadPaperExperiment(which, factor);
  const projectPath = path.resolve(opts.outDir, STUDY_PROJECT_FILE);
  const store = createStudyProject(projectPath, Object.values(experiments), opts.force);
  try {
    opts.onStage?.('running the experiments');
    const runs = await runStudyExperiments(store, signal, (f) => report(RUN_WEIGHT)(f, 1));
    base += RUN_WEIGHT;
    const findings: Finding[] = [];
    for (const section of SECTIONS) {
      check();
      opts.onStage?.(section.name);
      const ctx: StudyContext = {
        quick: opts.quick,
        factor,
        store,
        experiments,
        runs,
        control: { signal, onProgress: report(section.weight) },
      };
      findings.push(await section.run(ctx));
      base += section.weight;
      opts.control?.onProgress?.(Math.round((PROGRESS_UNITS * base) / total), PROGRESS_UNITS);
    }
    const study = StudySchema.parse({
      title: STUDY_TITLE,
      quick: opts.quick,
      wallSeconds: (performance.now() - started) / 1000,
      findings,
    });
    return { study, projectPath, store };
  } catch (err) {
    store.close();
    throw err;
  }
}
