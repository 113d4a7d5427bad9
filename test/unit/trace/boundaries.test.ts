/** Parsers must give the same references whatever the buffer boundaries of the byte stream. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatChunks } from '../../../main/engine/trace/chunk.js';
import { createParser } from '../../../main/engine/trace/formats/index.js';
import { resolveOptions } from '../../../main/engine/trace/options.js';
import { RefSink } from '../../../main/engine/trace/sink.js';
import type { TraceFormat, TraceReadOptions } from '../../../main/engine/trace/index.js';
import { Bin } from './helpers.js';

function parseInPieces(
  format: TraceFormat,
  data: Uint8Array,
  cuts: number[],
  options: TraceReadOptions = {},
) {
  const resolved = resolveOptions(format, options);
  const sink = new RefSink('pieces', resolved);
  const parser = createParser(format, sink, resolved);
  let at = 0;
  for (const cut of [
    ...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b),
    data.length,
  ]) {
    parser.push(data.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  parser.end();
  sink.finish(data.length);
  const t = concatChunks(sink.takeReady());
  return {
    pages: Array.from(t.pages),
    ops: Array.from(t.ops),
    times: t.times && Array.from(t.times),
    stats: sink.stats(),
  };
}

const text = (s: string) => Buffer.from(s);
const vscsi = new Bin();
for (let i = 0; i < 20; i++)
  vscsi
    .u32(i)
    .u32(512 * (1 + (i % 9)))
    .u32(1)
    .u16(i % 3 ? 0x28 : 0x2a)
    .u16(0x0100)
    .u64(BigInt((i * 37) % 11))
    .u64(BigInt(i * 1000));
const raw = new Bin();
for (let i = 0; i < 30; i++) raw.u32((i * 7) % 5);

const CASES: [TraceFormat, Uint8Array, TraceReadOptions][] = [
  ['txt', text('12\r\n7\n\n  12  \n123456789012345678\n18446744073709551615\n7\n99'), {}],
  ['lirs', text('# c\n5\n*\n6 # x\r\n\n5\n7'), {}],
  [
    'csv',
    text('version,time,op,size,lbn\n1,1,2a,512,7\n1,2,28,4096,8\r\n1,3,2a,9000,7\n'),
    { split: true },
  ],
  [
    'msr',
    text(
      '128166372003061629,hm,1,Read,4000,5000,1\n128166372003061630,hm,2,Write,0,1,1\r\n128166372003061631,hm,1,Write,8192,1,1',
    ),
    {},
  ],
  ['vscsi', vscsi.build(), {}],
  ['raw-u32', raw.build(), {}],
];

describe('buffer boundaries', () => {
  it.each(CASES)(
    '%s: any split of the bytes gives the same references',
    (format, data, options) => {
      const whole = parseInPieces(format, data, [], options);
      expect(whole.stats.references).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
          expect(parseInPieces(format, data, cuts, options)).toEqual(whole);
        }),
        { numRuns: 200 },
      );
    },
  );

  it('one byte at a time', () => {
    for (const [format, data, options] of CASES) {
      const cuts = Array.from({ length: data.length }, (_, i) => i);
      expect(parseInPieces(format, data, cuts, options)).toEqual(
        parseInPieces(format, data, [], options),
      );
    }
  });
});
