/** `hclab sweep collect DIR [--project P.hclab] [--csv | --crash-csv]`: gather a sweep's results. */
import { Command } from 'commander';
import {
  collectIntoProject,
  crashRows,
  readSweepResults,
  tidyRows,
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
    .action(async (dir: string, o: { project?: string; csv?: boolean; crashCsv?: boolean }) => {
      if (o.csv && o.crashCsv) throw new UsageError('--csv and --crash-csv cannot be combined');
      if (o.project === undefined && !o.csv && !o.crashCsv)
        throw new UsageError('give --project FILE, --csv or --crash-csv (or a project and a CSV)');
      if (o.project !== undefined) {
        const project = o.project;
        const r = await usageOnBadInput(() => collectIntoProject(dir, project));
        const line = `${r.project}: run ${r.runId}, ${fmtInt(r.added)} result(s) added, ${fmtInt(r.missing)} task(s) without a result`;
        if (o.csv || o.crashCsv) ctx.note(line);
        else process.stdout.write(`${line}\n`);
      }
      if (o.csv) printCsv([...TIDY_HEADER], tidyRows(readSweepResults(dir)));
      if (o.crashCsv) printCsv([...CRASH_HEADER], crashRows(readSweepResults(dir)));
    });
}
