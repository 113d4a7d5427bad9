/**
 * §4 ESX sampling on a Waldspurger-style phase workload (examples/paper/esx-phases.yaml): the
 * run's ESX estimate (engine/mrc/esx.ts, as stored in the run) against the allocation and the true
 * working set of each period (esx-truth.ts, scored by esx-score.ts).
 */
import type { EsxReportDto } from '../../../shared/api/entities.js';
import type { ChartSpecInput, Finding, ReportTable } from '../../../shared/api/report.js';
import { resultOf, runOf, type StudyContext } from '../context.js';
import { heldWord, makeFinding } from '../finding.js';
import { fmt } from '../format.js';
import { esxSamplingHeld } from '../rules.js';

/** "Saturates": the estimate reaches at least this share of the allocation. */
export const SATURATION_SHARE = 0.9;
/** "Decayed": the estimate is within this factor of the small working set. */
export const DECAYED_FACTOR = 1.25;

interface Point {
  time: number;
  estimate: number;
}

export function esxSamplingSection(ctx: StudyContext): Finding {
  const run = runOf(ctx, 'esxPhases');
  const vm = run.vms[0];
  const esx: EsxReportDto | undefined = resultOf(run, vm.name).esx;
  if (esx === undefined) throw new Error(`VM ${vm.name}: the run has no ESX estimate`);
  const w = vm.workload;
  if (w.kind !== 'phases' || w.phases.length !== 3)
    throw new Error(`VM ${vm.name}: expected a workload of three phases (small, large, small)`);
  const rate = vm.untimedRate;
  const growAt = w.phases[0].refs / rate;
  const shrinkAt = (w.phases[0].refs + w.phases[1].refs) / rate;
  const A = esx.allocation;
  // The estimate over time: every update inside a period and every period end.
  const series: Point[] = [
    ...(esx.updates ?? []).map((u) => ({ time: u.time, estimate: u.estimate })),
    ...esx.periods.map((p) => ({ time: p.endTime, estimate: p.estimate })),
  ].sort((a, b) => a.time - b.time);
  const end = series.length === 0 ? 0 : series[series.length - 1].time;
  const scored = esx.periods.filter((p) => !p.warmup && !p.partial);
  const truthIn = (from: number, to: number): number[] =>
    scored
      .filter((p) => p.endTime > from && p.endTime <= to && p.trueWorkingSet !== undefined)
      .map((p) => p.trueWorkingSet as number);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const largeTruth = mean(truthIn(growAt, shrinkAt));
  const smallTruth = mean(truthIn(shrinkAt, Infinity));
  const large = series.filter((p) => p.time > growAt && p.time <= shrinkAt);
  const grown = large.find((p) => p.estimate >= SATURATION_SHARE * Math.min(A, largeTruth));
  const decayed = series.find(
    (p) => p.time > shrinkAt && p.estimate <= DECAYED_FACTOR * smallTruth,
  );
  const score = esx.score?.workingSet;
  const numbers: Record<string, number> = {
    allocationPages: A,
    saturationShare: SATURATION_SHARE,
    maxEstimatePages: Math.max(...series.map((p) => p.estimate)),
    maxEstimateLargePhasePages: Math.max(0, ...large.map((p) => p.estimate)),
    largeWorkingSetPages: largeTruth,
    smallWorkingSetPages: smallTruth,
    growSeconds: grown === undefined ? shrinkAt - growAt : grown.time - growAt,
    /** Censored at the end of the run when the estimate never came down. */
    decaySeconds: decayed === undefined ? end - shrinkAt : decayed.time - shrinkAt,
    decayReached: decayed === undefined ? 0 : 1,
    periodSeconds: esx.periodSeconds ?? 0,
    meanRelativeErrorWorkingSet: score?.meanRelativeError ?? Number.NaN,
    meanSignedErrorPages: score?.meanSignedPages ?? Number.NaN,
    periodsUnderTruth: score?.periodsUnder ?? Number.NaN,
    periodsScored: score?.periods ?? 0,
  };
  for (const k of ['meanRelativeErrorWorkingSet', 'meanSignedErrorPages', 'periodsUnderTruth'])
    if (Number.isNaN(numbers[k])) delete numbers[k];

  const table: ReportTable = {
    id: 'study-4-esx-periods',
    caption: `ESX's working-set estimate at the end of each sampling period (${fmt(numbers.periodSeconds)} s, 100 sampled pages) against the true working set (distinct pages touched in the period) and the allocation A = V + C = ${A} pages.`,
    columns: ['period', 'end (s)', 'estimate (pages)', 'true working set (pages)', 'error (pages)'],
    rows: esx.periods.map((p) => [
      p.periodIndex,
      p.endTime,
      p.estimate,
      p.trueWorkingSet ?? null,
      p.trueWorkingSet === undefined ? null : p.estimate - p.trueWorkingSet,
    ]),
  };
  const chart: ChartSpecInput = {
    id: 'study-4-esx-phases',
    kind: 'line',
    title: 'ESX estimate on a growing and shrinking working set',
    caption: `ESX's active-memory estimate (max of the slow, fast and current-period averages) against the true working set per period and the allocation A = ${A} pages. The working set grows from ${fmt(numbers.smallWorkingSetPages)} to about ${fmt(numbers.largeWorkingSetPages)} pages at ${fmt(growAt)} s and shrinks back at ${fmt(shrinkAt)} s.`,
    xLabel: 'VM time (s)',
    yLabel: 'pages',
    yMin: 0,
    series: [
      { label: 'ESX estimate', points: series.map((p) => [p.time, p.estimate]), style: 'line' },
      {
        label: 'true working set',
        points: esx.periods.map((p) => [p.endTime, p.trueWorkingSet ?? null]),
        style: 'step',
      },
      {
        label: 'allocation A = V + C',
        points: [
          [0, A],
          [end, A],
        ],
        style: 'dashed',
      },
    ],
    markers: [
      { x: growAt, label: 'grows' },
      { x: shrinkAt, label: 'shrinks' },
    ],
  };
  return makeFinding(
    {
      section: 4,
      id: 'esx-sampling',
      title: 'ESX sampling: saturation, lag and slow decay',
      claim: `Lu & Shen against Waldspurger (OSDI'02): ESX's statistical sampling estimates the pages a VM touches, never more than its current allocation, so it cannot say how much more memory would help (it saturates at the allocation); its averages follow a growing working set with a lag and, taking the maximum of a fast and a slow average, come down slowly from a shrinking one. Checked here: the estimate never exceeds A, reaches ≥ ${SATURATION_SHARE}·A while the working set is larger than A, and takes longer to fall within ${DECAYED_FACTOR}× of the shrunken working set than to rise.`,
      numbers,
      tables: [table],
      charts: [chart],
      notes: [
        'The estimate is capped at the allocation by construction (f ≤ 1 of the allocated pages); the finding shows it on a workload whose working set exceeds the allocation.',
        'decaySeconds is censored at the end of the run when the estimate never came down (decayReached = 0).',
        'The mean relative error is over every scored period, against the true working set (distinct pages touched in the period).',
      ],
    },
    esxSamplingHeld,
    (held, n) =>
      `${heldWord(held)}: estimate at most ${fmt(n.maxEstimatePages)} of A = ${fmt(n.allocationPages)} pages (large working set ${fmt(n.largeWorkingSetPages)}); rose in ${fmt(n.growSeconds)} s, came down in ${n.decayReached === 1 ? '' : 'more than '}${fmt(n.decaySeconds)} s${n.meanRelativeErrorWorkingSet === undefined ? '' : `; mean relative error ${fmt(n.meanRelativeErrorWorkingSet * 100)} %`}`,
  );
}
