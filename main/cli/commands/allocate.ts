/**
 * `hclab allocate`: memory allocation across VMs from their MRCs (DESIGN.md §2 Allocation),
 * composable with `hclab mrc --csv`: each VM's curve is a CSV file of `method,size,misses,
 * miss_ratio` rows (empty cells: unknown). The rows of one method are used (default exact),
 * linearly interpolated between sampled sizes; exact and shards curves stay flat past their last
 * sampled size, hypervisor curves are unknown outside their sampled range.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  alphaText,
  fromSamples,
  solveAllocation,
  type AllocVm,
  type SizeCurve,
} from '../../engine/alloc/index.js';
import { computeAllocation } from '../../service/api/alloc.js';
import { allocateOnline, printOnline, type OnlineCliOptions } from './allocate-online.js';
import type { ProjectStore } from '../../store/project-store.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseNumber, parsePositiveCount } from '../numbers.js';
import { fmtInt, printJson, printTable } from '../output.js';

const METHODS = ['exact', 'hypervisor', 'shards'] as const;
type Method = (typeof METHODS)[number];

interface Options extends OnlineCliOptions {
  mrc: string[];
  maxAllocQuanta?: string;
  method: string;
  online?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** `NAME=VALUE` → [name, value]; the option is named in errors. */
function splitPair(option: string, text: string): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0 || i === text.length - 1)
    throw new UsageError(`${option}: expected NAME=VALUE, got '${text}'`);
  return [text.slice(0, i), text.slice(i + 1)];
}

/** Reads one `hclab mrc --csv` file: the sizes and misses of `method` (null: unknown). */
export async function readMrcCsv(
  file: string,
  method: Method,
): Promise<{ sizes: number[]; misses: (number | null)[] }> {
  const text = await readFile(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'method,size,misses,miss_ratio')
    throw new UsageError(
      `${file} line 1: expected the header 'method,size,misses,miss_ratio' (hclab mrc --csv), got '${header ?? ''}'`,
    );
  const sizes: number[] = [];
  const misses: (number | null)[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(',');
    if (cells.length !== 4)
      throw new UsageError(`${file} line ${i + 1}: expected 4 cells, got ${cells.length}`);
    const [m, sizeText, missText] = cells;
    seen.add(m);
    if (m !== method) continue;
    const size = Number(sizeText);
    if (sizeText === '' || !Number.isInteger(size) || size < 0)
      throw new UsageError(
        `${file} line ${i + 1}: expected a size in pages (integer ≥ 0), got '${sizeText}'`,
      );
    const mv = missText === '' ? null : Number(missText);
    if (mv !== null && !(Number.isFinite(mv) && mv >= 0))
      throw new UsageError(
        `${file} line ${i + 1}: expected a miss count ≥ 0 or an empty cell, got '${missText}'`,
      );
    sizes.push(size);
    misses.push(mv);
  }
  if (sizes.length === 0)
    throw new UsageError(
      `${file}: no '${method}' rows (methods in the file: ${[...seen].join(', ') || 'none'}; choose one with --method)`,
    );
  return { sizes, misses };
}

export function allocateCommand(ctx: CliContext): Command {
  return new Command('allocate')
    .description(
      'allocate host memory across VMs from their MRCs (exact DP under isolation constraints)',
    )
    .option('--mrc <NAME=FILE.csv>', 'a VM and its `hclab mrc --csv` output (repeat)', collect, [])
    .requiredOption('--memory <pages>', 'host memory M in pages')
    .option(
      '--online',
      'online adaptive allocation over an experiment’s VMs: oracle, hypervisor-online and ESX controllers in one timeline',
    )
    .option('--experiment <file>', '--online: the experiment file (VMs, workloads, ESX settings)')
    .option('--epoch <seconds>', '--online: epoch length in seconds of VM time', '30')
    .option('--cache-share <fraction>', '--online: C/(V + C) of each DP allocation (default 0.75)')
    .option('--ghost <pages>', '--online: ghost-list entries per VM (default M)')
    .option('--decay <d>', '--online: h = d·h_prev + epoch curve, d in [0, 1]', '0')
    .option('--objective <what>', '--online: misses | rate (page misses per second)', 'misses')
    .option('--tau <tax>', '--online: ESX idle-memory tax τ in [0, 1) (default 0.75)')
    .option('--esx-period <seconds>', '--online: ESX sampling period (default: the experiment’s)')
    .option('--csv', '--online: one CSV row per controller, epoch and VM')
    .option('--controllers <list>', '--online: comma list of oracle, hypervisor, esx (default all)')
    .option(
      '--shares <NAME=S>',
      '--online: ESX shares of a VM (default its shares field) (repeat)',
      collect,
      [],
    )
    .option('--baseline <NAME=PAGES>', 'baseline b of a VM (default M/n) (repeat)', collect, [])
    .option(
      '--tolerance <NAME=ALPHA>',
      'tolerance α ≥ 0 of a VM, or inf (default 0: strict isolation) (repeat)',
      collect,
      [],
    )
    .option('--weight <NAME=W>', 'weight of a VM’s misses (default 1) (repeat)', collect, [])
    .option('--min <NAME=PAGES>', 'lower bound of a VM (repeat)', collect, [])
    .option('--max <NAME=PAGES>', 'upper bound of a VM (repeat)', collect, [])
    .option('--quantum <pages>', 'allocation quantum q (default max(1, ceil(M/1000)))')
    .option(
      '--max-alloc-quanta <n>',
      'most VMs × quanta of the problem; a finer quantum is raised (default 50000)',
    )
    .option('--method <method>', `rows of the CSV files to use: ${METHODS.join('|')}`, 'exact')
    .option('--json', 'print one JSON object')
    .action(async (o: Options) => {
      if (o.online) {
        if (o.mrc.length > 0) throw new UsageError('--online takes --experiment, not --mrc');
        await allocateOnline(ctx, o);
        return;
      }
      if (o.experiment !== undefined) throw new UsageError('--experiment needs --online');
      if (o.csv) throw new UsageError('--csv needs --online (use hclab mrc --csv for curves)');
      const method = o.method as Method;
      if (!METHODS.includes(method))
        throw new UsageError(`--method: expected one of ${METHODS.join(', ')}, got '${o.method}'`);
      if (o.mrc.length === 0) throw new UsageError('--mrc: give at least one NAME=FILE.csv');
      const memory = parsePositiveCount('--memory', o.memory);
      const quantum =
        o.quantum === undefined ? undefined : parsePositiveCount('--quantum', o.quantum);
      const vms: AllocVm[] = [];
      const byName = new Map<string, AllocVm>();
      for (const item of o.mrc) {
        const [name, file] = splitPair('--mrc', item);
        if (byName.has(name)) throw new UsageError(`--mrc: VM '${name}' given twice`);
        const { sizes, misses } = await readMrcCsv(file, method);
        const curve: SizeCurve = fromSamples(sizes, misses, method !== 'hypervisor');
        const vm: AllocVm = { name, curve };
        vms.push(vm);
        byName.set(name, vm);
      }
      const perVm = (option: string, list: string[], set: (vm: AllocVm, v: string) => void) => {
        for (const item of list) {
          const [name, value] = splitPair(option, item);
          const vm = byName.get(name);
          if (vm === undefined)
            throw new UsageError(`${option}: no VM '${name}' (give it with --mrc ${name}=FILE)`);
          set(vm, value);
        }
      };
      perVm('--baseline', o.baseline, (vm, v) => {
        vm.baseline = parseNumber(`--baseline ${vm.name}`, v, 0);
      });
      perVm('--tolerance', o.tolerance, (vm, v) => {
        vm.tolerance = ['inf', 'infinity'].includes(v.toLowerCase())
          ? Number.POSITIVE_INFINITY
          : parseNumber(`--tolerance ${vm.name}`, v, 0);
      });
      perVm('--weight', o.weight, (vm, v) => {
        vm.weight = parseNumber(`--weight ${vm.name}`, v, Number.MIN_VALUE);
      });
      perVm('--min', o.min, (vm, v) => {
        vm.min = parseNumber(`--min ${vm.name}`, v, 0);
      });
      perVm('--max', o.max, (vm, v) => {
        vm.max = parseNumber(`--max ${vm.name}`, v, 0);
      });
      const maxQuanta =
        o.maxAllocQuanta === undefined
          ? undefined
          : parsePositiveCount('--max-alloc-quanta', o.maxAllocQuanta);
      if (maxQuanta !== undefined && maxQuanta < 2)
        throw new UsageError(`--max-alloc-quanta: expected at least 2, got ${maxQuanta}`);
      const r = solveAllocation({ vms, memory, quantum, maxQuanta });
      if (r.note !== undefined) ctx.note(r.note);
      if (!r.feasible) {
        if (o.json) printJson({ feasible: false, reason: r.reason, vm: r.vm });
        throw new Error(r.reason);
      }
      if (o.json) {
        printJson({
          feasible: true,
          memory,
          quantum: r.quantum,
          totalPredictedMisses: r.totalPredictedMisses,
          objective: r.objective,
          memorySlack: r.memorySlack,
          allocations: r.allocations.map((a) => ({
            name: a.name,
            pages: a.pages,
            predictedMisses: a.predictedMisses,
            baselinePages: a.baselinePages,
            baselineMisses: Number.isFinite(a.baselineMisses) ? a.baselineMisses : null,
            tolerance: Number.isFinite(a.tolerance) ? a.tolerance : 'inf',
            slack: Number.isFinite(a.slack) ? a.slack : null,
          })),
        });
        return;
      }
      process.stdout.write(
        `M = ${fmtInt(memory)} pages, q = ${r.quantum}, method ${method}: ${fmtInt(r.memoryUsed)} pages used, ${fmtInt(r.totalPredictedMisses)} predicted misses\n`,
      );
      printTable([
        ['vm', 'pages', 'misses', 'baseline', 'misses(b)', 'α', 'slack'],
        ...r.allocations.map((a) => [
          a.name,
          fmtInt(a.pages),
          fmtInt(a.predictedMisses),
          fmtInt(a.baselinePages),
          Number.isFinite(a.baselineMisses) ? fmtInt(a.baselineMisses) : 'unknown',
          alphaText(a.tolerance),
          Number.isFinite(a.slack) ? fmtInt(a.slack) : '∞',
        ]),
      ]);
      ctx.note(`objective Σ w·misses = ${r.objective}`);
    });
}

/**
 * `hclab run`: for each finished run whose experiment has an `allocation` block, computes the
 * allocation (alloc.compute) and prints one table per source on stdout.
 */
export async function printRunAllocations(store: ProjectStore, runIds: number[]): Promise<void> {
  for (const id of runIds) {
    const run = store.runs.get(id);
    const block = run.experiment.allocation;
    if (run.state !== 'done' || block === undefined) continue;
    const report = await computeAllocation(store, {
      runId: id,
      memory: block.memory,
      quantum: block.quantum,
      tau: block.tau,
      sources: block.sources ?? ['exact', 'hypervisor', 'esx'],
      resimulate: block.resimulate ?? true,
      bounds: block.bounds,
      objective: block.objective,
      online: block.online,
    });
    process.stdout.write(
      `run ${id} (${run.experimentName}): allocation of M = ${fmtInt(report.memory)} pages, q = ${report.quantum}, objective ${report.objective}\n` +
        `  bounds (${report.boundsRule === 'host' ? 'max M unless configured' : 'max V + C unless configured'}), the same for every source: ${report.bounds.map((b) => `${b.name} [${fmtInt(b.min)}, ${fmtInt(b.max)}]`).join(', ')}\n`,
    );
    for (const r of report.results) {
      if (!r.feasible) {
        process.stdout.write(`  ${r.source}: infeasible: ${r.reason ?? ''}\n`);
        continue;
      }
      const f = (x: number | null | undefined) =>
        x === null || x === undefined ? 'unknown' : fmtInt(x);
      const same = r.allocations.length > 0 && r.allocations.every((a) => a.byConstruction);
      process.stdout.write(
        `  ${r.source}: predicted ${f(r.totalPredictedMisses)} misses, achieved ${f(r.totalAchievedMisses)}${same ? ' (equal by construction: LRU guests, static allocation)' : ''}\n`,
      );
      printTable([
        ['    vm', 'pages', 'predicted', 'achieved', 'slack'],
        ...r.allocations.map((a) => [
          `    ${a.name}${a.byConstruction ? ' (=)' : ''}`,
          fmtInt(a.pages),
          f(a.predictedMisses),
          f(a.achievedMisses),
          a.slack === null ? '∞' : fmtInt(a.slack),
        ]),
      ]);
    }
    if (report.online !== undefined) {
      process.stdout.write('\n');
      printOnline({
        ...report.online,
        vms: report.online.vms.map((v) => ({
          ...v,
          tolerance: v.tolerance ?? Number.POSITIVE_INFINITY,
        })),
        controllers: report.online.controllers.map((c) => ({
          ...c,
          epochs: c.epochs.map((e) => ({
            ...e,
            vms: e.vms.map((v) => ({ ...v, baselineMisses: v.baselineMisses ?? Number.NaN })),
          })),
        })),
      });
    }
    for (const n of report.notes) process.stdout.write(`  note: ${n}\n`);
  }
}
