/** `hclab overhead`: slowdown of a VM with a share of its memory in the hypervisor cache. */
import path from 'node:path';
import { Command } from 'commander';
import { COST_DEFAULTS } from '../../../shared/schema/defaults.js';
import { validate } from '../../../shared/schema/format.js';
import { VmSchema } from '../../../shared/schema/vm.js';
import { POLICY_NAMES } from '../../engine/policy/policy.js';
import { parseWorkloadSpec } from '../../engine/workload/spec.js';
import { DEFAULT_SHARES, overheadSweep, type OverheadSweep } from '../../service/overhead.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseCount, parseNumber } from '../numbers.js';
import { fmtInt, printCsv, printJson, printTable } from '../output.js';
import { addTraceOptions, traceReadOptions, type TraceCliOptions } from '../trace-options.js';

type CostKey = keyof typeof COST_DEFAULTS;

/** Time-model options: --cpu-us, --guest-hit-us, --hit-us, --put-us, --disk-read-us, … */
const COST_OPTIONS: [CostKey, string, string][] = [
  ['cpuUs', '--cpu-us <us>', 'CPU time of the application per page reference'],
  ['guestHitUs', '--guest-hit-us <us>', 'a reference to a page resident in guest memory'],
  ['hitUs', '--hit-us <us>', 'a hypervisor-cache hit: hypercall + page copy (or remap)'],
  ['putUs', '--put-us <us>', 'a put into the hypervisor cache: hypercall + page copy'],
  ['diskReadUs', '--disk-read-us <us>', 'a random 4 KiB disk read'],
  ['diskWriteUs', '--disk-write-us <us>', 'a random 4 KiB disk write'],
  [
    'evictionWait',
    '--eviction-wait <share>',
    'share of dirty-page eviction writebacks the application waits for, 0..1',
  ],
];

interface Options extends TraceCliOptions {
  trace?: string;
  workload?: string;
  memory?: string;
  shares?: string;
  policy: string;
  writeback: string;
  rate: string;
  csv?: boolean;
  json?: boolean;
  [key: string]: unknown;
}

export function overheadCommand(ctx: CliContext): Command {
  const cmd = addTraceOptions(
    new Command('overhead').description(
      'slowdown of the application with a share C/(V + C) of its memory in the hypervisor cache, against all of it in the VM',
    ),
  )
    .option('--trace <file>', 'the VM runs a trace file')
    .option('--workload <spec>', 'the VM runs a generated workload, e.g. preset:tpcc,pages=2e4')
    .option('--memory <M>', 'the VM memory V + C (pages)')
    .option('--shares <list>', 'cache shares C/(V + C), comma list', DEFAULT_SHARES.join(','))
    .option('--policy <policy>', `guest policy: ${POLICY_NAMES.join(', ')}`, 'lru')
    .option('--writeback <mode>', 'delayed or write-through', 'delayed')
    .option('--rate <refs/s>', 'references per second of VM time for untimed streams', '1000');
  for (const [key, flag, what] of COST_OPTIONS)
    cmd.option(flag, key === 'evictionWait' ? what : `${what} (µs)`, String(COST_DEFAULTS[key]));
  return cmd
    .option('--csv', 'print one CSV row per share')
    .option('--json', 'print one JSON object')
    .action(async (o: Options) => {
      if (o.csv && o.json) throw new UsageError('--csv and --json cannot be combined');
      if ((o.trace === undefined) === (o.workload === undefined))
        throw new UsageError('give exactly one of --trace FILE, --workload SPEC');
      if (o.memory === undefined) throw new UsageError('--memory M (pages) is required');
      const memory = parseCount('--memory', o.memory);
      if (memory < 2) throw new UsageError('--memory: expected at least 2 pages');
      const shares = o.shares!.split(',').map((x) => parseNumber('--shares', x.trim(), 0, 1));
      if (shares.some((s) => s <= 0 || s >= 1))
        throw new UsageError('--shares: every share must be strictly between 0 and 1');
      let workload: unknown;
      if (o.trace !== undefined) {
        workload = { kind: 'trace', trace: path.resolve(o.trace), ...traceReadOptions(o) };
      } else {
        try {
          workload = parseWorkloadSpec(o.workload as string);
        } catch (err) {
          throw new UsageError(`--workload: ${(err as Error).message}`);
        }
      }
      const costs: Record<string, number> = {};
      for (const [key, flag] of COST_OPTIONS)
        costs[key] = parseNumber(
          flag.split(' ')[0],
          String(o[key]),
          0,
          key === 'evictionWait' ? 1 : Infinity,
        );
      const vm = validate(
        VmSchema,
        {
          name: o.trace !== undefined ? path.basename(o.trace) : 'vm',
          workload,
          guestPages: memory,
          policy: o.policy,
          writeback: { mode: o.writeback },
          untimedRate: parseNumber('--rate', o.rate, 1e-9),
          warmup: o.warmup === undefined ? 0 : parseCount('--warmup', o.warmup),
          costs,
        },
        'command line',
      );
      const sweep = await ctx.withProgress('overhead', (control) =>
        overheadSweep(vm, memory, shares, process.cwd(), 4096, control),
      );
      if (o.json) printJson(sweep);
      else if (o.csv) printOverheadCsv(sweep);
      else printOverheadTable(sweep);
    });
}

function printOverheadCsv(s: OverheadSweep): void {
  printCsv(
    [
      'share',
      'guest_pages',
      'cache_pages',
      'hv_hits',
      'puts',
      'disk_reads',
      'disk_writes',
      'mean_access_us',
      'mean_access_us_no_cache',
      'throughput_ratio',
      'slowdown',
    ],
    s.points.map((p) => [
      p.share,
      p.guestPages,
      p.cachePages,
      p.hvHits,
      p.puts,
      p.diskReads,
      p.diskWrites,
      p.overhead.withCache.meanAccessUs,
      p.overhead.withoutCache.meanAccessUs,
      p.overhead.throughputRatio,
      p.overhead.slowdown,
    ]),
  );
}

function printOverheadTable(s: OverheadSweep): void {
  const c = s.costs;
  process.stdout.write(
    `VM memory ${fmtInt(s.memoryPages)} pages, ${fmtInt(s.references)} references. ` +
      `All in the VM: mean access ${s.baseline.time.meanAccessUs.toFixed(3)} µs, ` +
      `${fmtInt(s.baseline.diskReads)} disk reads, ${fmtInt(s.baseline.diskWrites)} disk writes.\n` +
      `Time model (µs): CPU ${c.cpuUs}/ref, guest hit ${c.guestHitUs}, hypervisor hit ${c.hitUs}, ` +
      `put ${c.putUs}, disk read ${c.diskReadUs}, disk write ${c.diskWriteUs}; the application ` +
      `waits for fsync/write-through/direct writes and ${(c.evictionWait * 100).toFixed(0)}% of ` +
      'eviction writebacks; flusher writebacks are asynchronous.\n',
  );
  const rows = [
    [
      'C/(V+C)',
      'V',
      'C',
      'hv hits',
      'puts',
      'disk reads',
      'disk writes',
      'mean access µs',
      'throughput ratio',
      'slowdown',
      '',
    ],
  ];
  for (const p of s.points) {
    const o = p.overhead;
    const bar = '#'.repeat(Math.max(0, Math.min(40, Math.round(o.slowdown * 400))));
    rows.push([
      p.share.toFixed(2),
      fmtInt(p.guestPages),
      fmtInt(p.cachePages),
      fmtInt(p.hvHits),
      fmtInt(p.puts),
      fmtInt(p.diskReads),
      fmtInt(p.diskWrites),
      o.withCache.meanAccessUs.toFixed(3),
      o.throughputRatio.toFixed(4),
      `${(o.slowdown * 100).toFixed(2)}%`,
      bar,
    ]);
  }
  printTable(rows);
}
