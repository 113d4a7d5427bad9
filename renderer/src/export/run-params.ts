/**
 * How a run's results were made, in words: the VM (V, C, G, policy, writeback, workload and its
 * seed, trace path and sha256), the experiment (methods, ESX period/samples/gains/seed, SHARDS,
 * minisim, sizes, page size) and the HCLab version. Shown beside every chart and table and written into
 * every export.
 */
import type { RunDetail } from '../../../shared/api/entities.js';
import {
  esxText,
  int,
  minisimText,
  shardsText,
  sizesText,
  workloadText,
  writebackText,
  vmLine,
} from '../../../shared/format/run-text.js';

export { esxText, minisimText, shardsText, sizesText, vmLine, workloadText, writebackText };

export interface ParamRow {
  label: string;
  value: string;
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
  if (run.experiment.methods.includes('minisim'))
    rows.push({ label: 'minisim', value: minisimText(run) });
  rows.push({
    label: 'sizes',
    value: `${sizesText(run, result)}; page ${int(run.experiment.pageSize)} B`,
  });
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
  if (run.experiment.methods.includes('minisim')) method.push(`minisim ${minisimText(run)}`);
  lines.push(method.join(' · '));
  const trace = result?.provenance?.trace;
  const tail = [sizesText(run, result)];
  if (trace !== undefined) tail.push(`sha256 ${trace.sha256.slice(0, 16)}…`);
  tail.push(`HCLab ${result?.provenance?.hclabVersion ?? '?'}`);
  lines.push(tail.join(' · '));
  return lines;
}
