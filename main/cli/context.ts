/** What every subcommand gets: global flags and a way to run a job with progress and Ctrl-C. */
import type { RunControl } from '../engine/control.js';
import { cancelOnSigint, createProgress } from './progress.js';

export interface CliContext {
  quiet(): boolean;
  /** Runs `job` with a progress bar on stderr (TTY only, after 1 s) and Ctrl-C cancellation. */
  withProgress<T>(label: string, job: (control: RunControl) => Promise<T>): Promise<T>;
  /** A note for the user on stderr (suppressed by --quiet). */
  note(message: string): void;
}

export function createCliContext(isQuiet: () => boolean): CliContext {
  return {
    quiet: isQuiet,
    async withProgress(label, job) {
      const ac = cancelOnSigint();
      const progress = createProgress(label, isQuiet(), ac.signal);
      try {
        return await job(progress);
      } finally {
        progress.stop();
      }
    },
    note(message) {
      if (!isQuiet()) process.stderr.write(`hclab: ${message}\n`);
    },
  };
}
