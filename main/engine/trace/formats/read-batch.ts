/** Scratch arrays in which untimed read-only parsers gather ids before handing them to the sink in bulk. */
import type { DenseIdMap } from '../id-map.js';
import type { RefSink } from '../sink.js';

export const BATCH = 4096;

export class ReadBatch {
  readonly his = new Int32Array(BATCH);
  readonly los = new Int32Array(BATCH);

  constructor(
    private readonly sink: RefSink,
    private readonly map: DenseIdMap,
  ) {}

  /** Hands the first `count` gathered ids to the sink. */
  flush(count: number): void {
    if (count > 0) this.sink.readMany(this.map, this.his, this.los, count);
  }
}
