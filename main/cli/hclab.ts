#!/usr/bin/env node
/** The `hclab` command: HCLab's engine from the shell. One file per subcommand in commands/. */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { createCliContext } from './context.js';
import { EXIT_USAGE, exitCodeFor, messageFor } from './errors.js';
import { asIoError, IoError } from '../store/io-errors.js';
import { traceCommand } from './commands/trace-info.js';
import { mrcCommand } from './commands/mrc.js';
import { simulateCommand } from './commands/simulate.js';
import { serveCommand } from './commands/serve.js';
import { projectCommand } from './commands/project.js';
import { runCommand } from './commands/run.js';
import { resultsCommand } from './commands/results.js';
import { crashCommand } from './commands/crash.js';
import { allocateCommand } from './commands/allocate.js';
import { overheadCommand } from './commands/overhead.js';
import { sweepCommand } from './commands/sweep.js';
import { reportCommand } from './commands/report.js';
import { demoCommand } from './commands/demo.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string })
  .version;

export function buildProgram(): Command {
  const program = new Command('hclab')
    .description('HCLab — Hypervisor Cache Lab: exclusive hypervisor caches, MRCs, ESX sampling')
    .version(VERSION)
    .option('-q, --quiet', 'no progress bar or notes on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const ctx = createCliContext(() => program.opts<{ quiet?: boolean }>().quiet === true);
  program.addCommand(traceCommand(ctx));
  program.addCommand(mrcCommand(ctx));
  program.addCommand(simulateCommand(ctx));
  program.addCommand(serveCommand(ctx));
  program.addCommand(projectCommand(ctx));
  program.addCommand(runCommand(ctx));
  program.addCommand(resultsCommand(ctx));
  program.addCommand(crashCommand(ctx));
  program.addCommand(allocateCommand(ctx));
  program.addCommand(overheadCommand(ctx));
  program.addCommand(sweepCommand(ctx));
  program.addCommand(reportCommand(ctx));
  program.addCommand(demoCommand(ctx));
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; parse errors were already printed by commander.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`hclab: ${messageFor(err)}\n`);
    return exitCodeFor(err);
  }
}

/**
 * Standard output that cannot be written: a closed pipe (`hclab results … | head`) ends the
 * command quietly, as other command-line tools do; anything else (a full disk, `> /dev/full`) is
 * one error line and exit 1.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  const io = asIoError(err, 'standard output');
  const text = io instanceof IoError ? io.message : err.message;
  try {
    process.stderr.write(`hclab: ${text}\n`);
  } finally {
    process.exit(1);
  }
}
process.stdout.on('error', onStdoutError);

let finished = false;
// A job whose promise never settles (an I/O stream that stopped without ending) must not look
// like success: Node would otherwise exit 0 with no output once the event loop is empty.
process.on('beforeExit', () => {
  if (!finished) {
    process.stderr.write('hclab: internal error: the job stopped before it finished\n');
    process.exitCode = 1;
    finished = true;
  }
});

main(process.argv).then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (err: unknown) => {
    finished = true;
    process.stderr.write(`hclab: ${messageFor(err)}\n`);
    process.exitCode = 1;
  },
);
