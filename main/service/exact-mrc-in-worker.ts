/**
 * The exact MRC computed in a worker thread while the calling thread reads and maps the trace:
 * the stack-distance pass (main/engine/mrc/exact.ts, unchanged) costs about three times the read,
 * so running the two side by side takes the read off the critical path. Same counts as
 * {@link ExactMrc} in the calling thread (test/unit/service/exact-mrc-in-worker.test.ts).
 */
import { exactCurve, type ExactCounts } from '../engine/mrc/exact.js';
import type { HistogramCurve } from '../engine/mrc/curve.js';
import type { RefChunk } from '../engine/trace/chunk.js';
import { ChunkWorker, serviceWorkerScript } from './chunk-worker.js';

export interface ExactMrcInit {
  warmup: number;
  expectedPages: number;
}

export class ExactMrcInWorker {
  private readonly worker: ChunkWorker<ExactMrcInit, ExactCounts>;

  /** @param warmup references that update the stack but are not counted. */
  constructor(warmup = 0, expectedPages = 1024) {
    this.worker = new ChunkWorker(serviceWorkerScript('exact-mrc-worker.js'), {
      warmup,
      expectedPages,
    });
  }

  /** Hands over a copy of the chunk's page ids; waits while the worker is IN_FLIGHT chunks behind. */
  feed(chunk: RefChunk): Promise<void> {
    return this.worker.send(chunk.pages.slice(0, chunk.length));
  }

  /** The curve and the distinct pages, once every chunk is fed; the worker then stops. */
  async finish(): Promise<{ curve: HistogramCurve; distinct: number }> {
    try {
      const counts = await this.worker.end();
      return { curve: exactCurve(counts), distinct: counts.distinct };
    } finally {
      await this.worker.terminate();
    }
  }

  /** Stops the worker (on an error or a cancel before finish). */
  terminate(): Promise<void> {
    return this.worker.terminate();
  }
}
