/**
 * How a run was made, as a table (vm, parameter, value): every VM's V, C, G, policy, writeback,
 * workload or trace (path, sha256, bytes and counts), seeds, costs; the experiment's methods,
 * ESX and SHARDS parameters and sizes. The words follow renderer/src/export/run-params.ts.
 */
import type { RunDetail } from '../../../shared/api/entities.js';
import type { ReportTable } from '../../../shared/api/report.js';
import type { VmSpec } from '../../../shared/schema/vm.js';
import { fmtCount } from '../format.js';

const EXPERIMENT = '(all VMs)';

function scalar(v: unknown): string {
  if (typeof v === 'number') return v.toLocaleString('en-US');
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function workloadText(vm: VmSpec): string {
  const w = vm.workload as Record<string, unknown> & { kind: string };
  const entries = Object.entries(w).filter(([k, v]) => k !== 'kind' && v !== undefined);
  if (w.kind === 'trace') {
    const opts = entries.filter(([k]) => k !== 'trace').map(([k, v]) => `${k} ${scalar(v)}`);
    return `trace ${String(w.trace)}${opts.length > 0 ? ` (${opts.join(', ')})` : ''}`;
  }
  const parts = entries.map(([k, v]) => `${k} ${scalar(v)}`);
  return `${w.kind}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

export function writebackText(vm: VmSpec): string {
  return vm.writeback.mode === 'write-through'
    ? 'write-through'
    : `delayed (dirty expire ${vm.writeback.dirtyExpire} s, flusher every ${vm.writeback.interval} s)`;
}

export function esxText(run: RunDetail): string {
  const e = run.experiment.esx;
  const period =
    e.periodRefs === null || e.periodRefs === undefined
      ? `${e.periodSeconds} s`
      : `${fmtCount(e.periodRefs)} refs`;
  const third =
    e.currentUpdates > 0
      ? `, current-period average gain ${e.currentGain} × ${e.currentUpdates} updates/period`
      : ', no current-period average';
  return `period ${period}, ${fmtCount(e.samples)} samples, gains fast ${e.fastGain} / slow ${e.slowGain}${third}, scored with ε = ${e.epsilon}, seed ${e.seed}`;
}

export function shardsText(run: RunDetail): string {
  const s = run.experiment.shards;
  return s.mode === 'fixed-rate'
    ? `fixed rate R = ${s.rate}`
    : `fixed size, ${fmtCount(s.maxSamples)} samples (starting rate ${s.rate})`;
}

function sizesText(run: RunDetail): string {
  const sizes = run.results[0]?.curves[0]?.sizes ?? run.experiment.sizes ?? [];
  const given = run.experiment.sizes !== undefined;
  const span =
    sizes.length > 0 ? `${fmtCount(sizes[0])} … ${fmtCount(sizes[sizes.length - 1])}` : 'none';
  return `${sizes.length} sizes, ${span} pages (${given ? 'given' : 'default: log-spaced to the footprint + V, V + C, V + C + G'})`;
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

export function runParamsTable(run: RunDetail): ReportTable {
  const rows: ReportTable['rows'] = [];
  const add = (vm: string, label: string, value: string): void => {
    rows.push([vm, label, value]);
  };
  add(EXPERIMENT, 'run', `#${run.id} ${run.experimentName} (${run.state})`);
  add(EXPERIMENT, 'started / finished', `${run.createdAt} / ${run.finishedAt ?? '—'}`);
  add(EXPERIMENT, 'methods', run.experiment.methods.join(', ') || 'none');
  add(EXPERIMENT, 'ESX sampling', esxText(run));
  add(EXPERIMENT, 'SHARDS', shardsText(run));
  add(EXPERIMENT, 'sizes', sizesText(run));
  add(EXPERIMENT, 'page size', `${fmtCount(run.experiment.pageSize)} B`);
  for (const vm of run.vms) {
    const n = vm.name;
    const result = run.results.find((r) => r.name === n);
    add(n, 'V (guest memory)', `${fmtCount(vm.guestPages)} pages`);
    add(n, 'C (hypervisor cache)', `${fmtCount(vm.hvPages)} pages`);
    add(n, 'G (ghost entries)', `${fmtCount(vm.ghostPages)} pages`);
    add(n, 'guest policy', vm.policy === 'lru2' ? `lru2 (active ${vm.activeFraction})` : vm.policy);
    add(n, 'writeback', writebackText(vm));
    add(n, 'workload', workloadText(vm));
    const w = vm.workload as { seed?: unknown };
    add(
      n,
      'seeds',
      `workload ${w.seed === undefined ? '—' : scalar(w.seed)}, admission ${vm.admissionSeed}, ESX ${run.experiment.esx.seed}`,
    );
    add(n, 'admission failure', `${vm.admissionFailure}${vm.hvForgetFailed ? ' (forgotten)' : ''}`);
    add(
      n,
      'warm-up / untimed rate',
      `${fmtCount(vm.warmup)} refs / ${fmtCount(vm.untimedRate)} refs/s`,
    );
    const trace = result?.provenance?.trace;
    if (trace !== undefined) {
      add(n, 'trace path', `${trace.path}${trace.fileName ? ` (${trace.fileName})` : ''}`);
      add(n, 'trace sha256', trace.sha256);
      add(n, 'trace bytes', `${fmtCount(trace.bytes)} B`);
    }
    if (result !== undefined) {
      const s = result.stats;
      add(
        n,
        'references',
        `${fmtCount(num(s.references))} (${fmtCount(num(s.reads))} reads, ${fmtCount(num(s.writes))} writes)`,
      );
    }
    add(n, 'HCLab', result?.provenance?.hclabVersion ?? 'version not recorded');
  }
  return {
    id: `run-${run.id}-parameters`,
    caption: `Parameters of run #${run.id} (${run.experimentName}).`,
    columns: ['vm', 'parameter', 'value'],
    rows,
  };
}
