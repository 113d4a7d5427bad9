/** Worker thread of {@link ExactMrcInWorker}: the exact MRC of the page ids it is sent. */
import { ExactMrc, type ExactCounts } from '../engine/mrc/exact.js';
import type { RefChunk } from '../engine/trace/chunk.js';
import { serveChunks } from './chunk-worker-side.js';
import type { ExactMrcInit } from './exact-mrc-in-worker.js';

serveChunks<ExactMrcInit, ExactCounts>(({ warmup, expectedPages }) => {
  const mrc = new ExactMrc(warmup, expectedPages);
  const chunk: RefChunk = {
    pages: new Int32Array(0),
    ops: new Uint8Array(0),
    times: null,
    length: 0,
  };
  return {
    feed(pages) {
      chunk.pages = pages;
      chunk.length = pages.length;
      mrc.feed(chunk);
    },
    finish() {
      const result = mrc.counts();
      return { result, transfer: [result.hist.buffer as ArrayBuffer] };
    },
  };
});
