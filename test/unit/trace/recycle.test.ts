/**
 * Chunk recycling: a consumer that releases every chunk once done gets the same references,
 * ops and times as one that keeps them all, and the producer really reuses the released arrays.
 */
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, releaseChunk, type RefChunk } from '../../../main/engine/trace/chunk.js';
import { openTrace } from '../../../main/engine/trace/index.js';

const W106 = new URL('../../../examples/traces/w106.trace.xz', import.meta.url).pathname;

async function readAll(release: boolean, chunkRefs: number) {
  const source = await openTrace(W106, { chunkRefs, limit: 300_000 });
  const pages: number[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let chunks = 0;
  for await (const chunk of source.chunks()) {
    chunks++;
    buffers.add(chunk.pages.buffer);
    for (let i = 0; i < chunk.length; i++) pages.push(chunk.pages[i]);
    if (release) releaseChunk(chunk);
  }
  return { pages, chunks, buffers: buffers.size };
}

describe('chunk recycling', () => {
  it('gives the same stream whether chunks are released or kept, on a real trace', async () => {
    const kept = await readAll(false, 4096);
    const released = await readAll(true, 4096);
    expect(kept.pages.length).toBe(300_000);
    expect(released.pages).toEqual(kept.pages);
    // Kept chunks each have their own arrays; released ones are reused.
    expect(kept.buffers).toBe(kept.chunks);
    expect(released.buffers).toBeLessThan(released.chunks / 4);
  });

  it('overwrites every slot of a reused chunk (push and pushReads, timed)', () => {
    const b = new ChunkBuilder(4, true);
    for (let i = 0; i < 4; i++) b.push(10 + i, 1, 0.5 + i);
    const first = b.take();
    const firstPages = first.pages;
    releaseChunk(first);
    releaseChunk(first); // a second release is a no-op
    // The chunk being filled already had fresh arrays; the one after it gets the released ones.
    b.push(20, 0, 0);
    const second = b.take();
    expect(second.pages).not.toBe(firstPages);
    b.pushReads(Int32Array.of(7, 8), 0, 2, Float64Array.of(2, 3));
    b.push(9, 5, 4);
    const third: RefChunk = b.take();
    expect(third.pages).toBe(firstPages);
    expect(third.length).toBe(3);
    expect(Array.from(third.pages.subarray(0, 3))).toEqual([7, 8, 9]);
    expect(Array.from(third.ops.subarray(0, 3))).toEqual([0, 0, 5]);
    expect(Array.from(third.times!.subarray(0, 3))).toEqual([2, 3, 4]);
    // Nothing released since: the next chunk gets fresh arrays.
    b.push(1, 0, 0);
    const fourth = b.take();
    expect(fourth.pages).not.toBe(firstPages);
    expect(fourth.pages).not.toBe(second.pages);
  });

  it('does not reuse arrays whose buffer was transferred away', () => {
    const b = new ChunkBuilder(2);
    b.push(1, 0);
    const c = b.take();
    const { port1 } = new MessageChannel();
    port1.postMessage(c.pages.buffer, [c.pages.buffer as ArrayBuffer]);
    port1.close();
    releaseChunk(c);
    b.push(2, 0);
    const next = b.take();
    expect(next.pages.byteLength).toBeGreaterThan(0);
    expect(next.pages[0]).toBe(2);
  });
});
