/** Stored analyses as tables: an allocation per source and VM, a crash analysis per strategy. */
import type { AllocAnalysis, CrashAnalysis } from '../../../shared/api/analyses.js';
import type { ReportTable } from '../../../shared/api/report.js';
import { crashTimesText } from '../../../shared/format/crash-times.js';

export function allocTable(a: AllocAnalysis): ReportTable {
  const rows: ReportTable['rows'] = [];
  for (const r of a.report.results) {
    if (r.allocations.length === 0)
      rows.push([r.source, `no${r.reason ? `: ${r.reason}` : ''}`, ...Array<null>(9).fill(null)]);
    for (const x of r.allocations)
      rows.push([
        r.source,
        r.feasible ? 'yes' : `no${r.reason ? `: ${r.reason}` : ''}`,
        x.name,
        x.pages,
        x.baselinePages,
        x.predictedMisses,
        x.achievedMisses ?? null,
        x.baselineMisses,
        x.limit,
        x.slack,
        x.byConstruction === true ? 'yes' : 'no',
      ]);
  }
  return {
    id: `alloc-${a.id}`,
    caption:
      `Allocation #${a.id} of M = ${a.report.memory} pages (quantum ${a.report.quantum}, ` +
      `objective ${a.report.objective}, bounds ${a.report.boundsRule}) from run #${a.report.runId}. ` +
      `“By construction”: predicted = achieved holds by construction for that VM (not evidence).`,
    columns: [
      'source',
      'feasible',
      'vm',
      'pages',
      'baseline pages',
      'predicted misses',
      'achieved misses',
      'baseline misses',
      'limit (misses)',
      'slack (misses)',
      'by construction',
    ],
    rows,
  };
}

export function crashTable(a: CrashAnalysis): ReportTable | null {
  const r = a.report;
  if (r === null) return null;
  return {
    id: `crash-${a.id}`,
    caption:
      `Crash analysis #${a.id} of VM ${a.vmName ?? a.vm.name}: ` +
      (a.params.crashTimes === undefined
        ? `${a.params.trials} trials, seed ${a.params.seed}`
        : crashTimesText(a.params.crashTimes)) +
      `, ${a.params.powerFailure ? 'host power failure' : 'guest crash'}; loss per strategy with its 95 % confidence interval.`,
    columns: [
      'strategy',
      'trials',
      'mean pages lost',
      'CI 95 % low',
      'CI 95 % high',
      'max pages lost',
      'mean bytes lost',
      'fsynced writes lost',
      'loss window (s)',
      'memory overhead (pages)',
    ],
    rows: r.strategies.map((s) => [
      s.name,
      s.trials,
      s.meanPagesLost,
      s.ci95[0],
      s.ci95[1],
      s.maxPagesLost,
      s.meanBytesLost,
      s.fsyncedLost,
      s.lossWindowSeconds,
      s.memoryOverheadPages,
    ]),
  };
}

/** Online mode: each controller's misses, violations and reallocations over the timeline. */
export function allocOnlineTable(a: AllocAnalysis): ReportTable | null {
  const o = a.report.online;
  if (o === undefined) return null;
  return {
    id: `alloc-${a.id}-online`,
    caption:
      `Online allocation #${a.id}: epochs of ${o.epochSeconds} s, cache share ${o.cacheShare}, ` +
      `${o.ghostPages} ghost pages, objective ${o.objective}; per controller.`,
    columns: [
      'controller',
      'epochs',
      'total misses',
      'refill misses',
      'miss rate (per s)',
      'isolation violations',
      'reallocations',
    ],
    rows: o.controllers.map((c) => [
      c.controller,
      c.epochs.length,
      c.totalMisses,
      c.totalRefillMisses,
      c.missRate,
      c.violations,
      c.reallocations,
    ]),
  };
}
