/**
 * Progress and cancellation are passed into the engine; the engine never calls outward otherwise.
 */
export interface RunControl {
  /** Called now and then with the work done so far (references, or bytes for readers). */
  onProgress?: (done: number, total: number | undefined) => void;
  /**
   * Names the step the following `onProgress` calls count (e.g. "exact DP"): work done restarts
   * at 0 with each step. Engines with several phases of different units call it.
   */
  onStep?: (what: string) => void;
  /** Called now and then with the input file's bytes read so far and its size (traces). */
  onInput?: (bytes: number, total: number) => void;
  /** Checked between chunks; when aborted the engine throws {@link CancelledError}. */
  signal?: AbortSignal;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(control: RunControl | undefined): void {
  if (control?.signal?.aborted) throw new CancelledError();
}

const YIELD_EVERY_MS = 50;
let lastYield = 0;

/**
 * Between chunks of CPU-bound work: lets the event loop run now and then (so a Ctrl-C handler,
 * a cancel message or a progress timer gets its turn even when every chunk comes from a
 * synchronous generator), then throws {@link CancelledError} if the run was cancelled.
 */
export async function checkpoint(control: RunControl | undefined): Promise<void> {
  const now = performance.now();
  if (now - lastYield >= YIELD_EVERY_MS) {
    lastYield = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throwIfCancelled(control);
}
