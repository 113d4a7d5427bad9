/**
 * Pool of xz-decompress copies. The library serialises all streams of one loaded copy behind a
 * global lock held until a stream ends, so two .xz traces read in turns (say, two VMs of one
 * host) would deadlock. Each stream therefore takes a copy of its own; a new copy (a fresh
 * evaluation of the module, with its own WASM instance) is loaded when all are busy.
 */
import { createRequire } from 'node:module';
import type { XzReadableStream } from 'xz-decompress';

type XzStreamClass = typeof XzReadableStream;

const require = createRequire(import.meta.url);
const idle: XzStreamClass[] = [];

function loadCopy(): XzStreamClass {
  const id = require.resolve('xz-decompress');
  delete require.cache[id];
  return (require(id) as { XzReadableStream: XzStreamClass }).XzReadableStream;
}

/** Decompresses an xz byte stream with a copy of the decoder no other stream is using. */
export async function* xzStream(src: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const Xz = idle.pop() ?? loadCopy();
  const reader = new Xz(src).getReader();
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    // Cancelling frees the decoder's WASM context (and its lock) when stopped early.
    if (!finished) await reader.cancel().catch(() => {});
    idle.push(Xz);
  }
}
