/**
 * The worker-thread side of {@link ChunkWorker}: sets up a consumer from the init message, feeds it
 * every chunk of page ids (acknowledging each), and posts its result at the end; a failure is
 * posted as one error message.
 */
import { parentPort } from 'node:worker_threads';
import type { FromChunkWorker, ToChunkWorker } from './chunk-worker.js';

export interface ChunkConsumer<R> {
  feed(pages: Int32Array): void;
  /** The result, posted to the main thread (typed arrays in it are transferred). */
  finish(): { result: R; transfer?: ArrayBuffer[] };
}

export function serveChunks<I, R>(create: (init: I) => ChunkConsumer<R>): void {
  const port = parentPort;
  if (port === null) throw new Error('a chunk worker must run in a worker thread');
  let consumer: ChunkConsumer<R> | null = null;
  port.on('message', (m: ToChunkWorker<I>) => {
    try {
      if (m.type === 'init') consumer = create(m.init);
      else if (consumer === null) throw new Error(`chunk worker: '${m.type}' before 'init'`);
      else if (m.type === 'chunk') {
        consumer.feed(m.pages);
        const ack: FromChunkWorker<R> = { type: 'ack', id: m.id };
        port.postMessage(ack);
      } else {
        const { result, transfer } = consumer.finish();
        const done: FromChunkWorker<R> = { type: 'result', result };
        port.postMessage(done, transfer ?? []);
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const failed: FromChunkWorker<R> = { type: 'error', name: e.name, message: e.message };
      port.postMessage(failed);
    }
  });
}
