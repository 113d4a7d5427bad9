import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectFileFormat,
  detectFormat,
  TraceInputError,
} from '../../../main/engine/trace/index.js';
import { haveTestTraces, sampleTrace, tempDir, testTrace } from './helpers.js';

const text = (s: string) => Buffer.from(s);

describe('detectFormat', () => {
  it('goes by extension, after stripping .gz/.xz/.zst', () => {
    expect(detectFormat('a.txt', text('1\n'))).toBe('txt');
    expect(detectFormat('a.txt.gz', text('1\n'))).toBe('txt');
    expect(detectFormat('a.vscsi.zst', new Uint8Array(32))).toBe('vscsi');
    expect(detectFormat('a.oracleGeneral', new Uint8Array(24))).toBe('oracleGeneral');
    expect(detectFormat('a.oracleGeneral.bin.xz', new Uint8Array(24))).toBe('oracleGeneral');
    expect(detectFormat('a.csv', text('version,time,op,size,lbn\n1,2,28,512,7\n'))).toBe('csv');
    expect(
      detectFormat('a.csv', text('128166372003061629,hm,1,Read,3154468864,32768,1325\n')),
    ).toBe('msr');
    expect(detectFormat('a.trace.gz', text('1\n2\n'))).toBe('lirs');
    expect(detectFormat('a.trace', Uint8Array.of(1, 0, 0, 0))).toBe('raw-u32');
  });

  it('sniffs content only where certain', () => {
    expect(detectFormat('data', text('1\n2\n3'), true)).toBe('txt');
    expect(detectFormat('data', text('# c\n1\n*\n2\n'), true)).toBe('lirs');
    expect(detectFormat('data', text('128166372003061629,hm,1,Write,0,512,1\n'), true)).toBe('msr');
    expect(detectFormat('data', text('time,lbn,op\n1,2,r\n3,4,w\n'), true)).toBe('csv');
    expect(() => detectFormat('data', text('hello world\n'), true)).toThrow(TraceInputError);
    expect(() => detectFormat('data', Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0))).toThrow(
      TraceInputError,
    );
  });

  it.skipIf(!haveTestTraces())(
    'recognises the CloudPhysics vscsi and oracleGeneral samples without their extension',
    () => {
      const head = (name: string) => readFileSync(testTrace(name)).subarray(0, 1 << 16);
      expect(detectFormat('x', head('cloudPhysicsIO.vscsi'))).toBe('vscsi');
      expect(detectFormat('x', head('cloudPhysicsIO.oracleGeneral.bin'))).toBe('oracleGeneral');
      expect(detectFormat('x', head('cloudPhysicsIO.txt'))).toBe('txt');
      expect(detectFormat('x', head('cloudPhysicsIO.csv'))).toBe('csv');
    },
  );

  it('asks for --format and lists the format names when unsure', () => {
    let err: unknown;
    try {
      detectFormat('mystery.bin', Uint8Array.of(9, 0, 0, 0, 1, 2, 3));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TraceInputError);
    expect((err as Error).message).toBe(
      'mystery.bin: expected a known trace format (give --format: txt, csv, oracleGeneral, vscsi, msr, lirs, raw-u32), got binary data that no format matches for certain',
    );
    expect(err).toMatchObject({ file: 'mystery.bin', location: 'file' });
  });

  it('detects the shipped sample traces from their files', async () => {
    const cases: [string, string][] = [
      ['w106.trace.xz', 'raw-u32'],
      ['multi3.trace.gz', 'lirs'],
      ['loop.trace.gz', 'lirs'],
    ];
    for (const [name, format] of cases)
      expect(await detectFileFormat(sampleTrace(name))).toBe(format);
  });

  it.skipIf(!haveTestTraces())(
    'detects the CloudPhysics reference traces from their files',
    async () => {
      const cases: [string, string][] = [
        ['cloudPhysicsIO.csv', 'csv'],
        ['cloudPhysicsIO.txt', 'txt'],
        ['cloudPhysicsIO.vscsi', 'vscsi'],
        ['cloudPhysicsIO.oracleGeneral.bin', 'oracleGeneral'],
      ];
      for (const [name, format] of cases)
        expect(await detectFileFormat(testTrace(name))).toBe(format);
    },
  );

  it('detects a raw uint32 trace without extension as unknown', async () => {
    const tmp = tempDir();
    try {
      const path = tmp.write('blocks', Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0));
      await expect(detectFileFormat(path)).rejects.toThrow(/give --format/);
    } finally {
      tmp.cleanup();
    }
  });
});
