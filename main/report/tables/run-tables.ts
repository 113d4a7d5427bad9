/**
 * A run's result tables: the error of each method against the VM's true curve, ESX's score
 * against the working set, and the simulation statistics. Numbers stay numbers (the CSV keeps
 * them exact; the HTML formats them); units are in the column names.
 */
import type { RunDetail } from '../../../shared/api/entities.js';
import type { ReportTable } from '../../../shared/api/report.js';

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function errorTable(run: RunDetail): ReportTable {
  const rows: ReportTable['rows'] = [];
  for (const vm of run.results)
    for (const c of vm.curves) {
      if (c.method === 'esx') continue; // scored against the working set (ESX table)
      const against = c.maeAgainst ?? vm.truth ?? null;
      const isTruth = against === c.method;
      rows.push([
        vm.name,
        c.method,
        isTruth ? `${c.method} (the truth)` : (against ?? '—'),
        isTruth || c.maeSizesCompared === 0 ? null : c.mae,
        c.maeSizesCompared,
        c.maeSizeRange?.first ?? null,
        c.maeSizeRange?.last ?? null,
        c.sizes.length,
        c.minSize,
        c.maxSize,
      ]);
    }
  return {
    id: `run-${run.id}-errors`,
    caption:
      `Error of each method's curve in run #${run.id}: the mean absolute miss-ratio error over ` +
      `the sizes both it and the true curve know (empty: nothing to compare).`,
    columns: [
      'vm',
      'method',
      'against',
      'mean abs error',
      'sizes compared',
      'first size compared (pages)',
      'last size compared (pages)',
      'points',
      'known from (pages)',
      'known to (pages)',
    ],
    rows,
  };
}

export function esxScoreTable(run: RunDetail): ReportTable | null {
  const rows: ReportTable['rows'] = [];
  for (const vm of run.results) {
    const score = vm.esx?.score;
    if (score === undefined) continue;
    for (const [truth, s] of [
      ['true working set', score.workingSet],
      [`ε-memory (ε = ${score.epsilon})`, score.epsilonMemory],
    ] as const)
      rows.push([
        vm.name,
        truth,
        s.periods,
        s.meanRelativeError,
        s.maxRelativeError,
        s.meanAbsPages,
        s.maxAbsPages,
        s.meanSignedPages,
        s.periodsUnder,
        vm.esx?.finalEstimate ?? null,
      ]);
  }
  if (rows.length === 0) return null;
  return {
    id: `run-${run.id}-esx-score`,
    caption: `ESX's estimate against the truth it estimates, per period outside the warm-up (run #${run.id}).`,
    columns: [
      'vm',
      'truth',
      'periods',
      'mean relative error',
      'max relative error',
      'mean abs error (pages)',
      'max abs error (pages)',
      'mean signed error (pages)',
      'periods under',
      'final estimate (pages)',
    ],
    rows,
  };
}

export function statsTable(run: RunDetail): ReportTable {
  const rows = run.results.map((vm) => {
    const s = vm.stats;
    return [
      vm.name,
      num(s.references),
      num(s.reads),
      num(s.writes),
      num(s.guestMissRatio),
      num(s.hvHits),
      num(s.puts),
      num(s.admissionFailures),
      num(s.diskReads),
      num(s.diskWrites),
      num(s.overheadUs),
      vm.io === undefined ? null : vm.io.withoutCache.diskReads,
      vm.io === undefined ? null : vm.io.withoutCache.diskWrites,
    ];
  });
  return {
    id: `run-${run.id}-stats`,
    caption:
      `Simulation statistics of run #${run.id}: references, hypervisor-cache hits and puts, ` +
      `admission failures, disk I/O with the cache and, where recorded, with V + C guest pages and no cache.`,
    columns: [
      'vm',
      'references',
      'reads',
      'writes',
      'guest miss ratio',
      'hypervisor hits',
      'puts',
      'admission failures',
      'disk reads',
      'disk writes',
      'overhead (µs)',
      'no cache: disk reads',
      'no cache: disk writes',
    ],
    rows,
  };
}
