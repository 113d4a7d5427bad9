/**
 * A worker thread fed the page ids of a reference stream, chunk by chunk, while the calling thread
 * reads the next ones: each chunk's ids are transferred (no copy on the way) and acknowledged, and
 * at most IN_FLIGHT chunks wait in the worker's queue, so a worker slower than the reader holds the
 * reader back instead of the queue growing with the trace. The worker side is
 * {@link serveChunks} (chunk-worker-side.ts).
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from './worker-script.js';

/** Chunks a worker may have queued before the reader waits for it. */
export const IN_FLIGHT = 8;

/** Messages to a chunk worker: its set-up, page ids, and the end of the stream. */
export type ToChunkWorker<I> =
  { type: 'init'; init: I } | { type: 'chunk'; pages: Int32Array; id: number } | { type: 'end' };

/** Messages from a chunk worker: a chunk consumed, the result, or why it failed. */
export type FromChunkWorker<R> =
  | { type: 'ack'; id: number }
  | { type: 'result'; result: R }
  | { type: 'error'; name: string; message: string };

/**
 * A worker script of main/service: next to this module when compiled; from dist/ when running the
 * TypeScript sources (tests).
 */
export function serviceWorkerScript(name: string): URL {
  return workerScript(import.meta.url, name);
}

export class ChunkWorker<I, R> {
  private readonly worker: Worker;
  /** The worker's result, after {@link end}. */
  readonly result: Promise<R>;
  private inFlight = 0;
  private nextId = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(script: URL, init: I) {
    this.worker = new Worker(script);
    this.result = new Promise<R>((resolve, reject) => {
      const fail = (err: Error) => {
        this.failure = err;
        this.wake?.();
        reject(err);
      };
      this.worker.on('message', (m: FromChunkWorker<R>) => {
        if (m.type === 'ack') {
          this.inFlight--;
          this.wake?.();
        } else if (m.type === 'result') resolve(m.result);
        else {
          const err = new Error(m.message);
          err.name = m.name; // keeps a LimitError or a RangeError recognisable
          fail(err);
        }
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) =>
        fail(new Error(`worker thread stopped (exit code ${code})`)),
      );
    });
    this.result.catch(() => undefined);
    this.post({ type: 'init', init });
  }

  /** Hands `pages` over (its buffer is transferred: the caller must not use it again). */
  async send(pages: Int32Array): Promise<void> {
    while (this.inFlight >= IN_FLIGHT && this.failure === null)
      await new Promise<void>((r) => (this.wake = r));
    if (this.failure !== null) throw this.failure;
    this.inFlight++;
    this.post({ type: 'chunk', pages, id: this.nextId++ }, [pages.buffer as ArrayBuffer]);
  }

  /** No more chunks: the worker sends its result. */
  end(): Promise<R> {
    if (this.failure === null) this.post({ type: 'end' });
    return this.result;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private post(m: ToChunkWorker<I>, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }
}
