/**
 * The engine's progress callbacks (RunControl: onStep, onProgress, onInput) turned into job
 * progress messages for the main thread: percent of the current step, an ETA from that step's
 * rate so far, throttled to one message per interval (a new step is sent at once). The engine
 * calls these now and then from its loops; the clock is read here, never in the engine.
 */
import type { RunControl } from '../../engine/control.js';
import type { JobProgressMessage } from './protocol.js';

/** At most this often a progress message (ms). */
export const JOB_PROGRESS_EVERY_MS = 100;
/** No ETA before a step has run this long (ms) or done this share of its work. */
const ETA_AFTER_MS = 500;
const ETA_AFTER_FRACTION = 0.01;

export function jobProgressControl(
  post: (p: JobProgressMessage) => void,
  now: () => number = () => performance.now(),
  everyMs = JOB_PROGRESS_EVERY_MS,
): RunControl {
  let what = 'starting';
  let stepStart = now();
  let lastPost = Number.NEGATIVE_INFINITY;
  const report = (done: number, total: number | undefined, force: boolean): void => {
    const t = now();
    if (!force && t - lastPost < everyMs) return;
    lastPost = t;
    const fraction =
      total !== undefined && total > 0 && Number.isFinite(done)
        ? Math.min(1, Math.max(0, done / total))
        : null;
    const elapsed = t - stepStart;
    const eta =
      fraction !== null &&
      fraction > 0 &&
      (elapsed >= ETA_AFTER_MS || fraction >= ETA_AFTER_FRACTION)
        ? ((elapsed / fraction) * (1 - fraction)) / 1000
        : null;
    post({
      type: 'progress',
      percent: fraction === null ? null : fraction * 100,
      etaSeconds: eta,
      what,
    });
  };
  return {
    onStep(next) {
      what = next;
      stepStart = now();
      report(0, undefined, true);
    },
    onProgress: (done, total) => report(done, total, false),
    onInput: (bytes, total) => report(bytes, total, false),
  };
}
