/**
 * `hclab demo [--out DIR] [--quick] [--force]`: the main job. Runs the paper-replication study
 * (main/study) headless on the bundled experiment files, keeps it in `DIR/paper-study.hclab`,
 * writes the report into DIR and prints where it is, one line per claim (HELD / DID NOT HOLD
 * with the numbers that decided it) and the wall time.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runStudy, STUDY_PROJECT_FILE } from '../../study/run-study.js';
import { summaryLines } from '../../study/summary.js';
import { writeStudyReport } from '../../study/write-study-report.js';
import { asIoError } from '../../store/io-errors.js';
import { ProjectStore } from '../../store/project-store.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { usageOnBadInput } from './project-errors.js';

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description(
      "run the paper-replication study (Lu & Shen, ATC'07) on the bundled workloads and write its report",
    )
    .option('--out <dir>', 'folder for the project and the report', 'hclab-demo')
    .option('--quick', 'a quarter of the references and fewer crash times (for CI)')
    .option('--force', 'replace the project and report files of an earlier demo in the folder')
    .action(async (o: { out: string; quick?: boolean; force?: boolean }) => {
      const started = performance.now();
      const outDir = path.resolve(o.out);
      const force = o.force === true;
      if (existsSync(outDir) && !statSync(outDir).isDirectory())
        throw new UsageError(`--out: ${outDir} is a file, not a folder`);
      // Refused before any work: the project, or the report of an earlier demo, is in the way.
      for (const name of [STUDY_PROJECT_FILE, 'report.html', 'report.json']) {
        const file = path.join(outDir, name);
        if (existsSync(file) && !force)
          throw new UsageError(
            `${file}: a file with this name already exists (use --force to replace it)`,
          );
      }
      // --force replaces only a project no one has open (not a file that is not a project).
      const project = path.join(outDir, STUDY_PROJECT_FILE);
      if (force && existsSync(project))
        await usageOnBadInput(() => ProjectStore.open(project).close());
      try {
        mkdirSync(outDir, { recursive: true });
      } catch (err) {
        throw asIoError(err, outDir);
      }
      const { study, store, projectPath } = await ctx.withProgress('demo', (control) =>
        runStudy({ outDir, quick: o.quick === true, force, control }),
      );
      try {
        const written = await ctx.withProgress('report', (control) =>
          writeStudyReport(store, projectPath, study, {
            outDir,
            force,
            signal: control.signal,
            onProgress: (done, total) => control.onProgress?.(done, total),
          }),
        );
        for (const note of written.notes) ctx.note(note);
        const out: string[] = [
          `project: ${projectPath}`,
          `report:  ${written.htmlFile ?? outDir}`,
          ...written.pdfFiles.map((f) => `pdf:     ${f}`),
          `files:   ${written.files.length} in ${outDir}`,
          '',
          ...summaryLines(study),
          '',
          `wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`,
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}
