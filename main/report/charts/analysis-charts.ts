/**
 * Stored analyses' charts as data: an allocation's predicted against achieved misses per VM
 * (AllocBarChart.vue), a crash analysis's loss per strategy with its 95 % interval
 * (CrashLossChart.vue) and its dirty-page timeline (CrashTimelineChart.vue).
 */
import type { AllocAnalysis, CrashAnalysis } from '../../../shared/api/analyses.js';
import type { ChartSpec } from '../../../shared/api/report.js';
import { fmtCount } from '../format.js';

const SOURCE_COLOR: Record<string, [string, string]> = {
  exact: ['#111827', '#6b7280'],
  hypervisor: ['#d97706', '#fbbf24'],
  esx: ['#7c3aed', '#c4b5fd'],
};

export function allocChart(a: AllocAnalysis): ChartSpec {
  const vms = a.report.baseline.map((b) => b.name);
  for (const r of a.report.results)
    for (const x of r.allocations) if (!vms.includes(x.name)) vms.push(x.name);
  const series: ChartSpec['series'] = [];
  // A source without an allocation (infeasible) has nothing to draw: its reason is in the table.
  for (const r of a.report.results.filter((x) => x.allocations.length > 0)) {
    const [dark, light] = SOURCE_COLOR[r.source] ?? ['#2563eb', '#93c5fd'];
    const at = (pick: (x: (typeof r.allocations)[number]) => number | null | undefined) =>
      vms.map((name, i): [number, number | null] => {
        const x = r.allocations.find((y) => y.name === name);
        return [i, x === undefined ? null : (pick(x) ?? null)];
      });
    series.push({
      label: `${r.source} predicted`,
      color: dark,
      style: 'line',
      points: at((x) => x.predictedMisses),
    });
    if (r.allocations.some((x) => x.achievedMisses != null))
      series.push({
        label: `${r.source} achieved`,
        color: light,
        style: 'line',
        points: at((x) => x.achievedMisses),
      });
  }
  return {
    id: `alloc-${a.id}-misses`,
    kind: 'bar',
    title: `Allocation #${a.id}: predicted and achieved misses per VM`,
    caption:
      `Misses per VM under each source's allocation of M = ${fmtCount(a.report.memory)} pages ` +
      `(run #${a.report.runId}): as the source's curve predicts them, and as achieved when ` +
      `re-simulated with that much guest memory and no hypervisor cache.`,
    xLabel: 'VM',
    yLabel: 'misses',
    categories: vms,
    series,
    markers: [],
  };
}

export function crashLossChart(a: CrashAnalysis): ChartSpec | null {
  const r = a.report;
  if (r === null) return null;
  return {
    id: `crash-${a.id}-loss`,
    kind: 'bar',
    title: `Crash analysis #${a.id}: pages lost per crash by strategy`,
    caption:
      `Mean pages lost per ${a.params.powerFailure ? 'power failure' : 'guest crash'} of VM ` +
      `${a.vmName ?? a.vm.name} over ${fmtCount(a.params.trials)} trials, with error bars ` +
      `spanning the 95 % confidence interval (half its width each side of the mean).`,
    xLabel: 'recovery strategy',
    yLabel: 'pages lost per crash',
    categories: r.strategies.map((s) => s.name),
    series: [
      {
        label: 'mean pages lost',
        color: '#2563eb',
        style: 'line',
        points: r.strategies.map((s, i) => [i, s.meanPagesLost]),
        errors: r.strategies.map((s) => (s.ci95[1] - s.ci95[0]) / 2),
      },
    ],
    markers: [],
  };
}

export function crashTimelineChart(a: CrashAnalysis): ChartSpec | null {
  const r = a.report;
  if (r === null || r.timeline.times.length === 0) return null;
  const series: ChartSpec['series'] = [
    {
      label: 'dirty pages (acknowledged, not durable)',
      color: '#b91c1c',
      style: 'step',
      points: r.timeline.times.map((t, i) => [t, r.timeline.dirtyPages[i] ?? null]),
    },
  ];
  if (r.crashTimes.length > 0)
    series.push({
      label: `crash times (${fmtCount(r.crashTimes.length)} shown)`,
      color: '#111827',
      style: 'points',
      points: r.crashTimes.map((t) => [t, 0]),
    });
  return {
    id: `crash-${a.id}-timeline`,
    kind: 'line',
    title: `Crash analysis #${a.id}: dirty pages over time`,
    caption:
      `Pages written and acknowledged but not yet durable in VM ${a.vmName ?? a.vm.name} over ` +
      `VM time; the dots on the axis are the sampled crash times.`,
    xLabel: 'VM time (s)',
    yLabel: 'dirty pages',
    yMin: 0,
    series,
    markers: [],
  };
}
