/**
 * Synthetic workload specifications: the runtime schema shared by the CLI (spec strings),
 * experiment files and the UI. `WorkloadSpec` is what the engine's `generateWorkload` takes.
 *
 * A spec is a page-access *pattern* (uniform, zipf, scan, loop, hotcold, phases, mix, preset)
 * plus run keys (refs, seed, rate, arrivals). Patterns nest inside `phases` and `mix`. Page ids
 * of a pattern are `offset + 0 .. offset + footprint - 1`; see `workloadFootprint`.
 */
import { z } from 'zod';
import {
  anyInt,
  flag,
  fraction,
  MAX_GENERATED_REFS,
  nonNegativeInt,
  oneOf,
  pageCount,
  positiveInt,
  positiveNumber,
} from './fields.js';

export const PRESET_NAMES = [
  'specweb',
  'index-search',
  'tpcc',
  'tpch',
  'micro-loop',
  'micro-random',
  'micro-scan',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const WORKLOAD_KINDS = [
  'uniform',
  'zipf',
  'scan',
  'loop',
  'hotcold',
  'phases',
  'mix',
  'preset',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const ARRIVAL_MODES = ['constant', 'poisson'] as const;

/** Zipf exponents accepted (rejection-inversion works for any positive exponent). */
export const MAX_ZIPF_ALPHA = 10;

/** Keys every pattern has. writeFraction/fsyncRate are inherited by nested patterns (default 0). */
const patternKeys = {
  /** Added to every page id of the pattern (to place working sets apart or overlapping). */
  offset: nonNegativeInt().default(0),
  /** Share of references that are writes. */
  writeFraction: fraction().optional(),
  /** Share of writes that are fsync'd (OP_WRITE_FSYNC). */
  fsyncRate: fraction().optional(),
  /** Share of writes that are direct I/O: they bypass guest memory, go to disk, invalidate a
   * copy in the hypervisor cache and update the guest's copy if resident. */
  directWriteFraction: fraction().optional(),
  /** The pattern's writes replace whole pages (a guest miss does not read the page first). */
  fullPageWrites: flag().optional(),
};

function zipfAlpha() {
  const expected = `expected a number greater than 0 and at most ${MAX_ZIPF_ALPHA}`;
  return z
    .number({ error: expected })
    .positive({ error: expected })
    .max(MAX_ZIPF_ALPHA, { error: expected });
}

const uniformShape = {
  kind: z.literal('uniform'),
  /** Pages 0..pages-1, each equally likely. */
  pages: pageCount(),
  ...patternKeys,
};

const zipfShape = {
  kind: z.literal('zipf'),
  /** Rank r (1-based) has probability ∝ r^-alpha; rank r is page r-1 unless `scatter`. */
  pages: pageCount(),
  alpha: zipfAlpha().default(1),
  /** Map ranks to pages through a seeded random permutation. */
  scatter: flag().default(false),
  ...patternKeys,
};

const scanShape = {
  kind: z.literal('scan'),
  /** Sequential scans of `run` consecutive pages (default: all pages, i.e. 0..pages-1 again and
   * again); each scan starts at a uniformly random page in 0..pages-run. */
  pages: pageCount(),
  run: pageCount().optional(),
  ...patternKeys,
};

const loopShape = {
  kind: z.literal('loop'),
  /** 0, 1, …, pages-1, 0, 1, … one reference at a time. */
  pages: pageCount(),
  ...patternKeys,
};

const hotColdShape = {
  kind: z.literal('hotcold'),
  /** Pages 0..hot-1 get `hotFraction` of the references, pages hot..hot+cold-1 the rest,
   * uniformly within each set. */
  hot: pageCount(),
  cold: pageCount(),
  hotFraction: fraction().default(0.9),
  ...patternKeys,
};

const presetShape = {
  kind: z.literal('preset'),
  preset: oneOf(PRESET_NAMES),
  /** Footprint: page ids are 0..pages-1 (plus offset). */
  pages: pageCount(),
  ...patternKeys,
};

/** A page-access pattern (a workload without run keys); the element of phases and mixes. */
export type WorkloadPattern =
  | z.infer<typeof UniformPatternSchema>
  | z.infer<typeof ZipfPatternSchema>
  | z.infer<typeof ScanPatternSchema>
  | z.infer<typeof LoopPatternSchema>
  | z.infer<typeof HotColdPatternSchema>
  | PhasesPattern
  | MixPattern
  | z.infer<typeof PresetPatternSchema>;

/** Input form of {@link WorkloadPattern} (defaults may be omitted). */
export type WorkloadPatternInput =
  | z.input<typeof UniformPatternSchema>
  | z.input<typeof ZipfPatternSchema>
  | z.input<typeof ScanPatternSchema>
  | z.input<typeof LoopPatternSchema>
  | z.input<typeof HotColdPatternSchema>
  | PhasesPatternInput
  | MixPatternInput
  | z.input<typeof PresetPatternSchema>;

export interface Phase {
  refs: number;
  workload: WorkloadPattern;
}
export interface PhasesPattern {
  kind: 'phases';
  /** Phase i runs for phases[i].refs references, then the next one starts. */
  phases: Phase[];
  /** After the last phase, start again from the first (true) or keep the last one (false). */
  cycle: boolean;
  offset: number;
  writeFraction?: number;
  fsyncRate?: number;
  directWriteFraction?: number;
  fullPageWrites?: boolean;
}
export interface PhasesPatternInput {
  kind: 'phases';
  phases: { refs: number; workload: WorkloadPatternInput }[];
  cycle?: boolean;
  offset?: number;
  writeFraction?: number;
  fsyncRate?: number;
  directWriteFraction?: number;
  fullPageWrites?: boolean;
}
export interface MixPart {
  weight: number;
  workload: WorkloadPattern;
}
export interface MixPattern {
  kind: 'mix';
  /** Each request (one reference, or one run of a scan) comes from part i with probability
   * weight_i / Σ weight. */
  parts: MixPart[];
  offset: number;
  writeFraction?: number;
  fsyncRate?: number;
  directWriteFraction?: number;
  fullPageWrites?: boolean;
}
export interface MixPatternInput {
  kind: 'mix';
  parts: { weight: number; workload: WorkloadPatternInput }[];
  offset?: number;
  writeFraction?: number;
  fsyncRate?: number;
  directWriteFraction?: number;
  fullPageWrites?: boolean;
}

function checkScanRun(v: { pages: number; run?: number }, ctx: z.RefinementCtx): void {
  if (v.run !== undefined && v.run > v.pages)
    ctx.addIssue({
      code: 'custom',
      path: ['run'],
      message: `expected a run of at most pages (${v.pages})`,
      input: v.run,
    });
}

export const UniformPatternSchema = z.strictObject(uniformShape);
export const ZipfPatternSchema = z.strictObject(zipfShape);
export const ScanPatternSchema = z.strictObject(scanShape).superRefine(checkScanRun);
export const LoopPatternSchema = z.strictObject(loopShape);
export const HotColdPatternSchema = z.strictObject(hotColdShape);
export const PresetPatternSchema = z.strictObject(presetShape);

const phasesShape = {
  kind: z.literal('phases'),
  get phases(): z.ZodArray<
    z.ZodType<
      { refs: number; workload: WorkloadPattern },
      { refs: number; workload: WorkloadPatternInput }
    >
  > {
    return z
      .array(
        z.strictObject({ refs: positiveInt(MAX_GENERATED_REFS), workload: WorkloadPatternSchema }),
        {
          error: 'expected a list of {refs, workload}',
        },
      )
      .min(1, { error: 'expected at least one phase' });
  },
  cycle: flag().default(true),
  ...patternKeys,
};

const mixShape = {
  kind: z.literal('mix'),
  get parts(): z.ZodArray<
    z.ZodType<
      { weight: number; workload: WorkloadPattern },
      { weight: number; workload: WorkloadPatternInput }
    >
  > {
    return z
      .array(z.strictObject({ weight: positiveNumber(), workload: WorkloadPatternSchema }), {
        error: 'expected a list of {weight, workload}',
      })
      .min(1, { error: 'expected at least one part' });
  },
  ...patternKeys,
};

export const PhasesPatternSchema = z.strictObject(phasesShape);
export const MixPatternSchema = z.strictObject(mixShape);

export const WorkloadPatternSchema: z.ZodType<WorkloadPattern, WorkloadPatternInput> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      UniformPatternSchema,
      ZipfPatternSchema,
      ScanPatternSchema,
      LoopPatternSchema,
      HotColdPatternSchema,
      PhasesPatternSchema,
      MixPatternSchema,
      PresetPatternSchema,
    ],
    { error: kindError },
  ),
);

function kindError(): string {
  return `expected a workload kind, one of ${WORKLOAD_KINDS.map((k) => `'${k}'`).join(', ')}`;
}

/** Keys of a whole workload (not of nested patterns). */
const runKeys = {
  /** Total references generated. */
  refs: nonNegativeInt(MAX_GENERATED_REFS),
  seed: anyInt().default(1),
  /** References per second of VM time; omitted: untimed (times null). */
  rate: positiveNumber().optional(),
  /** `constant`: time of reference i is i / rate; `poisson`: exponential gaps with mean 1/rate. */
  arrivals: oneOf(ARRIVAL_MODES).default('constant'),
};
/** scan and loop (default: one pass over the pages) and phases (default: one pass through the
 * phases) may omit refs. */
const runKeysOptionalRefs = { ...runKeys, refs: nonNegativeInt(MAX_GENERATED_REFS).optional() };

export const WorkloadSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...uniformShape, ...runKeys }),
    z.strictObject({ ...zipfShape, ...runKeys }),
    z.strictObject({ ...scanShape, ...runKeysOptionalRefs }).superRefine(checkScanRun),
    z.strictObject({ ...loopShape, ...runKeysOptionalRefs }),
    z.strictObject({ ...hotColdShape, ...runKeys }),
    z.strictObject({ ...phasesShape, ...runKeysOptionalRefs }),
    z.strictObject({ ...mixShape, ...runKeys }),
    z.strictObject({ ...presetShape, ...runKeys }),
  ],
  { error: kindError },
);

/** A whole synthetic workload, with defaults filled in. */
export type WorkloadSpec = z.infer<typeof WorkloadSpecSchema>;
/** What a user may write (defaults may be omitted). */
export type WorkloadSpecInput = z.input<typeof WorkloadSpecSchema>;

/** Number of references a spec generates. */
export function workloadRefs(spec: WorkloadSpec): number {
  if (spec.refs !== undefined) return spec.refs;
  switch (spec.kind) {
    case 'scan':
    case 'loop':
      return spec.pages;
    case 'phases':
      return spec.phases.reduce((sum, p) => sum + p.refs, 0);
    default:
      // Unreachable for validated specs: refs is required for the other kinds.
      throw new Error(`workload ${spec.kind}: refs is required`);
  }
}

/** One more than the largest page id a pattern can produce (offset included). */
export function workloadFootprint(p: WorkloadPattern | WorkloadSpec): number {
  switch (p.kind) {
    case 'uniform':
    case 'zipf':
    case 'scan':
    case 'loop':
    case 'preset':
      return p.offset + p.pages;
    case 'hotcold':
      return p.offset + p.hot + p.cold;
    case 'phases':
      return p.offset + Math.max(...p.phases.map((ph) => workloadFootprint(ph.workload)));
    case 'mix':
      return p.offset + Math.max(...p.parts.map((part) => workloadFootprint(part.workload)));
  }
}
