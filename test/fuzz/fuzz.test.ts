/**
 * The fuzz suite (issue 11, point 7): bounded in count, seeded (HCLAB_FUZZ_SEED overrides the
 * seed, HCLAB_FUZZ_SCALE the count), and it prints its counts. Mutated traces of every format are
 * refused naming the place or read with every value inside the limits; mutated project files are
 * refused without being modified; random API calls with hostile parameters get a typed error,
 * never INTERNAL.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract.js';
import { ApiError } from '../../shared/api/errors.js';
import { TRACE_FORMATS } from '../../main/engine/trace/index.js';
import { Rng } from '../../main/engine/util/rng.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { runStep } from '../../main/service/runs/step.js';
import { fuzzOne, mutate, newCounts, SEEDS, type FuzzCounts } from './trace-fuzz.js';

const SEED = Number(process.env.HCLAB_FUZZ_SEED ?? 20261202);
const SCALE = Number(process.env.HCLAB_FUZZ_SCALE ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'hclab-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(what: string, c: FuzzCounts): void {
  console.info(
    `fuzz ${what} (seed ${SEED}): ${c.cases} cases, ${c.refused} refused, ${c.accepted} accepted, ${c.crashes} crashes` +
      (c.examples.length > 0 ? `\n  ${c.examples.join('\n  ')}` : ''),
  );
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('fuzz', () => {
  it('the unmutated seed traces are valid (so mutations start from accepted input)', () => {
    for (const format of TRACE_FORMATS) {
      const counts = newCounts();
      fuzzOne(SEEDS[format](), format, false, counts);
      expect(counts.accepted, `${format}: ${counts.examples.join(' ')}`).toBe(1);
    }
  });

  it('mutated traces of every format: refused naming the place, or values inside the limits', () => {
    const counts = newCounts();
    const rng = new Rng(SEED);
    for (const format of TRACE_FORMATS) {
      const seed = SEEDS[format]();
      for (let k = 0; k < 400 * SCALE; k++) {
        fuzzOne(mutate(seed, format, rng), format, rng.int(2) === 0, counts);
      }
    }
    report('traces', counts);
    expect(counts.cases).toBe(TRACE_FORMATS.length * 400 * SCALE);
    expect(counts.crashes, counts.examples.join('\n')).toBe(0);
    expect(counts.refused).toBeGreaterThan(0);
    expect(counts.accepted).toBeGreaterThan(0);
  });

  it('mutated project files: refused without modification, or opened and read cleanly', async () => {
    const good = join(dir, 'good.hclab');
    const store = ProjectStore.create(good);
    store.vms.save({
      name: 'web',
      workload: { kind: 'uniform', pages: 80, refs: 2000 },
      guestPages: 20,
    });
    const exp = store.experiments.save({ name: 'e', vmNames: ['web'], methods: ['exact'] });
    const run = store.runs.create(exp.id);
    const snap = store.runs.snapshot(run.id);
    store.runs.commitStep(
      run.id,
      0,
      await runStep({ experiment: { ...snap.experiment, vms: snap.vms }, baseDir: dir }, {}),
    );
    store.runs.setState(run.id, 'done');
    store.close();
    const bytes = readFileSync(good);
    const counts = newCounts();
    const rng = new Rng(SEED + 1);
    for (let k = 0; k < 60 * SCALE; k++) {
      counts.cases++;
      const file = join(dir, `m${k}.hclab`);
      const b = Uint8Array.from(bytes);
      const mode = rng.int(3);
      let data: Uint8Array = b;
      if (mode === 0)
        for (let f = 0; f < 1 + rng.int(16); f++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      else if (mode === 1) data = b.subarray(0, rng.int(b.length));
      else for (let f = 0; f < 4; f++) b[rng.int(100)] = rng.int(256); // the header
      writeFileSync(file, data);
      const before = sha(file);
      try {
        const s = ProjectStore.open(file);
        try {
          for (const r of s.runs.list()) {
            try {
              s.runs.get(r.id);
            } catch (err) {
              if (!(err instanceof ApiError)) throw err;
            }
          }
          s.vms.list();
          s.experiments.list();
        } finally {
          s.close();
        }
        counts.accepted++;
      } catch (err) {
        if (err instanceof ApiError && ['CORRUPT', 'NEWER_VERSION'].includes(err.code)) {
          if (sha(file) !== before || ['-wal', '-shm', '.lock'].some((x) => existsSync(file + x)))
            crash(counts, `m${k}: refused but modified`);
          else counts.refused++;
        } else
          crash(
            counts,
            `m${k}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
          );
      }
      rmSync(file, { force: true });
    }
    report('project files', counts);
    expect(counts.crashes, counts.examples.join('\n')).toBe(0);
  });

  it('random API calls with hostile parameters: a typed error, never INTERNAL', async () => {
    const root = join(dir, 'api');
    const service = createApiService({ root: dir, redactFileContents: true });
    const project = join(dir, 'api.hclab');
    await service.handle('project.create', { path: project });
    await service.handle('vm.save', {
      vm: { name: 'web', workload: { kind: 'uniform', pages: 50, refs: 500 }, guestPages: 10 },
    });
    writeFileSync(join(dir, 't.txt'), '1\n2\n3\n');
    copyFileSync(join(dir, 't.txt'), join(dir, 'u.txt'));
    const rng = new Rng(SEED + 2);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
    const hostile = (): unknown =>
      pick<() => unknown>([
        () => Number.NaN,
        () => Infinity,
        () => -1,
        () => 1e308,
        () => 2 ** 64,
        () => 0,
        () => 1.5,
        () => '',
        () => 'x\0y',
        () => 'x'.repeat(5000),
        () => null,
        () => [],
        () => ({}),
        () => true,
        () =>
          pick([
            '/etc/passwd',
            join(dir, 't.txt'),
            join(root, '..', 'x'),
            'embedded:1',
            'embedded:-1',
          ]),
        () => ({
          kind: pick(['uniform', 'trace', 'zipf']),
          pages: hostile(),
          refs: hostile(),
          trace: hostile(),
        }),
        () => ({ epochRefs: hostile(), epochSeconds: hostile() }),
        () => 1,
      ])();
    const vm = { name: 'web', workload: { kind: 'uniform', pages: 50, refs: 500 }, guestPages: 10 };
    const TEMPLATES: Partial<Record<string, Record<string, unknown>>> = {
      'project.open': { path: project, readOnly: false },
      'project.saveAs': { path: join(dir, 'copy.hclab'), overwrite: false },
      'vm.save': { vm },
      'vm.remove': { id: 1 },
      'experiment.save': { experiment: { name: 'e', vmNames: ['web'], methods: ['exact'] } },
      'trace.inspect': { path: join(dir, 't.txt'), options: { format: 'txt' } },
      'trace.embed': { fileName: 't.txt', contentBase64: 'MQoyCg==', options: {} },
      'run.get': { runId: 1 },
      'alloc.compute': { runId: 1, memory: 100, quantum: 1, adaptive: { epochRefs: 10 } },
      'crash.run': { vmName: 'web', trials: 5, crashTimes: [0.1] },
    };
    const KEYS = [
      'path',
      'id',
      'vm',
      'experiment',
      'runId',
      'experimentId',
      'memory',
      'quantum',
      'vmName',
      'trials',
      'options',
      'fileName',
      'contentBase64',
      'adaptive',
      'limits',
      'overwrite',
      'readOnly',
      'sources',
      'crashTimes',
    ];
    const counts = newCounts();
    const codes = new Map<string, number>();
    // Heavy methods may legitimately run; everything else is quick.
    const methods = METHOD_NAMES.filter((m) => !['project.close'].includes(m));
    for (let k = 0; k < 300 * SCALE; k++) {
      counts.cases++;
      const method = pick(methods);
      // Half the calls start from valid parameters and spoil one field, so they reach handlers.
      const template = TEMPLATES[method];
      const params: Record<string, unknown> =
        template !== undefined && rng.int(2) === 0 ? structuredClone(template) : {};
      if (Object.keys(params).length > 0) {
        const key = pick(Object.keys(params));
        const value = params[key];
        if (
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          rng.int(2) === 0
        ) {
          const inner = value as Record<string, unknown>;
          const sub = Object.keys(inner);
          if (sub.length > 0) inner[pick(sub)] = hostile();
        } else params[key] = hostile();
      } else for (let j = rng.int(4); j > 0; j--) params[pick(KEYS)] = hostile();
      try {
        await service.handle(method, rng.int(10) === 0 ? hostile() : params);
        counts.accepted++;
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'UNTYPED';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'INTERNAL' || code === 'UNTYPED')
          crash(
            counts,
            `${method} ${JSON.stringify(params).slice(0, 200)}: ${(err as Error).message}`,
          );
        else counts.refused++;
      }
      if ((await service.handle('project.current', {})) === null)
        await service.handle('project.open', { path: project });
    }
    await service.close();
    report('API calls', counts);
    console.info(`  error codes: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    expect(counts.crashes, counts.examples.join('\n')).toBe(0);
  });
});

function crash(counts: FuzzCounts, what: string): void {
  counts.crashes++;
  if (counts.examples.length < 5) counts.examples.push(what);
}
