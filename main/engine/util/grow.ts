/** Growth helpers for typed arrays indexed by dense ids that appear one by one. */

export function growInt32(a: Int32Array, minLength: number, fill = 0): Int32Array {
  if (a.length >= minLength) return a;
  let len = Math.max(16, a.length * 2);
  while (len < minLength) len *= 2;
  const b = new Int32Array(len);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growFloat64(a: Float64Array, minLength: number, fill = 0): Float64Array {
  if (a.length >= minLength) return a;
  let len = Math.max(16, a.length * 2);
  while (len < minLength) len *= 2;
  const b = new Float64Array(len);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growUint8(a: Uint8Array, minLength: number): Uint8Array {
  if (a.length >= minLength) return a;
  let len = Math.max(16, a.length * 2);
  while (len < minLength) len *= 2;
  const b = new Uint8Array(len);
  b.set(a);
  return b;
}
