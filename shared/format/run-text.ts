/**
 * How a run was made, in words: a VM's workload, writeback and one-line summary, the experiment's
 * ESX and SHARDS settings and sizes. One wording for the app's captions and parameter panels
 * (renderer/src/export/run-params.ts) and the reports' parameter tables
 * (main/report/tables/run-params.ts).
 */
import type { RunDetail, VmRunResult } from '../api/entities.js';
import type { VmSpec } from '../schema/vm.js';

/** 12,345 (rounded). */
export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function scalar(v: unknown): string {
  if (typeof v === 'number') return v.toLocaleString('en-US');
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** "zipf (pages 100,000, alpha 1, seed 1)" or "trace web.trace (format csv, split true)". */
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
  return `period ${period}, ${int(e.samples)} samples, gains fast ${e.fastGain} / slow ${e.slowGain}${third}, scored with ε = ${e.epsilon}, seed ${e.seed}`;
}

export function shardsText(run: RunDetail): string {
  const s = run.experiment.shards;
  return s.mode === 'fixed-rate'
    ? `fixed rate R = ${s.rate}`
    : `fixed size, ${int(s.maxSamples)} samples (starting rate ${s.rate})`;
}

export function minisimText(run: RunDetail): string {
  const m = run.experiment.minisim;
  return m.mode === 'fixed-size'
    ? `fixed size, at most ${int(m.maxSamples)} sampled pages (miniature caches shrink as the rate falls)`
    : `fixed rate R = ${m.rate} (miniature caches of size·R pages)`;
}

/** Short chart label of the minisim curve: its rate or its sample size. */
export function minisimLabel(run: RunDetail): string {
  const m = run.experiment.minisim;
  return m.mode === 'fixed-size'
    ? `minisim (≤ ${int(m.maxSamples)} samples)`
    : `minisim (R = ${m.rate})`;
}

/** "225 sizes, 20 … 4,500 pages (given)" — the sizes of `result`'s curves, else the run's. */
export function sizesText(run: RunDetail, result?: VmRunResult): string {
  const sizes = (result ?? run.results[0])?.curves[0]?.sizes ?? run.experiment.sizes ?? [];
  const given = run.experiment.sizes !== undefined;
  const span = sizes.length > 0 ? `${int(sizes[0])} … ${int(sizes[sizes.length - 1])}` : 'none';
  return `${sizes.length} sizes, ${span} pages (${given ? 'given' : 'default: log-spaced to the footprint + V, V + C, V + C + G'})`;
}
