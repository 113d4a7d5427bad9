/**
 * The study's project description: the experiment files in examples/paper/, found next to the
 * package (from main/study/ in the sources or dist/main/study/ when built), and scaled down for
 * `--quick` (every reference count divided by the same factor; periods, epochs and writeback
 * times stay as written, so a quick run has fewer of them).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Experiment, VmSpec } from '../../shared/schema/index.js';
import { loadExperiment } from '../service/experiment-runner.js';

export const PAPER_FILES = {
  fourServices: 'four-services.yaml',
  whereItBreaks: 'where-it-breaks.yaml',
  esxPhases: 'esx-phases.yaml',
  crashTpcc: 'crash-tpcc.yaml',
} as const;
export type PaperFile = keyof typeof PAPER_FILES;

/** examples/paper/ of this package. */
export function paperDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'examples', 'paper');
    if (existsSync(path.join(candidate, PAPER_FILES.fourServices))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('examples/paper/ is missing from this installation of HCLab');
}

/** Divides every `refs` of a workload (phases included) by `factor`, rounding to whole refs. */
function scaleWorkload(w: VmSpec['workload'], factor: number): VmSpec['workload'] {
  if (factor === 1) return w;
  const scale = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(scale);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node))
      out[k] =
        k === 'refs' && typeof v === 'number' ? Math.max(1, Math.round(v / factor)) : scale(v);
    return out;
  };
  return scale(w) as VmSpec['workload'];
}

export interface PaperExperiment {
  file: string;
  experiment: Experiment;
}

/** Loads one paper experiment, its references divided by `factor` (1: as written). */
export async function loadPaperExperiment(
  which: PaperFile,
  factor: number,
): Promise<PaperExperiment> {
  const file = path.join(paperDir(), PAPER_FILES[which]);
  const exp = await loadExperiment(file);
  const experiment: Experiment = {
    ...exp,
    vms: exp.vms.map((vm) => ({ ...vm, workload: scaleWorkload(vm.workload, factor) })),
  };
  return { file, experiment };
}
