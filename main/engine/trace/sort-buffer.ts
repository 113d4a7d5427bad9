/**
 * The references of a trace read with `sort` (TraceReadOptions.sort), kept until the end of the
 * file: raw id halves, op, time and volume (an index into the sink's id maps) in growable typed
 * arrays, then their order stably sorted by time. The sink bounds the count (maxSortReferences).
 */

/** First capacity; the arrays double as they fill. */
const INITIAL = 1 << 12;

export class SortBuffer {
  length = 0;
  his = new Int32Array(INITIAL);
  los = new Int32Array(INITIAL);
  ops = new Uint8Array(INITIAL);
  times = new Float64Array(INITIAL);
  volumes = new Int32Array(INITIAL);

  push(volume: number, hi: number, lo: number, op: number, time: number): void {
    const n = this.length;
    if (n === this.his.length) this.grow(n * 2);
    this.his[n] = hi;
    this.los[n] = lo;
    this.ops[n] = op;
    this.times[n] = time;
    this.volumes[n] = volume;
    this.length = n + 1;
  }

  /** Indices of the references in time order; equal times keep their order in the file. */
  order(): Uint32Array {
    const n = this.length;
    const times = this.times;
    const order = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      if (i > 0 && times[i] < times[i - 1]) sorted = false;
    }
    if (!sorted) order.sort((a, b) => times[a] - times[b] || a - b);
    return order;
  }

  private grow(capacity: number): void {
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.his = grown(this.his, (c) => new Int32Array(c));
    this.los = grown(this.los, (c) => new Int32Array(c));
    this.ops = grown(this.ops, (c) => new Uint8Array(c));
    this.times = grown(this.times, (c) => new Float64Array(c));
    this.volumes = grown(this.volumes, (c) => new Int32Array(c));
  }
}
