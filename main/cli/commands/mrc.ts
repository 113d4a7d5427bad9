/** `hclab mrc FILE`: miss ratio curves by several methods, side by side, in one pass. */
import { Command } from 'commander';
import {
  DEFAULT_MINISIM,
  DEFAULT_SHARDS,
  type MinisimConfig,
  type ShardsConfig,
} from '../../engine/config.js';
import { MRC_METHODS, type MrcMethod } from '../../engine/mrc/curve.js';
import { parseSizeList } from '../../engine/mrc/sizes.js';
import { POLICY_NAMES, type PolicyName } from '../../engine/policy/policy.js';
import { openTrace } from '../../engine/trace/index.js';
import {
  computeMrcReport,
  readerSamplingThreshold,
  type MrcJobOptions,
  type MrcReport,
} from '../../service/mrc-report.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { addEsxOptions, esxConfigFrom, type EsxCliOptions } from '../esx-options.js';
import { esxSummaryLines, printEsxSeriesCsv } from '../esx-output.js';
import { parseCount, parseInteger, parseNumber, parsePositiveCount } from '../numbers.js';
import { fmtInt, fmtRatio, printCsv, printJson, printTable } from '../output.js';
import { addTraceOptions, traceReadOptions, type TraceCliOptions } from '../trace-options.js';

interface Options extends TraceCliOptions, EsxCliOptions {
  method: string;
  sizes?: string;
  guestPages?: string;
  hvPages?: string;
  ghostPages?: string;
  policy: string;
  esxSeries?: boolean;
  admissionFailure: string;
  admissionSeed: string;
  hvForgetFailed?: boolean;
  shardsRate?: string;
  shardsMaxSamples?: string;
  minisimRate?: string;
  minisimMaxSamples?: string;
  rate: string;
  csv?: boolean;
  json?: boolean;
}

export function mrcCommand(ctx: CliContext): Command {
  return addEsxOptions(
    addTraceOptions(
      new Command('mrc')
        .description(
          'miss ratio curves: exact (Mattson), hypervisor, esx sampling, shards, policy (one simulation per size), minisim (miniature simulation)',
        )
        .argument('<file>', 'trace file'),
    ),
  )
    .option('--method <list>', `${MRC_METHODS.join('|')}|all, or a comma list`, 'exact')
    .option(
      '--sizes <list>',
      'sizes in pages: 100,200,500 or start:end:step (default: about 64 log-spaced up to the footprint, plus V, V+C, V+C+G)',
    )
    .option('--guest-pages <V>', 'guest memory V (pages), for hypervisor and esx')
    .option('--hv-pages <C>', 'hypervisor exclusive cache C (pages)', '0')
    .option('--ghost-pages <G>', 'ghost list entries G', '0')
    .option(
      '--policy <policy>',
      `guest policy for hypervisor/esx/policy/minisim: ${POLICY_NAMES.filter((p) => p !== 'opt').join(', ')}`,
      'lru',
    )
    .option(
      '--admission-failure <p>',
      'probability an evicted page cannot enter the hypervisor cache',
      '0',
    )
    .option('--admission-seed <n>', 'seed of admission failures', '1')
    .option(
      '--hv-forget-failed',
      'the hypervisor forgets pages whose admission failed (no id-only entry; MRC not exact)',
    )
    .option('--shards-rate <R>', 'SHARDS fixed sampling rate', String(DEFAULT_SHARDS.rate))
    .option('--shards-max-samples <n>', 'SHARDS fixed-size mode with at most n sampled pages')
    .option(
      '--minisim-rate <R>',
      `minisim sampling rate R (miniature caches of size·R pages; default ${DEFAULT_MINISIM.rate})`,
    )
    .option(
      '--minisim-max-samples <n>',
      'minisim fixed-size mode with at most n sampled pages (the rate and the miniature caches shrink as the set fills)',
    )
    .option('--rate <refs/s>', 'references per second of VM time for untimed traces', '1000')
    .option('--csv', 'print method,size,misses,miss_ratio rows')
    .option('--esx-series', 'print the ESX time series as CSV (three averages, estimate, truth)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: Options) => {
      if ([o.csv, o.json, o.esxSeries].filter(Boolean).length > 1)
        throw new UsageError('--csv, --json and --esx-series cannot be combined');
      let methods = parseMethods(o.method);
      const guestPages =
        o.guestPages === undefined ? undefined : parseCount('--guest-pages', o.guestPages);
      const needsVm = methods.includes('hypervisor') || methods.includes('esx');
      if (needsVm && guestPages === undefined) {
        if (o.method.trim() === 'all') {
          methods = methods.filter((m) => m !== 'hypervisor' && m !== 'esx');
          ctx.note(
            '--method all: hypervisor and esx skipped (they need --guest-pages V [--hv-pages C])',
          );
        } else {
          throw new UsageError(
            '--method hypervisor/esx needs --guest-pages V (and usually --hv-pages C)',
          );
        }
      }
      const policy = o.policy as PolicyName;
      if (!POLICY_NAMES.includes(policy) || policy === 'opt')
        throw new UsageError(
          `--policy: expected one of ${POLICY_NAMES.filter((p) => p !== 'opt').join(', ')}, got '${o.policy}'`,
        );
      const esx = esxConfigFrom(o);
      if (o.esxSeries && !methods.includes('esx'))
        throw new UsageError('--esx-series needs --method esx (or all) and --guest-pages V');
      const shards: ShardsConfig =
        o.shardsMaxSamples !== undefined
          ? {
              ...DEFAULT_SHARDS,
              mode: 'fixed-size',
              maxSamples: parsePositiveCount('--shards-max-samples', o.shardsMaxSamples),
            }
          : {
              ...DEFAULT_SHARDS,
              rate: parseNumber('--shards-rate', o.shardsRate ?? '0.01', 1e-9, 1),
            };
      if (o.minisimMaxSamples !== undefined && o.minisimRate !== undefined)
        throw new UsageError('--minisim-rate and --minisim-max-samples cannot be combined');
      const minisim: MinisimConfig =
        o.minisimMaxSamples !== undefined
          ? {
              ...DEFAULT_MINISIM,
              mode: 'fixed-size',
              maxSamples: parsePositiveCount('--minisim-max-samples', o.minisimMaxSamples),
            }
          : {
              ...DEFAULT_MINISIM,
              rate: parseNumber(
                '--minisim-rate',
                o.minisimRate ?? String(DEFAULT_MINISIM.rate),
                1e-9,
                1,
              ),
            };
      let sizes: number[] | undefined;
      if (o.sizes !== undefined) {
        try {
          sizes = parseSizeList(o.sizes);
        } catch (err) {
          throw new UsageError(`--sizes: ${(err as Error).message}`);
        }
      }
      const readOptions = traceReadOptions(o);
      const job: MrcJobOptions = {
        methods,
        guestPages,
        hvPages: parseCount('--hv-pages', o.hvPages ?? '0'),
        ghostPages: parseCount('--ghost-pages', o.ghostPages ?? '0'),
        admissionFailure: parseNumber('--admission-failure', o.admissionFailure, 0, 1),
        admissionSeed: parseInteger('--admission-seed', o.admissionSeed),
        forgetFailed: o.hvForgetFailed === true,
        policy,
        esx,
        shards,
        minisim,
        sizes,
        warmup: readOptions.warmup ?? 0,
        untimedRate: parseNumber('--rate', o.rate, 1e-9),
      };
      const source = await openTrace(file, readOptions);
      // SHARDS or minisim alone at a fixed rate: a fused reader hashes raw ids and maps only
      // the sampled ones.
      const threshold = readerSamplingThreshold(job);
      if (threshold !== null) source.sampleByRawId?.(threshold);
      const report = await ctx.withProgress(`mrc ${file}`, (control) =>
        computeMrcReport(source.chunks(control), job, { signal: control.signal }),
      );
      const stats = source.stats();
      if (stats.badSkipped > 0)
        ctx.note(`${fmtInt(stats.badSkipped)} malformed lines/records skipped`);
      if (o.esxSeries) printEsxSeriesCsv(report.esx ? [{ name: file, esx: report.esx }] : []);
      else if (o.csv) printMrcCsv(report);
      else if (o.json) printJson({ file, trace: stats, ...report });
      else printMrcTable(file, report);
    });
}

function parseMethods(text: string): MrcMethod[] {
  if (text.trim() === 'all') return [...MRC_METHODS];
  const out: MrcMethod[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    if (!(MRC_METHODS as readonly string[]).includes(part))
      throw new UsageError(
        `--method: unknown method '${part}', expected ${MRC_METHODS.join(', ')} or all`,
      );
    if (!out.includes(part as MrcMethod)) out.push(part as MrcMethod);
  }
  return out;
}

function printMrcCsv(report: MrcReport): void {
  const rows: (string | number | null)[][] = [];
  for (const c of report.curves)
    c.sizes.forEach((size, i) => rows.push([c.method, size, c.misses[i], c.missRatio[i]]));
  printCsv(['method', 'size', 'misses', 'miss_ratio'], rows);
}

/** The MAE with its points and sizes; never an error over zero points. */
export function maeText(c: MrcReport['curves'][number]): string {
  if (c.mae === null || c.maeSizesCompared === 0 || c.maeSizeRange === null)
    return '— (no size where both curves are defined)';
  const { first, last } = c.maeSizeRange;
  const range =
    first === last ? `size ${fmtInt(first)}` : `sizes ${fmtInt(first)}..${fmtInt(last)}`;
  const points = c.maeSizesCompared === 1 ? '1 point' : `${fmtInt(c.maeSizesCompared)} points`;
  return `${c.mae.toFixed(5)} over ${points} (${range})`;
}

function printMrcTable(file: string, report: MrcReport): void {
  process.stdout.write(
    `${file}: ${fmtInt(report.references)} references, ${fmtInt(report.distinctPages)} distinct pages\n`,
  );
  const header = ['size (pages)', ...report.curves.map((c) => c.method)];
  const rows = report.sizes.map((size, i) => [
    fmtInt(size),
    ...report.curves.map((c) => fmtRatio(c.missRatio[i] ?? Number.NaN)),
  ]);
  printTable([header, ...rows]);
  if (report.truth !== null)
    process.stdout.write(
      `truth: ${report.truth}${report.truth === 'policy' ? ` (${report.policy} simulated at each size)` : ' (Mattson LRU)'}\n`,
    );
  for (const c of report.curves) {
    // ESX is scored against the working set it estimates (below), not as a curve.
    if (c.method === 'esx' || c.method === report.truth || report.truth === null) continue;
    process.stdout.write(`MAE ${c.method} vs ${c.maeAgainst ?? report.truth}: ${maeText(c)}\n`);
  }
  if (report.minisim !== undefined) {
    const m = report.minisim;
    const sampling =
      m.mode === 'fixed-size'
        ? `fixed size, at most ${fmtInt(m.maxSamples ?? 0)} sampled pages (held ${fmtInt(m.maxSampledPages ?? 0)}), final rate ${m.rate.toPrecision(4)}`
        : `rate ${m.rate.toPrecision(4)}`;
    process.stdout.write(
      `minisim: ${sampling}, ${fmtInt(m.sampledReferences)} sampled references\n`,
    );
  }
  if (report.hypervisor !== undefined)
    process.stdout.write(
      `hypervisor: defined on ${report.hypervisor.guestPages}..${report.hypervisor.guestPages + report.hypervisor.hvPages + report.hypervisor.ghostPages} pages ('unknown' below V); ratios use the simulator's reference count\n`,
    );
  if (report.esx !== undefined) process.stdout.write(esxSummaryLines(report.esx));
}
