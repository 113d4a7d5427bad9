/** A trace file read as a stream: decompressed bytes → format parser → sink → chunks. */
import type { RefChunk } from './chunk.js';
import { throwIfCancelled, type RunControl } from '../control.js';
import { decompressedBytes, type ByteCounter, type Compression } from './decompress.js';
import { createParser } from './formats/index.js';
import type { ResolvedOptions } from './options.js';
import { RefSink } from './sink.js';
import type { TraceFormat, TraceSource, TraceStats } from './types.js';

export class FileTraceSource implements TraceSource {
  private sink: RefSink;
  private used = false;

  constructor(
    readonly path: string,
    readonly format: TraceFormat,
    private readonly compression: Compression | null,
    private readonly fileBytes: number,
    private readonly options: ResolvedOptions,
  ) {
    this.sink = new RefSink(path, options);
  }

  /**
   * Makes the stream SHARDS-sampled by raw id at `threshold` (of SHARDS_MODULUS) when this reader
   * has a fused path that can (oracleGeneral without splitting, no skip): unsampled references are
   * counted but never mapped. Returns whether it did; call before {@link chunks}.
   */
  sampleByRawId(threshold: number): boolean {
    const o = this.options;
    if (this.format !== 'oracleGeneral' || o.split === true || o.warmup > 0 || o.sort) return false;
    this.sink.sampleThreshold = threshold;
    return true;
  }

  countOnly(): void {
    this.sink.countOnly = true;
  }

  stats(): TraceStats {
    return this.sink.stats();
  }

  originalId(page: number): number | null {
    return this.sink.originalId(page);
  }

  async *chunks(control?: RunControl): AsyncGenerator<RefChunk> {
    if (this.used) throw new Error(`TraceSource.chunks() can be iterated only once (${this.path})`);
    this.used = true;
    const sink = this.sink;
    const parser = createParser(this.format, sink, this.options);
    const counter: ByteCounter = { bytes: 0 };
    let content = 0;
    throwIfCancelled(control);
    for await (const buf of decompressedBytes(this.path, this.compression, counter)) {
      content += buf.length;
      parser.push(buf);
      sink.bytesRead = counter.bytes;
      for (const chunk of sink.takeReady()) {
        throwIfCancelled(control);
        yield chunk;
      }
      control?.onProgress?.(counter.bytes, this.fileBytes);
      throwIfCancelled(control);
      if (sink.done) break;
    }
    if (!sink.done) parser.end();
    sink.finish(content);
    for (const chunk of sink.takeReady()) yield chunk;
    control?.onProgress?.(counter.bytes, this.fileBytes);
  }
}
