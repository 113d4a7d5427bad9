/**
 * `hclab allocate --online --experiment FILE`: online adaptive allocation over an experiment's
 * VMs (engine/alloc/online): the oracle (exact curves), hypervisor-online (the hypervisor's own
 * per-epoch curves) and ESX (sampling + idle-memory tax) controllers in one resizing timeline.
 * Prints each controller's totals and, per epoch, pages per VM, misses, misses per second and
 * violations (`--csv`: one row per controller, epoch and VM; `--json`: everything).
 */
import path from 'node:path';
import {
  alphaText,
  DEFAULT_CACHE_SHARE,
  ONLINE_CONTROLLERS,
  type AllocObjective,
  type OnlineController,
  type OnlineResult,
} from '../../engine/alloc/index.js';
import { loadExperiment } from '../../service/experiment-runner.js';
import { onlineForExperiment, type OnlineVmParams } from '../../service/online-alloc.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseNumber, parsePositiveCount } from '../numbers.js';
import { fmtInt, printCsv, printJson, printTable } from '../output.js';

export interface OnlineCliOptions {
  experiment?: string;
  memory: string;
  quantum?: string;
  epoch: string;
  cacheShare?: string;
  ghost?: string;
  decay: string;
  objective: string;
  tau?: string;
  esxPeriod?: string;
  controllers?: string;
  baseline: string[];
  tolerance: string[];
  weight: string[];
  shares: string[];
  min: string[];
  max: string[];
  json?: boolean;
  csv?: boolean;
}

/** `NAME=VALUE` → [name, value]; a bare VALUE applies to every VM (name '*'). */
function pair(option: string, text: string): [string, string] {
  const i = text.indexOf('=');
  if (i < 0) return ['*', text];
  if (i === 0 || i === text.length - 1)
    throw new UsageError(`${option}: expected NAME=VALUE or VALUE, got '${text}'`);
  return [text.slice(0, i), text.slice(i + 1)];
}

function f(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

export async function allocateOnline(ctx: CliContext, o: OnlineCliOptions): Promise<void> {
  if (o.experiment === undefined)
    throw new UsageError('--online: give the VMs with --experiment FILE');
  const exp = await loadExperiment(o.experiment);
  const memory = parsePositiveCount('--memory', o.memory);
  const objective = o.objective as AllocObjective;
  if (objective !== 'misses' && objective !== 'rate')
    throw new UsageError(`--objective: expected misses or rate, got '${o.objective}'`);
  let controllers: OnlineController[] | undefined;
  if (o.controllers !== undefined) {
    controllers = o.controllers.split(',').map((c) => c.trim()) as OnlineController[];
    for (const c of controllers)
      if (!ONLINE_CONTROLLERS.includes(c))
        throw new UsageError(
          `--controllers: expected a list of ${ONLINE_CONTROLLERS.join(', ')}, got '${c}'`,
        );
  }
  const names = exp.vms.map((v) => v.name);
  const params = new Map<string, OnlineVmParams>(names.map((n) => [n, { name: n }]));
  const perVm = (option: string, list: string[], set: (p: OnlineVmParams, v: string) => void) => {
    for (const item of list) {
      const [name, value] = pair(option, item);
      const targets = name === '*' ? [...params.values()] : [params.get(name)];
      if (targets[0] === undefined)
        throw new UsageError(
          `${option}: no VM '${name}' in ${o.experiment} (VMs: ${names.join(', ')})`,
        );
      for (const p of targets) set(p as OnlineVmParams, value);
    }
  };
  perVm(
    '--baseline',
    o.baseline,
    (p, v) => (p.baseline = parseNumber(`--baseline ${p.name}`, v, 0)),
  );
  perVm('--tolerance', o.tolerance, (p, v) => {
    p.tolerance = ['inf', 'infinity'].includes(v.toLowerCase())
      ? 'inf'
      : parseNumber(`--tolerance ${p.name}`, v, 0);
  });
  perVm(
    '--weight',
    o.weight,
    (p, v) => (p.weight = parseNumber(`--weight ${p.name}`, v, Number.MIN_VALUE)),
  );
  perVm(
    '--shares',
    o.shares,
    (p, v) => (p.shares = parseNumber(`--shares ${p.name}`, v, Number.MIN_VALUE)),
  );
  perVm('--min', o.min, (p, v) => (p.min = parseNumber(`--min ${p.name}`, v, 0)));
  perVm('--max', o.max, (p, v) => (p.max = parseNumber(`--max ${p.name}`, v, 0)));
  const r = await ctx.withProgress('online allocation', (control) =>
    onlineForExperiment(
      exp,
      exp.vms,
      path.dirname(path.resolve(o.experiment as string)),
      {
        memory,
        quantum: o.quantum === undefined ? undefined : parsePositiveCount('--quantum', o.quantum),
        epochSeconds: parseNumber('--epoch', o.epoch, Number.MIN_VALUE),
        cacheShare:
          o.cacheShare === undefined
            ? undefined
            : parseNumber('--cache-share', o.cacheShare, 0, 0.99),
        ghostPages: o.ghost === undefined ? undefined : parseNumber('--ghost', o.ghost, 0),
        decay: parseNumber('--decay', o.decay, 0, 1),
        objective,
        tau: o.tau === undefined ? undefined : parseNumber('--tau', o.tau, 0, 0.99),
        esxPeriodSeconds:
          o.esxPeriod === undefined
            ? undefined
            : parseNumber('--esx-period', o.esxPeriod, Number.MIN_VALUE),
        controllers,
        vms: [...params.values()],
      },
      control,
    ),
  );
  if (o.json) {
    printJson(jsonOf(r));
    return;
  }
  if (o.csv) {
    printOnlineCsv(r);
    return;
  }
  printOnline(r);
}

/** JSON: α = ∞ as "inf", NaN as null. */
function jsonOf(r: OnlineResult): unknown {
  return JSON.parse(
    JSON.stringify(r, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? null : 'inf') : v,
    ),
  );
}

/** One row per controller, epoch and VM. */
export function printOnlineCsv(r: OnlineResult): void {
  printCsv(
    [
      'controller',
      'epoch',
      'start_s',
      'end_s',
      'vm',
      'pages',
      'guest_pages',
      'cache_pages',
      'references',
      'misses',
      'refill_misses',
      'seconds',
      'misses_per_s',
      'predicted_misses',
      'baseline_misses',
      'violation',
    ],
    r.controllers.flatMap((c) =>
      c.epochs.flatMap((e) =>
        e.vms.map((v) => [
          c.controller,
          e.index,
          e.startTime,
          e.endTime,
          v.name,
          v.pages,
          v.guestPages,
          v.cachePages,
          v.references,
          v.misses,
          v.refillMisses,
          v.seconds,
          v.missRate,
          v.predictedMisses,
          v.baselineMisses,
          v.violation ? 1 : 0,
        ]),
      ),
    ),
  );
}

export function printOnline(r: OnlineResult): void {
  const w = process.stdout;
  w.write(
    `online allocation: M = ${fmtInt(r.memory)} pages, q = ${r.quantum}, epoch ${r.epochSeconds} s of VM time, ` +
      `objective ${r.objective === 'rate' ? 'page misses per second' : 'misses'}, decay ${r.decay}\n` +
      `  DP controllers: C = round(${r.cacheShare}·m), V = m − C${r.cacheShare === DEFAULT_CACHE_SHARE ? ' (default share)' : ''}; hypervisor ghost list G = ${fmtInt(r.ghostPages)}\n` +
      `  ESX: period ${r.esxPeriodSeconds} s, τ = ${r.tau}, reclaiming from each VM's max bound every period\n` +
      `  bounds shared by every controller (pages): ${r.vms.map((v) => `${v.name} [${fmtInt(v.min)}, ${fmtInt(v.max)}]`).join(', ')}\n` +
      `  baselines (epoch 0 and isolation): ${r.vms.map((v) => `${v.name} ${fmtInt(v.baseline)} α=${alphaText(v.tolerance)}`).join(', ')}\n`,
  );
  printTable([
    ['controller', 'misses', 'refill', 'misses/s', 'violations', 'reallocations'],
    ...r.controllers.map((c) => [
      c.controller,
      fmtInt(c.totalMisses),
      fmtInt(c.totalRefillMisses),
      f(c.missRate),
      String(c.violations),
      String(c.reallocations),
    ]),
  ]);
  const first = r.controllers[0];
  if (first !== undefined) {
    w.write(
      '\nper epoch: pages per VM (' +
        r.vms.map((v) => v.name).join('/') +
        '), misses, page misses per second (all VMs), isolation violations\n',
    );
    printTable([
      [
        'epoch',
        'end (s)',
        ...r.controllers.flatMap((c) => [`${c.controller} pages`, 'misses', '/s', 'viol']),
      ],
      ...first.epochs.map((e, k) => [
        String(e.index),
        f(e.endTime),
        ...r.controllers.flatMap((c) => {
          const x = c.epochs[k];
          return [
            x.vms.map((v) => String(v.pages)).join('/'),
            fmtInt(x.misses) + (x.feasible ? '' : '*'),
            f(x.missRate),
            String(x.violations),
          ];
        }),
      ]),
    ]);
    if (r.controllers.some((c) => c.epochs.some((e) => !e.feasible)))
      w.write('  * the allocator found no feasible allocation; the previous one was kept\n');
  }
  for (const n of r.notes) w.write(`note: ${n}\n`);
}
