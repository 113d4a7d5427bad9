/** 32-bit integer hash (murmur3 finaliser): fast, well mixed, used for spatial sampling. */
export function hash32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hash of a 64-bit id given as its (hi, lo) 32-bit halves: {@link hash32} of lo when hi = 0, so a
 * raw id below 2^32 hashes like the same number as a page id.
 */
export function hash64(hi: number, lo: number): number {
  return hash32(lo ^ Math.imul(hi, 0x27d4eb2d));
}
