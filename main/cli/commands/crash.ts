/**
 * `hclab crash`: Monte Carlo crash injection on one workload (DESIGN.md §2 Crash model): pages
 * lost per recovery strategy with 95 % confidence intervals. The workload is simulated once;
 * hv-log keeps its log in SQLite (the --project file, else a temporary file) and replays it
 * from there.
 */
import path from 'node:path';
import { Command } from 'commander';
import { COST_DEFAULTS } from '../../../shared/schema/defaults.js';
import { CRASH_STRATEGIES, type CrashStrategy } from '../../engine/crash/index.js';
import type { ChunkSource } from '../../engine/host.js';
import { openTrace } from '../../engine/trace/index.js';
import { generateWorkload } from '../../engine/workload/generate.js';
import { parseWorkloadSpec } from '../../engine/workload/spec.js';
import { ProjectStore } from '../../store/project-store.js';
import { runCrashAnalysis } from '../../service/api/crash.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseCount, parseNumber, parsePositiveCount } from '../numbers.js';
import { printJson, printTable } from '../output.js';
import { addTraceOptions, traceReadOptions, type TraceCliOptions } from '../trace-options.js';
import { usageOnBadInput } from './project-errors.js';

interface Options extends TraceCliOptions {
  trace?: string;
  workload?: string;
  strategy: string;
  trials: string;
  seed: string;
  dirtyExpire: string;
  writebackInterval: string;
  logFlushMs: string;
  pCorrupt: string;
  diskWriteUs: string;
  seqWriteUs: string;
  wpFaultUs: string;
  powerFailure?: boolean;
  guestPages?: string;
  rate: string;
  project?: string;
  json?: boolean;
}

function parseStrategies(text: string): CrashStrategy[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--strategy: give at least one strategy');
  for (const n of names)
    if (!(CRASH_STRATEGIES as readonly string[]).includes(n))
      throw new UsageError(
        `--strategy: unknown strategy '${n}' (expected ${CRASH_STRATEGIES.join(', ')})`,
      );
  return [...new Set(names)] as CrashStrategy[];
}

function fixed(x: number, digits = 2): string {
  return x.toFixed(digits);
}

export function crashCommand(ctx: CliContext): Command {
  return addTraceOptions(
    new Command('crash').description(
      'crash injection: pages lost per recovery strategy (os-delayed, write-through, hv-rescue, hv-log)',
    ),
  )
    .option(
      '--workload <spec>',
      'generated workload, e.g. uniform:pages=1e5,refs=2e5,writeFraction=0.3,fsyncRate=0.05,rate=1000',
    )
    .option('--trace <file>', 'trace file')
    .option('--strategy <list>', 'comma list of strategies', CRASH_STRATEGIES.join(','))
    .option('--trials <N>', 'Monte Carlo trials (crash times of a Poisson process)', '1000')
    .option('--seed <S>', 'seed of the crash times and corruption draws', '1')
    .option('--dirty-expire <sec>', 'delayed writeback: a page dirty this long is written', '30')
    .option('--writeback-interval <sec>', 'delayed writeback: flusher period', '5')
    .option('--log-flush-ms <ms>', 'hv-log: the log buffer is flushed every Δ ms', '100')
    .option('--p-corrupt <p>', 'hv-rescue: probability a rescued page was damaged', '0')
    .option('--disk-write-us <us>', 'a random 4 KiB disk write', String(COST_DEFAULTS.diskWriteUs))
    .option(
      '--seq-write-us <us>',
      'a sequential 4 KiB write (hv-log append)',
      String(COST_DEFAULTS.seqWriteUs),
    )
    .option(
      '--wp-fault-us <us>',
      'a write-protect fault (hv-rescue)',
      String(COST_DEFAULTS.wpFaultUs),
    )
    .option('--power-failure', 'the crash is a host power failure (the hypervisor is down too)')
    .option('--guest-pages <V>', 'guest memory V (default: every page stays resident)')
    .option('--rate <refs/s>', 'references per second of VM time for untimed streams', '1000')
    .option('--project <file>', 'keep the hv-log log in this project file')
    .option('--json', 'print one JSON object')
    .action(async (o: Options) => {
      if ((o.trace === undefined) === (o.workload === undefined))
        throw new UsageError('give exactly one of --workload SPEC, --trace FILE');
      const strategies = parseStrategies(o.strategy);
      const trials = parsePositiveCount('--trials', o.trials);
      const seed = parseCount('--seed', o.seed);
      const dirtyExpire = parseNumber('--dirty-expire', o.dirtyExpire, 0);
      const interval = parseNumber('--writeback-interval', o.writebackInterval, 1e-9);
      const logFlushMs = parseNumber('--log-flush-ms', o.logFlushMs, 1e-6);
      const pCorrupt = parseNumber('--p-corrupt', o.pCorrupt, 0, 1);
      const rate = parseNumber('--rate', o.rate, 1e-9);
      const guestPages =
        o.guestPages === undefined ? null : parseCount('--guest-pages', o.guestPages);
      let chunks: ChunkSource;
      let name: string;
      if (o.workload !== undefined) {
        let spec;
        try {
          spec = parseWorkloadSpec(o.workload);
        } catch (err) {
          throw new UsageError(`--workload: ${(err as Error).message}`);
        }
        chunks = generateWorkload(spec);
        name = o.workload;
      } else {
        const file = o.trace as string;
        const source = await openTrace(file, traceReadOptions(o));
        chunks = source.chunks();
        name = path.basename(file);
      }
      const store =
        o.project === undefined
          ? null
          : await usageOnBadInput(() => ProjectStore.open(o.project as string));
      try {
        const result = await ctx.withProgress('crash', (control) =>
          runCrashAnalysis(
            {
              chunks,
              vmName: name,
              db: store?.db,
              timeline: {
                guestPages,
                writeback: { dirtyExpire, interval },
                untimedRate: rate,
              },
              options: {
                strategies,
                trials,
                seed,
                logFlushSeconds: logFlushMs / 1000,
                pCorrupt,
                powerFailure: o.powerFailure === true,
                pageSize: 4096,
                costs: {
                  diskWriteUs: parseNumber('--disk-write-us', o.diskWriteUs, 0),
                  seqWriteUs: parseNumber('--seq-write-us', o.seqWriteUs, 0),
                  wpFaultUs: parseNumber('--wp-fault-us', o.wpFaultUs, 0),
                },
              },
            },
            control,
          ),
        );
        const bad = result.strategies.filter((s) => s.fsyncedLost > 0);
        if (o.json) {
          printJson({
            strategies: result.strategies.map((s) => ({
              name: s.name,
              trials: s.trials,
              meanPagesLost: s.meanPagesLost,
              ci95: s.ci95,
              maxPagesLost: s.maxPagesLost,
              fsyncedLost: s.fsyncedLost,
              detectedCorrupt: s.detectedCorrupt,
              undetectedCorrupt: s.undetectedCorrupt,
              wpFaults: s.wpFaults,
              runtimeCostSeconds: s.runtimeCostSeconds,
              recoverySeconds: s.recoverySeconds,
              extraDiskWrites: s.extraDiskWrites,
              meanBytesLost: s.meanBytesLost,
              lossWindowSeconds: s.lossWindowSeconds,
              memoryOverheadPages: s.memoryOverheadPages,
              ...(s.replay === undefined ? {} : { replay: s.replay }),
            })),
            assumptions: result.assumptions,
          });
        } else {
          printTable([
            [
              'strategy',
              'mean lost',
              'ci95',
              'max',
              'window s',
              'fsync lost',
              'corrupt detected',
              'corrupt undetected',
              'wp faults',
              'extra writes',
              'runtime cost s',
              'recovery s',
              'mem pages',
              'replay rec',
            ],
            ...result.strategies.map((s) => [
              s.name,
              fixed(s.meanPagesLost),
              `[${fixed(s.ci95[0])}, ${fixed(s.ci95[1])}]`,
              String(s.maxPagesLost),
              fixed(s.lossWindowSeconds),
              String(s.fsyncedLost),
              fixed(s.detectedCorrupt),
              fixed(s.undetectedCorrupt),
              s.name === 'hv-rescue' ? String(s.wpFaults) : '',
              fixed(s.extraDiskWrites, 0),
              fixed(s.runtimeCostSeconds, 3),
              fixed(s.recoverySeconds, 3),
              String(s.memoryOverheadPages),
              s.replay === undefined ? '' : fixed(s.replay.records, 1),
            ]),
          ]);
        }
        if (!o.json)
          process.stdout.write(
            `\nAssumptions:\n${result.assumptions.map((a) => `- ${a}`).join('\n')}\n`,
          );
        if (bad.length > 0)
          throw new Error(
            `invariant violated: ${bad.map((s) => s.name).join(', ')} lost an fsync'd write`,
          );
      } finally {
        store?.close();
      }
    });
}
