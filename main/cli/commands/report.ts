/**
 * `hclab report FILE --out DIR [--run ID …] [--format html,pdf,csv,json,svg,png] [--force]`: the
 * report of a project (default: the latest run of each experiment, every stored analysis, every
 * format), written safely into DIR. The project is opened read-only.
 */
import path from 'node:path';
import { Command } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../../../shared/api/report.js';
import { collectReportData } from '../../report/collect.js';
import { systemPdfPrinter } from '../../report/pdf/chromium-printer.js';
import { writeReport } from '../../report/write-report.js';
import { ProjectStore } from '../../store/project-store.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parsePositiveCount } from '../numbers.js';
import { usageOnBadInput } from './project-errors.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function parseFormats(text: string): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const raw of text.split(',')) {
    const f = raw.trim().toLowerCase();
    if (f === '') continue;
    if (!(REPORT_FORMATS as readonly string[]).includes(f))
      throw new UsageError(
        `--format: unknown format '${raw.trim()}'; expected a comma-separated list of ${REPORT_FORMATS.join(', ')}`,
      );
    if (!out.includes(f as ReportFormat)) out.push(f as ReportFormat);
  }
  if (out.length === 0)
    throw new UsageError(`--format: expected one or more of ${REPORT_FORMATS.join(', ')}`);
  return out;
}

export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description(
      'write a report (HTML, PDF, CSV, JSON, SVG, PNG) of the latest run of each experiment and every stored analysis',
    )
    .argument('<file>', 'the project file (.hclab)')
    .requiredOption('--out <dir>', 'the folder to write into (must exist)')
    .option(
      '--run <id>',
      'a run to report (repeat for several; default: the latest of each experiment)',
      collect,
      [],
    )
    .option('--format <list>', `formats, comma-separated (default: ${REPORT_FORMATS.join(',')})`)
    .option('--force', 'replace report files that exist already in the folder')
    .action(
      async (file: string, o: { out: string; run: string[]; format?: string; force?: boolean }) => {
        const formats = o.format === undefined ? [...REPORT_FORMATS] : parseFormats(o.format);
        const runIds =
          o.run.length === 0 ? undefined : o.run.map((r) => parsePositiveCount('--run', r));
        const data = await usageOnBadInput(() => {
          // Read-only: works while another instance has the project open and never changes it.
          const store = ProjectStore.open(file, { readOnly: true });
          try {
            return collectReportData(store, { projectPath: file, runIds });
          } finally {
            store.close();
          }
        });
        const pdf = formats.includes('pdf') ? systemPdfPrinter() : null;
        try {
          const written = await ctx.withProgress('report', (control) =>
            writeReport(data, {
              outDir: o.out,
              formats,
              force: o.force === true,
              pdf,
              signal: control.signal,
              onProgress: (done, total) => control.onProgress?.(done, total),
            }),
          );
          for (const f of written.files)
            process.stdout.write(`${path.relative(process.cwd(), f) || f}\n`);
          for (const n of written.notes) ctx.note(n);
        } finally {
          await pdf?.close();
        }
      },
    );
}
