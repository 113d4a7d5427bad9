/** How `hclab mrc` and `hclab simulate` print ESX's estimate, its three averages and its score. */
import type { EsxErrorSummary, EsxScore } from '../engine/mrc/esx-score.js';
import type { EsxReport } from '../service/mrc-report.js';
import { fmtInt, printCsv } from './output.js';

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`;
}

function pages(x: number | null): string {
  return x === null ? 'n/a' : fmtInt(Math.round(x));
}

function errorSummary(s: EsxErrorSummary): string {
  if (s.periods === 0) return 'no period to compare';
  const rel =
    s.relativePeriods === 0
      ? 'relative error n/a (truth 0 in every period)'
      : `relative error mean ${pct(s.meanRelativeError)}, max ${pct(s.maxRelativeError)} over ${fmtInt(s.relativePeriods)} periods`;
  return (
    `${rel}; allocation error mean ${pages(s.meanAbsPages)}, max ${pages(s.maxAbsPages)} pages` +
    ` (mean signed ${pages(s.meanSignedPages)}, under in ${fmtInt(s.periodsUnder)} of ${fmtInt(s.periods)} periods)`
  );
}

/** Lines describing one VM's ESX result (each ends with a newline). */
export function esxSummaryLines(esx: EsxReport, prefix = 'esx'): string {
  const last = esx.periods.at(-1);
  const period =
    esx.periodMode === 'refs'
      ? `periods of ${fmtInt(esx.periodRefs ?? 0)} references`
      : `periods of ${esx.periodSeconds} s VM time`;
  const third =
    esx.currentUpdates > 0
      ? `current ${esx.currentGain} × ${esx.currentUpdates} updates/period`
      : 'no current-period average';
  const out = [
    `${prefix}: working-set estimate ${esx.finalEstimate === null ? 'unknown' : fmtInt(Math.round(esx.finalEstimate))} of ${fmtInt(esx.allocation)} allocated pages over ${fmtInt(esx.periods.length)} ${period}` +
      ` (n = ${esx.samples}; gains slow ${esx.slowGain}, fast ${esx.fastGain}, ${third})`,
  ];
  if (last !== undefined)
    out.push(
      `${prefix}: last period: slow ${pages(last.slow)}, fast ${pages(last.fast)}, fast with current period ${pages(last.fastCurrent)}; true working set ${fmtInt(last.trueWorkingSet)} pages`,
    );
  return out.map((l) => `${l}\n`).join('') + esxScoreLines(esx.score, prefix);
}

/** The score lines (each ends with a newline). */
export function esxScoreLines(s: EsxScore, prefix = 'esx'): string {
  return [
    `${prefix}: scored on ${fmtInt(s.periods)} periods (not as a curve: its only point, the misses at A, is exact by construction)`,
    `${prefix} vs true working set (distinct pages per period): ${errorSummary(s.workingSet)}`,
    `${prefix} vs exact memory for misses ≤ (1 + ${s.epsilon})·misses at A: ${errorSummary(s.epsilonMemory)}`,
  ]
    .map((l) => `${l}\n`)
    .join('');
}

/** The ESX time series as CSV: one row per update inside a period and one per period end. */
export function printEsxSeriesCsv(vms: { name: string; esx: EsxReport }[]): void {
  const rows: (string | number | null)[][] = [];
  for (const { name, esx } of vms) {
    const updateRow = (x: EsxReport['updates'][number]) =>
      rows.push([
        name,
        'update',
        x.periodIndex,
        x.time,
        x.ref,
        x.touched,
        x.sampleEstimate,
        x.slow,
        x.fast,
        x.fastCurrent,
        x.estimate,
        null,
        null,
      ]);
    let u = 0;
    for (const p of esx.periods) {
      for (; u < esx.updates.length && esx.updates[u].periodIndex <= p.periodIndex; u++)
        updateRow(esx.updates[u]);
      rows.push([
        name,
        p.partial ? 'partial-period' : p.warmup ? 'warmup-period' : 'period',
        p.periodIndex,
        p.endTime,
        p.endRef,
        p.touched,
        p.sampleEstimate,
        p.slow,
        p.fast,
        p.fastCurrent ?? null,
        p.estimate,
        p.trueWorkingSet,
        p.epsilonPages,
      ]);
    }
    // Updates of the trailing period, which the end of the stream cut short (not closed).
    for (; u < esx.updates.length; u++) updateRow(esx.updates[u]);
  }
  printCsv(
    [
      'vm',
      'kind',
      'period',
      'time',
      'ref',
      'touched',
      'sample',
      'slow',
      'fast',
      'fast_current',
      'estimate',
      'true_working_set',
      'epsilon_pages',
    ],
    rows,
  );
}
