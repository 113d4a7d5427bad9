/**
 * Seeded mutations of valid traces of every format (bit flips, truncation, hostile numbers:
 * negative, 1e308, 2^64, NaN text, 0xFFFFFFFF…) and the check of one outcome: refused naming the
 * place, or accepted with every value inside the limits. Anything else is a crash.
 */
import {
  parseTraceBuffer,
  TraceInputError,
  type TraceFormat,
} from '../../main/engine/trace/index.js';
import {
  DEFAULT_BACKWARD_TOLERANCE_SECONDS,
  DEFAULT_MAX_TIME_GAP_SECONDS,
  MAX_TIME_SECONDS,
} from '../../main/engine/trace/limits.js';
import { Rng } from '../../main/engine/util/rng.js';

export interface FuzzCounts {
  cases: number;
  refused: number;
  accepted: number;
  crashes: number;
  /** The first few crashes, for the report. */
  examples: string[];
}

export function newCounts(): FuzzCounts {
  return { cases: 0, refused: 0, accepted: 0, crashes: 0, examples: [] };
}

export const HOSTILE_NUMBERS = [
  '-1',
  '-99999999999',
  '1e308',
  '-1e308',
  '18446744073709551616',
  '18446744073709551615',
  '9007199254740993',
  'NaN',
  'Infinity',
  '1.5',
  '0',
  '4294967296',
  '',
];

/** Most distinct pages a fuzzed trace may have (keeps every case small). */
export const FUZZ_MAX_PAGES = 100_000;

function lines(n: number, f: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
}

function bin(records: number[][], widths: number[]): Uint8Array {
  const size = widths.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(records.length * size);
  const view = new DataView(out.buffer);
  records.forEach((r, k) => {
    let at = k * size;
    r.forEach((v, j) => {
      if (widths[j] === 2) view.setUint16(at, v, true);
      else if (widths[j] === 4) view.setUint32(at, v >>> 0, true);
      else view.setBigUint64(at, BigInt(v), true);
      at += widths[j];
    });
  });
  return out;
}

/** A small valid trace of each format. */
export const SEEDS: Record<TraceFormat, () => Uint8Array> = {
  txt: () => new TextEncoder().encode(lines(60, (i) => String((i * 7) % 23))),
  lirs: () => new TextEncoder().encode('# lirs\n' + lines(60, (i) => String((i * 5) % 19))),
  csv: () =>
    new TextEncoder().encode(
      'time,op,size,lbn\n' +
        lines(60, (i) => `${i * 0.5},${i % 3 === 0 ? 'w' : 'r'},4096,${(i * 11) % 31}`),
    ),
  msr: () =>
    new TextEncoder().encode(
      lines(
        60,
        (i) =>
          `${12816637200306n + BigInt(i)}0000,web,${i % 2},${i % 4 === 0 ? 'Write' : 'Read'},${((i * 13) % 40) * 4096},8192,100`,
      ),
    ),
  oracleGeneral: () =>
    bin(
      Array.from({ length: 60 }, (_, i) => [i, (i * 7) % 23, 0, 4096, 0]),
      [4, 4, 4, 4, 8],
    ),
  vscsi: () =>
    bin(
      Array.from({ length: 60 }, (_, i) => [
        i,
        4096,
        1,
        i % 2 === 0 ? 0x28 : 0x2a,
        0x0100,
        (i * 17) % 50,
        i * 1000,
      ]),
      [4, 4, 4, 2, 2, 8, 8],
    ),
  'raw-u32': () =>
    bin(
      Array.from({ length: 60 }, (_, i) => [(i * 7) % 23]),
      [4],
    ),
};

const TEXT_FORMATS = new Set<TraceFormat>(['txt', 'lirs', 'csv', 'msr']);

/** One mutation of `seed`, chosen by `rng`. */
export function mutate(seed: Uint8Array, format: TraceFormat, rng: Rng): Uint8Array {
  const kind = rng.int(TEXT_FORMATS.has(format) ? 4 : 3);
  const b = Uint8Array.from(seed);
  if (kind === 0) {
    // Bit flips.
    const flips = 1 + rng.int(8);
    for (let k = 0; k < flips; k++) b[rng.int(b.length)] ^= 1 << rng.int(8);
    return b;
  }
  if (kind === 1) return b.subarray(0, rng.int(b.length + 1)); // truncation (maybe empty)
  if (kind === 2) {
    // Hostile 32/64-bit values (binary) or bytes (text) at a random place.
    const at = rng.int(Math.max(1, b.length - 8));
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const value = [0xffffffff, 0, 0x80000000, 0x7fffffff][rng.int(4)];
    if (at + 4 <= b.length) view.setUint32(at, value, true);
    if (rng.int(2) === 0 && at + 8 <= b.length) view.setUint32(at + 4, value, true);
    return b;
  }
  // Text: replace one field with a hostile number.
  const text = new TextDecoder().decode(b);
  const fields = [...text.matchAll(/[^,\n]+/g)];
  if (fields.length === 0) return b;
  const f = fields[rng.int(fields.length)];
  const hostile = HOSTILE_NUMBERS[rng.int(HOSTILE_NUMBERS.length)];
  const at = f.index;
  return new TextEncoder().encode(text.slice(0, at) + hostile + text.slice(at + f[0].length));
}

const PLACE = /(line \d+|record \d+|byte \d+|end of file|reference \d+|^[^:]+: expected)/;

/** Parses one mutated trace and counts the outcome. */
export function fuzzOne(
  data: Uint8Array,
  format: TraceFormat,
  split: boolean,
  counts: FuzzCounts,
): void {
  counts.cases++;
  let parsed: ReturnType<typeof parseTraceBuffer>;
  try {
    parsed = parseTraceBuffer(data, {
      name: `fuzz.${format}`,
      format,
      split,
      maxDistinctPages: FUZZ_MAX_PAGES,
    });
  } catch (err) {
    if (err instanceof TraceInputError && PLACE.test(err.message)) counts.refused++;
    else crash(counts, format, err);
    return;
  }
  const problem = outsideLimits(parsed.trace, parsed.stats);
  if (problem === null) counts.accepted++;
  else crash(counts, format, new Error(`accepted a value outside the limits: ${problem}`));
}

function crash(counts: FuzzCounts, format: string, err: unknown): void {
  counts.crashes++;
  if (counts.examples.length < 5)
    counts.examples.push(
      `${format}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
}

function outsideLimits(
  trace: ReturnType<typeof parseTraceBuffer>['trace'],
  stats: ReturnType<typeof parseTraceBuffer>['stats'],
): string | null {
  if (stats.distinctPages > FUZZ_MAX_PAGES) return `${stats.distinctPages} distinct pages`;
  for (let i = 0; i < trace.pages.length; i++) {
    const p = trace.pages[i];
    if (!(p >= 0 && p < stats.distinctPages)) return `page id ${p}`;
  }
  const t = trace.times;
  if (t !== null) {
    for (let i = 0; i < t.length; i++) {
      if (!(t[i] >= 0 && t[i] < MAX_TIME_SECONDS)) return `time ${t[i]}`;
      if (i > 0 && t[i] - t[i - 1] > DEFAULT_MAX_TIME_GAP_SECONDS) return `gap ${t[i] - t[i - 1]}`;
      if (i > 0 && t[i - 1] - t[i] > DEFAULT_BACKWARD_TOLERANCE_SECONDS)
        return `backward ${t[i - 1] - t[i]}`;
    }
  }
  if (stats.durationSeconds !== null && !(stats.durationSeconds >= 0))
    return `duration ${stats.durationSeconds}`;
  return null;
}
