/** `hclab results FILE [--run ID] [--json|--csv]`: the stored results of a project's runs. */
import { Command } from 'commander';
import type { RunDetail } from '../../../shared/api/entities.js';
import { ApiError } from '../../../shared/api/errors.js';
import { ProjectStore } from '../../store/project-store.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parsePositiveCount } from '../numbers.js';
import { fmtInt, fmtRatio, printJson, printTable } from '../output.js';
import { curvesCsv } from '../../report/csv.js';
import { esxScoreLines } from '../esx-output.js';
import { usageOnBadInput } from './project-errors.js';

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

export function resultsCommand(_ctx: CliContext): Command {
  return new Command('results')
    .description('print the stored results (default: the latest run of each experiment)')
    .argument('<file>', 'the project file (.hclab)')
    .option('--run <id>', 'only this run')
    .option('--json', 'print the runs as JSON (RunDetail objects)')
    .option('--csv', 'print run,vm,method,size,misses,miss_ratio rows')
    .action(async (file: string, o: { run?: string; json?: boolean; csv?: boolean }) => {
      if (o.csv && o.json) throw new UsageError('--csv and --json cannot be combined');
      const runId = o.run === undefined ? undefined : parsePositiveCount('--run', o.run);
      const damaged: string[] = [];
      const runs = await usageOnBadInput(() => {
        // Read-only: works while another instance has the project open and never changes it.
        const store = ProjectStore.open(file, { readOnly: true });
        try {
          const ids = runId === undefined ? store.runs.latestPerExperiment() : [runId];
          const found: RunDetail[] = [];
          for (const id of ids) {
            try {
              found.push(store.runs.get(id));
            } catch (err) {
              // A damaged row: reported (exit 2) after the rest of the project is printed.
              if (!(err instanceof ApiError) || err.code !== 'CORRUPT') throw err;
              damaged.push(err.message);
            }
          }
          return found;
        } finally {
          store.close();
        }
      });
      if (o.json) printJson(runs);
      else if (o.csv) process.stdout.write(curvesCsv(runs));
      else printResultsTable(runs);
      if (damaged.length > 0) throw new UsageError(damaged.join('\n'));
    });
}

function printResultsTable(runs: RunDetail[]): void {
  if (runs.length === 0) {
    process.stdout.write('no runs\n');
    return;
  }
  for (const run of runs) {
    process.stdout.write(
      `run ${run.id} — ${run.experimentName}: ${run.state}, ${run.stepsDone}/${run.stepsTotal} VM(s)` +
        `${run.error === null ? '' : ` (${run.error})`}\n`,
    );
    // ESX is scored against the working set (below), not by an MAE; exact is the reference.
    const methods = run.experiment.methods.filter((m) => m !== 'esx' && m !== 'exact');
    const header = [
      'vm',
      'references',
      'guest miss ratio',
      'disk reads',
      'disk writes',
      'no cache: reads',
      'no cache: writes',
      'hv hits',
      ...methods.map((m) => `MAE ${m}`),
    ];
    const rows = run.results.map((vm) => [
      vm.name,
      fmtInt(num(vm.stats.references)),
      fmtRatio(num(vm.stats.guestMissRatio)),
      fmtInt(num(vm.stats.diskReads)),
      fmtInt(num(vm.stats.diskWrites)),
      vm.io === undefined ? '' : fmtInt(vm.io.withoutCache.diskReads),
      vm.io === undefined ? '' : fmtInt(vm.io.withoutCache.diskWrites),
      fmtInt(num(vm.stats.hvHits)),
      ...methods.map((m) => {
        const c = vm.curves.find((x) => x.method === m);
        if (c === undefined) return '';
        // Never an error over zero points: "—" with no comparable size.
        return c.mae === null || c.maeSizesCompared === 0
          ? '—'
          : `${fmtRatio(c.mae)} (${c.maeSizesCompared} pts)`;
      }),
    ]);
    printTable([header, ...rows]);
    for (const vm of run.results)
      if (vm.esx?.score !== undefined)
        process.stdout.write(esxScoreLines(vm.esx.score, `esx ${vm.name}`));
    process.stdout.write('\n');
  }
}
