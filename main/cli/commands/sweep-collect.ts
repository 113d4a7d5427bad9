/**
 * `hclab sweep collect DIR [--project P.hclab] [--csv | --crash-csv | --alloc-csv]`: gather a
 * sweep's results: curves as a run, crash and allocation results as stored analyses; or one of
 * three tidy tables (curves, crash strategies, allocations).
 */
import { Command } from 'commander';
import {
  allocRows,
  collectIntoProject,
  crashRows,
  readSweepResults,
  tidyRows,
  ALLOC_HEADER,
  CRASH_HEADER,
  TIDY_HEADER,
} from '../../sweep/collect.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { fmtInt, printCsv } from '../output.js';
import { usageOnBadInput } from './project-errors.js';

export function collectCommand(ctx: CliContext): Command {
  return new Command('collect')
    .description('import every result into a project (idempotent); --csv: a tidy table')
    .argument('<dir>', 'the sweep directory')
    .option('--project <file>', 'the project (.hclab) to import into (created if missing)')
    .option('--csv', 'print one row per task × method × size on stdout')
    .option('--crash-csv', 'print one row per task × crash recovery strategy on stdout')
    .option('--alloc-csv', 'print one row per allocation task × method × VM on stdout')
    .action(
      async (
        dir: string,
        o: { project?: string; csv?: boolean; crashCsv?: boolean; allocCsv?: boolean },
      ) => {
        const tables = [o.csv, o.crashCsv, o.allocCsv].filter(Boolean).length;
        if (tables > 1)
          throw new UsageError('give one of --csv, --crash-csv and --alloc-csv at a time');
        if (o.project === undefined && tables === 0)
          throw new UsageError(
            'give --project FILE, --csv, --crash-csv or --alloc-csv (or a project and a CSV)',
          );
        if (o.project !== undefined) {
          const project = o.project;
          const r = await usageOnBadInput(() => collectIntoProject(dir, project));
          const line = `${r.project}: run ${r.runId}, ${fmtInt(r.added)} result(s) added, ${fmtInt(r.missing)} task(s) without a result, ${fmtInt(r.analysesAdded)} crash/allocation analysis(es) added`;
          if (tables > 0) ctx.note(line);
          else process.stdout.write(`${line}\n`);
        }
        if (o.csv) printCsv([...TIDY_HEADER], tidyRows(readSweepResults(dir)));
        if (o.crashCsv) printCsv([...CRASH_HEADER], crashRows(readSweepResults(dir)));
        if (o.allocCsv) printCsv([...ALLOC_HEADER], allocRows(readSweepResults(dir)));
      },
    );
}
