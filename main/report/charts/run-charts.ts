/**
 * A run's charts as data: the MRC of each VM (every method's curve, the ESX estimate, the V,
 * V + C and V + C + G markers) and the ESX time series (estimate against the true working set),
 * as MrcChart.vue and EsxChart.vue show them.
 */
import type { RunDetail, VmRunResult } from '../../../shared/api/entities.js';
import type { ChartSpec } from '../../../shared/api/report.js';
import { minisimLabel } from '../../../shared/format/run-text.js';
import { fmtCount, fmtPages } from '../format.js';

const METHOD_STYLE: Record<
  string,
  { color: string; style: 'line' | 'dashed' | 'step'; width?: number }
> = {
  exact: { color: '#111827', style: 'line' },
  // A wide band under the exact curve: where the two agree, both stay visible.
  hypervisor: { color: '#f59e0b', style: 'line', width: 6 },
  esx: { color: '#7c3aed', style: 'step' },
  shards: { color: '#2563eb', style: 'dashed' },
  policy: { color: '#059669', style: 'line' },
  minisim: { color: '#db2777', style: 'dashed' },
};

export function mrcChartId(run: RunDetail, vmName: string): string {
  return `run-${run.id}-mrc-${vmName}`;
}

export function esxChartId(run: RunDetail, vmName: string): string {
  return `run-${run.id}-esx-${vmName}`;
}

function methodLabel(run: RunDetail, c: VmRunResult['curves'][number]): string {
  if (c.method === 'hypervisor')
    return `hypervisor (known ${fmtCount(c.minSize)}…${c.maxSize === null ? '∞' : fmtCount(c.maxSize)})`;
  if (c.method === 'shards' && run.experiment.shards.mode === 'fixed-rate')
    return `shards (R = ${run.experiment.shards.rate})`;
  if (c.method === 'policy') return 'policy (true curve)';
  if (c.method === 'minisim') return minisimLabel(run);
  if (c.method === 'esx') return 'esx step';
  return c.method;
}

type CurveDto = VmRunResult['curves'][number];
type Pt = [number, number | null];

function pointsOf(c: CurveDto): Pt[] {
  return c.sizes.map((s, i): Pt => [s, c.missRatio[i] ?? null]);
}

/**
 * ESX's curve is one step: its miss ratio at the allocation, from the estimate up to the
 * allocation. The sampled sizes may miss both ends, so they are added (as MrcChart.vue does).
 */
function esxStep(result: VmRunResult, c: CurveDto): Pt[] {
  const points = pointsOf(c);
  if (c.maxSize === null || c.references <= 0) return points;
  const stored = c.missRatio.find((r) => r !== null);
  const y =
    stored ?? (result.esx === undefined ? undefined : result.esx.missesAtAllocation / c.references);
  if (y === undefined) return points;
  const hi = c.maxSize;
  const before = points.filter(([x]) => x < c.minSize);
  const inside = points.filter(([x]) => x > c.minSize && x < hi);
  const after = points.filter(([x]) => x > hi);
  return [
    ...before,
    ...(before.length > 0 ? [[c.minSize, null] as Pt] : []),
    [c.minSize, y],
    ...inside,
    [hi, y],
    ...(after.length > 0 ? [[hi, null] as Pt] : []),
    ...after,
  ];
}

export function mrcChart(run: RunDetail, result: VmRunResult): ChartSpec {
  const vm = run.vms.find((v) => v.name === result.name);
  const series: ChartSpec['series'] = result.curves.map((c) => {
    const st = METHOD_STYLE[c.method] ?? { color: '#6b7280', style: 'line' as const };
    return {
      label: methodLabel(run, c),
      color: st.color,
      style: st.style,
      ...(st.width === undefined ? {} : { width: st.width }),
      points: c.method === 'esx' ? esxStep(result, c) : pointsOf(c),
    };
  });
  const esx = result.esx;
  const esxCurve = result.curves.find((c) => c.method === 'esx');
  if (esx?.finalEstimate != null && esxCurve !== undefined && esxCurve.references > 0)
    series.push({
      label: 'esx estimate',
      color: '#7c3aed',
      style: 'points',
      points: [[esx.finalEstimate, esx.missesAtAllocation / esxCurve.references]],
    });
  const markers: ChartSpec['markers'] = [];
  if (vm !== undefined) {
    markers.push({ x: vm.guestPages, label: 'V' });
    if (vm.hvPages > 0) markers.push({ x: vm.guestPages + vm.hvPages, label: 'V + C' });
    if (vm.ghostPages > 0)
      markers.push({ x: vm.guestPages + vm.hvPages + vm.ghostPages, label: 'V + C + G' });
  }
  const sizes = result.curves.flatMap((c) => c.sizes).filter((s) => s > 0);
  const xLog = sizes.length > 1 && Math.max(...sizes) / Math.min(...sizes) > 50;
  const mem =
    vm === undefined
      ? ''
      : ` V = ${fmtPages(vm.guestPages)}, C = ${fmtPages(vm.hvPages)}, G = ${fmtPages(vm.ghostPages)}, ${vm.policy} guest.`;
  return {
    id: mrcChartId(run, result.name),
    kind: 'line',
    title: `Miss ratio curves of ${result.name} (run #${run.id} ${run.experimentName})`,
    caption:
      `Miss ratio against memory size for VM ${result.name}, one curve per method ` +
      `(${result.curves.map((c) => c.method).join(', ') || 'none'}); a gap is a size the method ` +
      `cannot see. Dashed verticals mark V, V + C and V + C + G.${mem}` +
      (xLog ? ' Logarithmic size axis.' : ''),
    xLabel: `memory size (pages of ${fmtCount(run.experiment.pageSize)} B)`,
    yLabel: 'miss ratio',
    xLog,
    yMin: 0,
    series,
    markers,
  };
}

/** The ESX estimate against the truth over time, or null when ESX did not run on this VM. */
export function esxChart(run: RunDetail, result: VmRunResult): ChartSpec | null {
  const esx = result.esx;
  if (esx === undefined || esx.periods.length === 0) return null;
  const byRefs = esx.periodMode === 'refs';
  const x = (p: (typeof esx.periods)[number]): number => (byRefs ? p.endRef : p.endTime);
  const series: ChartSpec['series'] = [
    {
      label: 'estimate',
      color: '#7c3aed',
      style: 'line',
      points: esx.periods.map((p) => [x(p), p.estimate]),
    },
  ];
  if (esx.periods.some((p) => p.trueWorkingSet !== undefined))
    series.push({
      label: 'true working set',
      color: '#059669',
      style: 'dashed',
      points: esx.periods.map((p) => [x(p), p.trueWorkingSet ?? null]),
    });
  series.push(
    {
      label: 'fast average',
      color: '#db2777',
      style: 'line',
      points: esx.periods.map((p) => [x(p), p.fast]),
    },
    {
      label: 'slow average',
      color: '#2563eb',
      style: 'line',
      points: esx.periods.map((p) => [x(p), p.slow]),
    },
    {
      label: 'sample',
      color: '#9ca3af',
      style: 'points',
      points: esx.periods.map((p) => [x(p), p.sampleEstimate]),
    },
    {
      label: `allocation A = ${fmtCount(esx.allocation)}`,
      color: '#6b7280',
      style: 'dashed',
      points: [
        [x(esx.periods[0]), esx.allocation],
        [x(esx.periods[esx.periods.length - 1]), esx.allocation],
      ],
    },
  );
  return {
    id: esxChartId(run, result.name),
    kind: 'line',
    title: `ESX working-set estimate of ${result.name} (run #${run.id} ${run.experimentName})`,
    caption:
      `ESX sampling of ${result.name}: ${fmtCount(esx.samples)} pages sampled per period over ` +
      `${fmtCount(esx.periods.length)} periods; the estimate is min(A, max of the averages), ` +
      `the true working set the distinct pages touched in each period.`,
    xLabel: byRefs ? 'references' : 'VM time (s)',
    yLabel: 'pages',
    yMin: 0,
    series,
    markers: [],
  };
}
