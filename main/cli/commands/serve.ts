/**
 * `hclab serve [PROJECT] [--port N]`: the workbench in a browser. Starts the web transport on
 * 127.0.0.1 with a fresh API service (opening PROJECT if given) and prints
 * `HCLab web UI: <url>` (token included) as the first line on stdout; runs until SIGINT/SIGTERM,
 * then stops the runs, closes the project and exits.
 */
import { homedir } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { systemPdfPrinter } from '../../report/pdf/chromium-printer.js';
import { createApiService, windowRelativePathReason } from '../../service/api/api-service.js';
import { startWebServer } from '../../transport/web-server.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

interface Options {
  port?: number;
  workers?: number;
  root?: string;
}

function portNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0..65535');
  return n;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Where the list of recent projects lives (HCLAB_RECENT_FILE overrides). */
export function recentFile(): string {
  if (process.env.HCLAB_RECENT_FILE) return process.env.HCLAB_RECENT_FILE;
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'hclab', 'recent.json');
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Longest a stop may take after SIGINT/SIGTERM before the process exits anyway (ms). */
const STOP_DEADLINE_MS = 4000;

/**
 * After the first signal: a second one, or {@link STOP_DEADLINE_MS} without having stopped, ends
 * the process at once (heavy calls run in worker threads, so the event loop is free to do this).
 */
function exitSoonAnyway(): void {
  const now = () => {
    process.stderr.write('hclab: stopping took too long; exiting\n');
    process.exit(1);
  };
  setTimeout(now, STOP_DEADLINE_MS).unref();
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
}

export function serveCommand(ctx: CliContext): Command {
  return new Command('serve')
    .description('serve the workbench UI on 127.0.0.1 (prints its URL with an access token)')
    .argument('[project]', 'project file (.hclab) to open')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', portNumber)
    .option('--workers <n>', 'worker threads for runs', positiveInt)
    .option(
      '--root <dir>',
      'the only folder whose files the web UI may open, create or read (default: your home folder)',
    )
    .action(async (project: string | undefined, o: Options) => {
      const stop = untilSignal();
      const root = resolve(o.root ?? homedir());
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new UsageError(`--root: ${root} is not a folder`);
      const service = createApiService({
        recentFile: recentFile(),
        workers: o.workers,
        refuseRelativePaths: windowRelativePathReason(),
        root,
        trustedPaths: project === undefined ? [] : [resolve(project)],
        redactFileContents: true,
        // report.export's PDF: the system's Chromium, headless (none: the report's notes say so).
        pdfPrinter: () => Promise.resolve(systemPdfPrinter()),
        onInternalError: (method, err) =>
          process.stderr.write(
            `hclab: internal error in ${method}: ${err instanceof Error ? err.stack : String(err)}\n`,
          ),
      });
      try {
        // The command line's own path is relative to the shell's folder; the page's are refused.
        if (project !== undefined) await service.handle('project.open', { path: resolve(project) });
        const server = await startWebServer({ service, port: o.port });
        process.stdout.write(`HCLab web UI: ${server.url}\n`);
        ctx.note(`serving on 127.0.0.1 only, files inside ${root}; press Ctrl-C to stop`);
        await stop;
        exitSoonAnyway();
        await server.close();
      } finally {
        await service.close();
      }
    });
}
