/**
 * How a run was made, as a table (vm, parameter, value): every VM's V, C, G, policy, writeback,
 * workload or trace (path, sha256, bytes and counts), seeds, costs; the experiment's methods,
 * ESX and SHARDS parameters and sizes. The words are shared with the app (shared/format/run-text.ts).
 */
import type { RunDetail } from '../../../shared/api/entities.js';
import type { ReportTable } from '../../../shared/api/report.js';
import {
  esxText,
  minisimText,
  shardsText,
  sizesText,
  workloadText,
  writebackText,
} from '../../../shared/format/run-text.js';
import { fmtCount } from '../format.js';

const EXPERIMENT = '(all VMs)';

function scalar(v: unknown): string {
  if (typeof v === 'number') return v.toLocaleString('en-US');
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
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
  if (run.experiment.methods.includes('minisim')) add(EXPERIMENT, 'minisim', minisimText(run));
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
