/** `hclab sweep collect DIR [--project P.hclab] [--csv]`: gather a sweep's results. */
import { Command } from 'commander';
import {
  collectIntoProject,
  readSweepResults,
  tidyRows,
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
    .action(async (dir: string, o: { project?: string; csv?: boolean }) => {
      if (o.project === undefined && !o.csv)
        throw new UsageError('give --project FILE, --csv, or both');
      if (o.project !== undefined) {
        const project = o.project;
        const r = await usageOnBadInput(() => collectIntoProject(dir, project));
        const line = `${r.project}: run ${r.runId}, ${fmtInt(r.added)} result(s) added, ${fmtInt(r.missing)} task(s) without a result`;
        if (o.csv) ctx.note(line);
        else process.stdout.write(`${line}\n`);
      }
      if (o.csv) {
        const s = readSweepResults(dir);
        printCsv([...TIDY_HEADER], tidyRows(s));
      }
    });
}
