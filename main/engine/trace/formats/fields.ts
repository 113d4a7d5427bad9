/**
 * Splits a delimited text line into field ranges, kept in reusable Int32Arrays (no strings).
 * Blanks and a pair of surrounding double quotes are trimmed from each field. With the delimiter
 * ' ', any run of spaces and tabs separates fields.
 */
import { isBlank } from './bytes.js';

export class FieldSplitter {
  starts: Int32Array = new Int32Array(16);
  ends: Int32Array = new Int32Array(16);
  private readonly delim: number;

  constructor(delimiter: string) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Splits [start, end) of b; returns the number of fields (their ranges in starts/ends). */
  split(b: Uint8Array, start: number, end: number): number {
    const delim = this.delim;
    const spaces = delim === 32;
    if (spaces) {
      while (start < end && isBlank(b[start])) start++;
      while (end > start && isBlank(b[end - 1])) end--;
    }
    let count = 0;
    let from = start;
    for (let i = start; i <= end; i++) {
      const c = i < end ? b[i] : delim;
      if (c !== delim && !(spaces && c === 9)) continue;
      this.add(count++, b, from, i);
      if (spaces) while (i + 1 < end && (b[i + 1] === 32 || b[i + 1] === 9)) i++;
      from = i + 1;
    }
    return count;
  }

  private add(k: number, b: Uint8Array, s: number, e: number): void {
    if (k >= this.starts.length) {
      const starts: Int32Array = new Int32Array(k * 2);
      const ends: Int32Array = new Int32Array(k * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    while (s < e && isBlank(b[s])) s++;
    while (e > s && isBlank(b[e - 1])) e--;
    if (e - s >= 2 && b[s] === 34 && b[e - 1] === 34) {
      s++;
      e--;
    }
    this.starts[k] = s;
    this.ends[k] = e;
  }
}

/** How a delimiter is named in messages ("5 comma-separated columns"). */
export function delimiterName(delimiter: string): string {
  switch (delimiter) {
    case ',':
      return 'comma';
    case '\t':
      return 'tab';
    case ';':
      return 'semicolon';
    case ' ':
      return 'space';
    default:
      return `'${delimiter}'`;
  }
}

/** The delimiter of a first line: the most frequent of , tab ; — else space. */
export function guessDelimiter(b: Uint8Array, start: number, end: number): string {
  let comma = 0;
  let tab = 0;
  let semi = 0;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 44) comma++;
    else if (c === 9) tab++;
    else if (c === 59) semi++;
  }
  if (comma === 0 && tab === 0 && semi === 0) return ' ';
  if (comma >= tab && comma >= semi) return ',';
  return tab >= semi ? '\t' : ';';
}
