/**
 * Progress on stderr: a bar when stderr is a terminal and the job has run for more than a
 * second; nothing with --quiet or when stderr is not a TTY (so scripts and CI logs stay clean).
 */
import cliProgress from 'cli-progress';
import type { RunControl } from '../engine/control.js';

export interface ProgressReporter extends RunControl {
  /** Stops the bar (call when the job ends, successfully or not). */
  stop(): void;
}

const SHOW_AFTER_MS = 1000;

export function createProgress(
  label: string,
  quiet: boolean,
  signal?: AbortSignal,
): ProgressReporter {
  const enabled = !quiet && process.stderr.isTTY === true;
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let lastTotal: number | undefined;
  return {
    signal,
    onProgress(done: number, total: number | undefined) {
      if (!enabled) return;
      if (bar === null) {
        if (Date.now() - started < SHOW_AFTER_MS) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${label} [{bar}] {percentage}% | ETA {eta_formatted} | {value}/{total}`,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total ?? done, done);
        lastTotal = total;
      }
      if (total !== undefined && total !== lastTotal) {
        bar.setTotal(total);
        lastTotal = total;
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** An AbortController that fires on the first Ctrl-C (the second one exits at once). */
export function cancelOnSigint(): AbortController {
  const ac = new AbortController();
  const onSig = (): void => {
    if (ac.signal.aborted) process.exit(130);
    ac.abort();
  };
  process.on('SIGINT', onSig);
  return ac;
}
