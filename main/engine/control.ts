/**
 * Progress and cancellation are passed into the engine; the engine never calls outward otherwise.
 */
export interface RunControl {
  /** Called now and then with the work done so far (references, or bytes for readers). */
  onProgress?: (done: number, total: number | undefined) => void;
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
