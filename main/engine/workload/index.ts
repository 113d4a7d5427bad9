/** Synthetic workloads: generators, presets and spec strings. */
export { generateWorkload, generateTrace, checkWorkloadSpec } from './generate.js';
export { parseWorkloadSpec, describeWorkload, workloadSpecString, suggestKey } from './spec.js';
export { PRESETS, type Preset } from './presets.js';
export { buildSource } from './build.js';
export { ZipfSampler, zipfProbabilities, randomPermutation } from './zipf.js';
export { AliasTable } from './extents.js';
export type { PageSource, RefSource } from './source.js';
export {
  WorkloadSpecSchema,
  WorkloadPatternSchema,
  PRESET_NAMES,
  WORKLOAD_KINDS,
  workloadRefs,
  workloadFootprint,
  type WorkloadSpec,
  type WorkloadSpecInput,
  type WorkloadPattern,
  type PresetName,
} from '../../../shared/schema/workload.js';
