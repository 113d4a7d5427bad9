/** `hclab simulate`: VMs over a hypervisor exclusive cache; per-VM statistics. */
import path from 'node:path';
import { Command } from 'commander';
import { ExperimentSchema, type Experiment } from '../../../shared/schema/index.js';
import { validate } from '../../../shared/schema/format.js';
import { POLICY_NAMES } from '../../engine/policy/policy.js';
import { parseWorkloadSpec } from '../../engine/workload/spec.js';
import {
  loadExperiment,
  runExperiment,
  type ExperimentResult,
} from '../../service/experiment-runner.js';
import type { IoComparison } from '../../engine/hypervisor/io-comparison.js';
import type { EsxReport } from '../../service/mrc-report.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { addEsxOptions, esxConfigFrom, type EsxCliOptions } from '../esx-options.js';
import { esxSummaryLines, printEsxSeriesCsv } from '../esx-output.js';
import { parseCount, parseInteger, parseNumber } from '../numbers.js';
import { fmtInt, fmtRatio, printCsv, printJson, printTable } from '../output.js';
import { parseSizeList } from '../../engine/mrc/sizes.js';
import type { SweepSpec } from '../../engine/policy/size-sweep.js';
import { openTrace } from '../../engine/trace/index.js';
import { generateWorkload } from '../../engine/workload/generate.js';
import { defaultSweepWorkers, runSizeSweep } from '../../service/size-sweep.js';
import { addTraceOptions, traceReadOptions, type TraceCliOptions } from '../trace-options.js';

interface Options extends TraceCliOptions, EsxCliOptions {
  trace?: string;
  workload?: string;
  experiment?: string;
  guestPages?: string;
  hvPages: string;
  ghostPages: string;
  policy: string;
  writeback: string;
  dirtyExpire: string;
  writebackInterval: string;
  admissionFailure: string;
  admissionSeed: string;
  hvForgetFailed?: boolean;
  rate: string;
  esx?: boolean;
  esxSeries?: boolean;
  json?: boolean;
  csv?: boolean;
  sizes?: string;
  workers?: string;
}

/** The statistics printed by --csv and the table, in order. */
const COLUMNS = [
  'references',
  'reads',
  'writes',
  'fullPageWrites',
  'guestHits',
  'hvHits',
  'ghostHits',
  'diskReads',
  'diskWrites',
  'writebackWrites',
  'evictionWrites',
  'syncWrites',
  'bypassWrites',
  'puts',
  'admissionFailures',
  'idOnlyHits',
  'invalidations',
  'overheadUs',
] as const;

/** The I/O comparison columns of --csv: with (V, C), with V + C guest pages and no cache. */
const IO_COLUMNS = [
  'noCacheGuestPages',
  'noCacheDiskReads',
  'noCacheDiskWrites',
  'extraDiskReads',
  'extraDiskWrites',
] as const;

function ioRow(io: IoComparison): number[] {
  return [
    io.withoutCache.guestPages,
    io.withoutCache.diskReads,
    io.withoutCache.diskWrites,
    io.difference.diskReads,
    io.difference.diskWrites,
  ];
}

export function simulateCommand(ctx: CliContext): Command {
  return addEsxOptions(
    addTraceOptions(
      new Command('simulate').description(
        'simulate VMs with guest memory V over a hypervisor exclusive cache C (ghost list G)',
      ),
    ),
  )
    .option('--trace <file>', 'one VM driven by a trace file')
    .option(
      '--workload <spec>',
      'one VM driven by a generated workload, e.g. zipf:pages=1e5,refs=1e6',
    )
    .option('--experiment <file>', 'several VMs from an experiment file (JSON or YAML)')
    .option('--guest-pages <V>', 'guest memory V (pages)')
    .option('--hv-pages <C>', 'hypervisor exclusive cache C (pages)', '0')
    .option('--ghost-pages <G>', 'ghost list entries G', '0')
    .option('--policy <policy>', `guest policy: ${POLICY_NAMES.join(', ')}`, 'lru')
    .option('--writeback <mode>', 'delayed or write-through', 'delayed')
    .option('--dirty-expire <sec>', 'delayed writeback: a page dirty this long is written', '30')
    .option('--writeback-interval <sec>', 'delayed writeback: flusher period', '5')
    .option('--admission-failure <p>', 'probability an evicted page cannot enter the cache', '0')
    .option('--admission-seed <n>', 'seed of admission failures', '1')
    .option(
      '--hv-forget-failed',
      'the hypervisor forgets pages whose admission failed (no id-only entry; MRC not exact)',
    )
    .option('--rate <refs/s>', 'references per second of VM time for untimed streams', '1000')
    .option(
      '--esx',
      'also run ESX sampling (the VM with all V + C pages) and score it against the working set',
    )
    .option('--esx-series', 'print the ESX time series as CSV (implies --esx)')
    .option(
      '--sizes <list>',
      'plain caches of these sizes (pages: 100,200 or start:end:step) for every --policy (a comma list), in one pass over the stream split across worker threads',
    )
    .option('--workers <n>', 'with --sizes: worker threads (0: none; default one per core)')
    .option('--json', 'print one JSON object')
    .option('--csv', 'print one CSV row per VM')
    .action(async (o: Options) => {
      if ([o.csv, o.json, o.esxSeries].filter(Boolean).length > 1)
        throw new UsageError('--csv, --json and --esx-series cannot be combined');
      const given = [o.trace, o.workload, o.experiment].filter((x) => x !== undefined).length;
      if (given !== 1)
        throw new UsageError(
          'give exactly one of --trace FILE, --workload SPEC, --experiment FILE',
        );
      if (o.sizes !== undefined) return sweep(ctx, o);
      let exp: Experiment;
      let baseDir = process.cwd();
      if (o.experiment !== undefined) {
        exp = await loadExperiment(o.experiment);
        baseDir = path.dirname(path.resolve(o.experiment));
        // The experiment file sets ESX's parameters; --esx only adds the method.
        if ((o.esx || o.esxSeries) && !exp.methods.includes('esx'))
          exp = { ...exp, methods: [...exp.methods, 'esx'] };
      } else {
        exp = singleVmExperiment(o);
      }
      const result = await ctx.withProgress('simulate', (control) =>
        runExperiment(exp, baseDir, control),
      );
      printResult(result, o);
    });
}

function singleVmExperiment(o: Options): Experiment {
  if (o.guestPages === undefined)
    throw new UsageError('--guest-pages V is required (except with --experiment)');
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
  if (o.writeback !== 'delayed' && o.writeback !== 'write-through')
    throw new UsageError(`--writeback: expected delayed or write-through, got '${o.writeback}'`);
  return validate(
    ExperimentSchema,
    {
      name: 'simulate',
      vms: [
        {
          name: o.trace !== undefined ? path.basename(o.trace) : 'vm',
          workload,
          guestPages: parseCount('--guest-pages', o.guestPages),
          hvPages: parseCount('--hv-pages', o.hvPages),
          ghostPages: parseCount('--ghost-pages', o.ghostPages),
          policy: o.policy,
          writeback: {
            mode: o.writeback,
            dirtyExpire: parseNumber('--dirty-expire', o.dirtyExpire, 0),
            interval: parseNumber('--writeback-interval', o.writebackInterval, 1e-9),
          },
          admissionFailure: parseNumber('--admission-failure', o.admissionFailure, 0, 1),
          admissionSeed: parseInteger('--admission-seed', o.admissionSeed),
          hvForgetFailed: o.hvForgetFailed === true,
          untimedRate: parseNumber('--rate', o.rate, 1e-9),
          warmup: o.warmup === undefined ? 0 : parseCount('--warmup', o.warmup),
        },
      ],
      // Statistics only, and ESX when asked for.
      methods: o.esx || o.esxSeries ? ['esx'] : [],
      esx: esxConfigFrom(o),
    },
    'command line',
  );
}

function printResult(result: ExperimentResult, o: Options): void {
  if (o.json) {
    printJson({
      experiment: result.experiment,
      vms: result.vms.map((vm) => ({
        ...vm.stats,
        name: vm.name,
        io: vm.io,
        curves: vm.curves,
        esx: vm.esx,
      })),
    });
    return;
  }
  const withEsx = result.vms.flatMap((vm) => (vm.esx ? [{ name: vm.name, esx: vm.esx }] : []));
  if (o.esxSeries) {
    printEsxSeriesCsv(withEsx);
    return;
  }
  if (o.csv) {
    const esxCols = withEsx.length > 0 ? ESX_COLUMNS : [];
    printCsv(
      ['name', ...COLUMNS, ...IO_COLUMNS, ...esxCols.map(([c]) => c)],
      result.vms.map((vm) => [
        vm.name,
        ...COLUMNS.map((c) => vm.stats[c]),
        ...ioRow(vm.io),
        ...esxCols.map(([, f]) => (vm.esx ? f(vm.esx) : null)),
      ]),
    );
    return;
  }
  const header = ['', ...result.vms.map((vm) => vm.name)];
  const rows = COLUMNS.map((c) => [c, ...result.vms.map((vm) => fmtInt(vm.stats[c]))]);
  printTable([header, ...rows]);
  process.stdout.write(
    '\nDisk I/O with the hypervisor cache (V, C) and with V + C guest pages, no cache:\n',
  );
  const ioRows: string[][] = [['vm', 'config', 'disk reads', 'disk writes', 'of which eviction']];
  for (const vm of result.vms) {
    const { withCache: a, withoutCache: b, difference: d, relative: r } = vm.io;
    ioRows.push([
      vm.name,
      `V=${a.guestPages} C=${a.cachePages}`,
      fmtInt(a.diskReads),
      fmtInt(a.diskWrites),
      fmtInt(a.evictionWrites),
    ]);
    ioRows.push([
      '',
      `V=${b.guestPages} C=0`,
      fmtInt(b.diskReads),
      fmtInt(b.diskWrites),
      fmtInt(b.evictionWrites),
    ]);
    ioRows.push([
      '',
      'difference',
      `${signed(d.diskReads)} (${pct(r.diskReads)})`,
      `${signed(d.diskWrites)} (${pct(r.diskWrites)})`,
      signed(a.evictionWrites - b.evictionWrites),
    ]);
  }
  printTable(ioRows);
  for (const { name, esx } of withEsx) process.stdout.write(esxSummaryLines(esx, `esx ${name}`));
}

function signed(n: number): string {
  return n > 0 ? `+${fmtInt(n)}` : fmtInt(n);
}

function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** ESX columns of --csv: the final estimate and its score (empty where not compared). */
const ESX_COLUMNS: [string, (e: EsxReport) => number | null][] = [
  ['esxAllocation', (e) => e.allocation],
  ['esxFinalEstimate', (e) => e.finalEstimate],
  ['esxPeriodsScored', (e) => e.score.periods],
  ['esxWsMeanRelError', (e) => e.score.workingSet.meanRelativeError],
  ['esxWsMaxRelError', (e) => e.score.workingSet.maxRelativeError],
  ['esxWsMeanAbsPages', (e) => e.score.workingSet.meanAbsPages],
  ['esxWsMaxAbsPages', (e) => e.score.workingSet.maxAbsPages],
  ['esxEpsilon', (e) => e.score.epsilon],
  ['esxEpsMeanRelError', (e) => e.score.epsilonMemory.meanRelativeError],
  ['esxEpsMaxRelError', (e) => e.score.epsilonMemory.maxRelativeError],
  ['esxAllocErrorMeanPages', (e) => e.score.epsilonMemory.meanAbsPages],
  ['esxAllocErrorMaxPages', (e) => e.score.epsilonMemory.maxAbsPages],
];

/** `--sizes LIST --policy LIST`: plain caches for every (policy, size), the stream read once. */
async function sweep(ctx: CliContext, o: Options): Promise<void> {
  if (o.experiment !== undefined)
    throw new UsageError('--sizes needs --trace FILE or --workload SPEC');
  for (const [flag, set] of [
    ['--guest-pages', o.guestPages !== undefined],
    ['--esx', o.esx === true || o.esxSeries === true],
    ['--hv-pages', o.hvPages !== '0'],
    ['--ghost-pages', o.ghostPages !== '0'],
  ] as const)
    if (set) throw new UsageError(`--sizes runs plain caches: ${flag} does not apply`);
  let sizes: number[];
  try {
    sizes = parseSizeList(o.sizes as string);
  } catch (err) {
    throw new UsageError(`--sizes: ${(err as Error).message}`);
  }
  const allowed = POLICY_NAMES.filter((p) => p !== 'opt');
  const policies = [...new Set(o.policy.split(',').map((p) => p.trim()))];
  for (const p of policies)
    if (!(allowed as readonly string[]).includes(p))
      throw new UsageError(`--policy: expected a comma list of ${allowed.join(', ')}, got '${p}'`);
  const specs: SweepSpec[] = policies.flatMap((policy) =>
    sizes.map((size) => ({ policy: policy as SweepSpec['policy'], size })),
  );
  const workers =
    o.workers === undefined
      ? defaultSweepWorkers(specs.length)
      : parseCount('--workers', o.workers);
  const results = await ctx.withProgress('simulate', async (control) => {
    if (o.trace !== undefined) {
      const source = await openTrace(o.trace, traceReadOptions(o));
      return runSizeSweep(source.chunks(control), specs, workers, control);
    }
    let spec;
    try {
      spec = parseWorkloadSpec(o.workload as string);
    } catch (err) {
      throw new UsageError(`--workload: ${(err as Error).message}`);
    }
    return runSizeSweep(generateWorkload(spec), specs, workers, control);
  });
  const rows = results.map((r) => ({
    ...r,
    missRatio: r.references === 0 ? null : r.misses / r.references,
  }));
  if (o.json) {
    printJson({ workers, caches: rows });
  } else if (o.csv) {
    printCsv(
      ['policy', 'size', 'references', 'hits', 'misses', 'miss_ratio'],
      rows.map((r) => [r.policy, r.size, r.references, r.hits, r.misses, r.missRatio]),
    );
  } else {
    printTable([
      ['policy', 'size (pages)', 'references', 'hits', 'misses', 'miss ratio'],
      ...rows.map((r) => [
        r.policy,
        fmtInt(r.size),
        fmtInt(r.references),
        fmtInt(r.hits),
        fmtInt(r.misses),
        fmtRatio(r.missRatio ?? Number.NaN),
      ]),
    ]);
  }
}
