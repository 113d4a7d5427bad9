/**
 * How a run's results were made, in words: the VM (V, C, G, policy, writeback, workload and its
 * seed, trace path and sha256), the experiment (methods, ESX period/samples/gains/seed, SHARDS,
 * sizes, page size) and the HCLab version. Shown beside every chart and table and written into
 * every export.
 */
import type { RunDetail, VmRunResult } from '../../../shared/api/entities.js';
import type { VmSpec } from '../../../shared/schema/vm.js';

export interface ParamRow {
  label: string;
  value: string;
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

export function workloadText(vm: VmSpec): string {
  const w = vm.workload as Record<string, unknown> & { kind: string };
  if (w.kind === 'trace') {
    const opts = Object.entries(w)
      .filter(([k, v]) => k !== 'kind' && k !== 'trace' && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k} ${String(v)}`);
    return `trace ${String(w.trace)}${opts.length > 0 ? ` (${opts.join(', ')})` : ''}`;
  }
  const scalar = Object.entries(w)
    .filter(
      ([k, v]) =>
        k !== 'kind' && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'),
    )
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`);
  const nested = Object.entries(w).filter(([, v]) => typeof v === 'object' && v !== null);
  return `${w.kind}${scalar.length > 0 ? ` (${scalar.join(', ')})` : ''}${nested.length > 0 ? ` + ${nested.map(([k]) => k).join(', ')}` : ''}`;
}

export function writebackText(vm: VmSpec): string {
  return vm.writeback.mode === 'write-through'
    ? 'write-through'
    : `delayed (dirty expire ${vm.writeback.dirtyExpire} s, flusher every ${vm.writeback.interval} s)`;
}

/** One line: "V 1,024 · C 512 · G 2,048 pages · lru · delayed (…)". */
export function vmLine(vm: VmSpec): string {
  return `V ${int(vm.guestPages)} · C ${int(vm.hvPages)} · G ${int(vm.ghostPages)} pages · ${vm.policy} · ${writebackText(vm)}`;
}

export function esxText(run: RunDetail): string {
  const e = run.experiment.esx;
  const period =
    e.periodRefs === null || e.periodRefs === undefined
      ? `${e.periodSeconds} s`
      : `${int(e.periodRefs)} refs`;
  const third =
    e.currentUpdates > 0
      ? `, current-period average gain ${e.currentGain} × ${e.currentUpdates} updates/period`
      : ', no current-period average';
  return `period ${period}, ${e.samples} samples, gains fast ${e.fastGain} / slow ${e.slowGain}${third}, scored with ε = ${e.epsilon}, seed ${e.seed}`;
}

export function shardsText(run: RunDetail): string {
  const s = run.experiment.shards;
  return s.mode === 'fixed-rate'
    ? `fixed rate R = ${s.rate}`
    : `fixed size, ${int(s.maxSamples)} samples`;
}

export function sizesText(run: RunDetail, result: VmRunResult | undefined): string {
  const sizes = result?.curves[0]?.sizes ?? run.experiment.sizes ?? [];
  const given = run.experiment.sizes !== undefined;
  const span = sizes.length > 0 ? `${int(sizes[0])} … ${int(sizes[sizes.length - 1])}` : 'none';
  return `${sizes.length} sizes, ${span} pages (${given ? 'given' : 'default: log-spaced to the footprint + V, V+C, V+C+G'}); page ${int(run.experiment.pageSize)} B`;
}

/** Every parameter of one VM of a run, in reading order. */
export function runParamRows(run: RunDetail, vmName: string): ParamRow[] {
  const vm = run.vms.find((v) => v.name === vmName);
  const result = run.results.find((r) => r.name === vmName);
  const rows: ParamRow[] = [
    { label: 'run', value: `#${run.id} ${run.experimentName} (${run.state})` },
  ];
  if (vm !== undefined) {
    rows.push(
      {
        label: 'memory',
        value: `V ${int(vm.guestPages)} guest · C ${int(vm.hvPages)} hypervisor cache · G ${int(vm.ghostPages)} ghost (pages)`,
      },
      {
        label: 'guest policy',
        value: vm.policy === 'lru2' ? `lru2 (active ${vm.activeFraction})` : vm.policy,
      },
      { label: 'writeback', value: writebackText(vm) },
      { label: 'workload', value: workloadText(vm) },
      {
        label: 'warm-up / untimed rate',
        value: `${int(vm.warmup)} refs / ${int(vm.untimedRate)} refs/s`,
      },
      { label: 'admission failure', value: `${vm.admissionFailure} (seed ${vm.admissionSeed})` },
    );
  }
  const trace = result?.provenance?.trace;
  if (trace !== undefined)
    rows.push({
      label: 'trace',
      value: `${trace.path}${trace.fileName ? ` (${trace.fileName})` : ''}, ${int(trace.bytes)} bytes, sha256 ${trace.sha256}`,
    });
  rows.push({ label: 'methods', value: run.experiment.methods.join(', ') || 'none' });
  if (run.experiment.methods.includes('esx'))
    rows.push({ label: 'ESX sampling', value: esxText(run) });
  if (run.experiment.methods.includes('shards'))
    rows.push({ label: 'SHARDS', value: shardsText(run) });
  rows.push({ label: 'sizes', value: sizesText(run, result) });
  rows.push({
    label: 'HCLab',
    value: result?.provenance?.hclabVersion ?? 'version not recorded (run made before it was)',
  });
  return rows;
}

/** Caption lines for an exported chart of one VM: title, then the parameters. */
export function captionLines(title: string, run: RunDetail, vmName: string): string[] {
  const vm = run.vms.find((v) => v.name === vmName);
  const result = run.results.find((r) => r.name === vmName);
  const lines = [title];
  if (vm !== undefined) lines.push(`${vmLine(vm)} · ${workloadText(vm)}`);
  const method: string[] = [`methods ${run.experiment.methods.join(', ')}`];
  if (run.experiment.methods.includes('esx')) method.push(`ESX ${esxText(run)}`);
  if (run.experiment.methods.includes('shards')) method.push(`SHARDS ${shardsText(run)}`);
  lines.push(method.join(' · '));
  const trace = result?.provenance?.trace;
  const tail = [sizesText(run, result)];
  if (trace !== undefined) tail.push(`sha256 ${trace.sha256.slice(0, 16)}…`);
  tail.push(`HCLab ${result?.provenance?.hclabVersion ?? '?'}`);
  lines.push(tail.join(' · '));
  return lines;
}
