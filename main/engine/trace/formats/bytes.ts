/**
 * Byte-level parsing helpers shared by the text formats: numbers straight from the bytes of a
 * field, without making strings. Ranges are [start, end) into a Uint8Array.
 */

const TWO32 = 4294967296;

/** Scratch result of {@link parseU64}: the unsigned 32-bit halves of the last parsed id. */
export const U64 = { hi: 0, lo: 0 };

/** Whether c is a blank that may surround a field (space, tab, CR). */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** First index in [start, end) that is not blank. */
export function skipBlanks(b: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(b[start])) start++;
  return start;
}

/** End of [start, end) without trailing blanks. */
export function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start && isBlank(b[end - 1])) end--;
  return end;
}

/**
 * Parses an unsigned decimal integer below 2^64 into {@link U64}. Returns false when the range is
 * empty, holds anything but digits, or overflows.
 */
export function parseU64(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  let v = 0;
  let i = start;
  for (; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return false;
    if (v >= 9e14) break;
    v = v * 10 + d;
  }
  let hi = v >= TWO32 ? Math.floor(v / TWO32) : 0;
  let lo = v - hi * TWO32;
  for (; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return false;
    lo = lo * 10 + d;
    const carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
    hi = hi * 10 + carry;
    if (hi >= TWO32) return false;
  }
  U64.hi = hi;
  U64.lo = lo;
  return true;
}

/** Parses an unsigned decimal integer up to 2^53 - 1; returns -1 when invalid. */
export function parseSafeUint(b: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 16) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= Number.MAX_SAFE_INTEGER ? v : -1;
}

/**
 * Parses a decimal number (optional sign, digits, fraction, exponent); returns NaN when invalid.
 * Plain integers and fixed-point numbers are parsed from the bytes; exponents go through Number.
 */
export function parseDecimal(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (i < end && (b[i] === 45 || b[i] === 43)) {
    if (b[i] === 45) sign = -1;
    i++;
  }
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    digits++;
  }
  if (i < end && b[i] === 46) {
    let scale = 1;
    let frac = 0;
    for (i++; i < end; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      frac = frac * 10 + d;
      scale *= 10;
      digits++;
    }
    v += frac / scale;
  }
  if (digits === 0) return NaN;
  if (i === end) return digits > 15 ? slowNumber(b, start, end) : sign * v;
  if (b[i] === 101 || b[i] === 69) return slowNumber(b, start, end);
  return NaN;
}

function slowNumber(b: Uint8Array, start: number, end: number): number {
  const s = latin1(b, start, end);
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}

/** The bytes of a range as a string (one char per byte). */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** A field or line quoted for an error message, shortened to 40 characters. */
export function show(b: Uint8Array, start: number, end: number): string {
  if (start >= end) return 'an empty field';
  const max = 40;
  const text = latin1(b, start, Math.min(end, start + max)).replace(/[^\x20-\x7e]/g, '?');
  return `'${text}${end - start > max ? '…' : ''}'`;
}
