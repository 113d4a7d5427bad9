import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError, parseExperiment, type Experiment } from '../../../shared/schema/index.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function errorOf(text: string, file = 'exp.yaml'): string {
  try {
    parseExperiment(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('parsed without error');
}

/** A valid YAML experiment with `extra` lines added under the first VM. */
function yamlWithVm(extra: string): string {
  return `name: e\nvms:\n  - name: a\n    workload: {kind: loop, pages: 10}\n${extra
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
}

describe('parseExperiment: valid files', () => {
  it('a minimal JSON file gets every default', () => {
    const exp = parseExperiment(fixture('minimal.json'), 'minimal.json');
    expect(exp).toEqual({
      name: 'minimal',
      pageSize: 4096,
      vms: [
        {
          name: 'vm1',
          workload: {
            kind: 'zipf',
            pages: 10000,
            refs: 100000,
            alpha: 1,
            scatter: false,
            offset: 0,
            seed: 1,
            arrivals: 'constant',
          },
          guestPages: 1024,
          hvPages: 0,
          ghostPages: 0,
          policy: 'lru',
          activeFraction: 0.5,
          writeback: { mode: 'delayed', dirtyExpire: 30, interval: 5 },
          admissionFailure: 0,
          admissionSeed: 1,
          hvForgetFailed: false,
          costs: {
            cpuUs: 10,
            guestHitUs: 1,
            hitUs: 2,
            putUs: 2,
            diskReadUs: 5000,
            diskWriteUs: 5000,
            seqWriteUs: 100,
            evictionWait: 0,
            wpFaultUs: 2,
          },
          weight: 1,
          shares: 1,
          tolerance: 0,
          untimedRate: 1000,
          warmup: 0,
        },
      ],
      methods: ['exact', 'hypervisor', 'esx', 'shards'],
      esx: {
        samples: 100,
        periodSeconds: 30,
        periodRefs: null,
        fastGain: 0.5,
        slowGain: 0.1,
        currentGain: 0.5,
        currentUpdates: 10,
        epsilon: 0.05,
        seed: 1,
      },
      shards: { mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 },
      minisim: { mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 },
    } satisfies Experiment);
  });

  it('a YAML file with presets, phases, a trace and method parameters', () => {
    const exp = parseExperiment(fixture('two-vms.yaml'), 'two-vms.yaml');
    expect(exp.vms.map((v) => v.name)).toEqual(['web', 'db', 'replay']);
    const [web, db, replay] = exp.vms;
    expect(web.workload).toMatchObject({ kind: 'preset', preset: 'specweb', pages: 40000 });
    expect(web).toMatchObject({ guestPages: 8192, hvPages: 8192, ghostPages: 16384 });
    expect(web.tolerance).toBe(0.05);
    expect(db.tolerance).toBe(Number.POSITIVE_INFINITY);
    expect(db.writeback).toEqual({ mode: 'write-through', dirtyExpire: 30, interval: 5 });
    expect(db.costs).toEqual({
      cpuUs: 10,
      guestHitUs: 1,
      hitUs: 2,
      putUs: 2,
      diskReadUs: 8000,
      diskWriteUs: 5000,
      seqWriteUs: 100,
      evictionWait: 0,
      wpFaultUs: 2,
    });
    expect(db.workload.kind).toBe('phases');
    if (db.workload.kind === 'phases') {
      expect(db.workload.rate).toBe(2000);
      expect(db.workload.phases[1].workload).toMatchObject({
        kind: 'hotcold',
        offset: 20000,
        writeFraction: 0.35,
        hotFraction: 0.9,
      });
    }
    // Trace sources keep reader options they do not know.
    expect(replay.workload).toEqual({
      kind: 'trace',
      trace: '../traces/cloudPhysicsIO.txt',
      format: 'lines',
      limit: 100000,
      delimiter: ' ',
    });
    expect(exp.methods).toEqual(['exact', 'hypervisor', 'esx']);
    expect(exp.sizes).toEqual([1024, 2048, 4096, 8192, 16384]);
    expect(exp.esx).toMatchObject({ samples: 200, periodRefs: 100000, periodSeconds: 30 });
  });

  it('the same experiment in JSON and YAML parses the same', () => {
    const yaml = fixture('two-vms.yaml');
    const fromYaml = parseExperiment(yaml, 'a.yaml');
    const asJson = JSON.stringify(fromYaml, (_key, value: unknown) =>
      value === Number.POSITIVE_INFINITY ? 'inf' : value,
    );
    expect(parseExperiment(asJson, 'a.json')).toEqual(fromYaml);
  });

  it('detects the format from the content when the extension says nothing', () => {
    expect(parseExperiment(fixture('minimal.json'), 'exp').name).toBe('minimal');
    expect(
      parseExperiment(
        'name: y\nvms: [{name: a, workload: {preset: tpch, pages: 9, refs: 1}}]',
        'exp',
      ).name,
    ).toBe('y');
  });

  it('allows a tolerance written as inf', () => {
    expect(parseExperiment(yamlWithVm('tolerance: inf'), 'e.yaml').vms[0].tolerance).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('parseExperiment: errors name the file and the field path', () => {
  it.each([
    ['guestPages: -5', /^exp\.yaml: vms\[0\]\.guestPages: expected a positive integer, got -5$/],
    ['guestPages: 1.5', /vms\[0\]\.guestPages: expected a positive integer, got 1\.5$/],
    ['guestPages: "many"', /vms\[0\]\.guestPages: expected a positive integer, got "many"$/],
    ['hvPages: -1', /vms\[0\]\.hvPages: expected an integer ≥ 0, got -1$/],
    [
      'policy: lfu2',
      /vms\[0\]\.policy: expected one of 'lru', 'fifo', 'clock', 'arc', 'lru2', 'opt', 'lfu', '2q', 'lirs', 's3fifo', 'sieve', 'clockpro', 'clockpro-libcachesim', got "lfu2"$/,
    ],
    [
      'writeback: {mode: lazy}',
      /vms\[0\]\.writeback\.mode: expected one of 'delayed', 'write-through', got "lazy"$/,
    ],
    ['writeback: 5', /vms\[0\]\.writeback: expected an object, got 5$/],
    ['admissionFailure: 2', /vms\[0\]\.admissionFailure: expected a number from 0 to 1, got 2$/],
    ['costs: {hitUs: -1}', /vms\[0\]\.costs\.hitUs: expected a number ≥ 0, got -1$/],
    [
      'tolerance: -0.1',
      /vms\[0\]\.tolerance: expected a number ≥ 0, or 'inf' for no isolation constraint, got -0\.1$/,
    ],
    ['weight: 0', /vms\[0\]\.weight: expected a positive number, got 0$/],
    ['guestPage: 5', /vms\[0\]\.guestPage: unknown key$/],
    [
      'minPages: 10\nmaxPages: 5',
      /vms\[0\]\.maxPages: expected maxPages ≥ minPages \(10\), got 5$/,
    ],
  ])('%s', (line, pattern) => {
    expect(errorOf(yamlWithVm(line))).toMatch(pattern);
  });

  it('names the VM index, e.g. vms[1].guestPages', () => {
    const text = `name: e
vms:
  - {name: a, workload: {kind: loop, pages: 10}}
  - {name: b, guestPages: -5, workload: {kind: loop, pages: 10}}
`;
    expect(errorOf(text)).toBe('exp.yaml: vms[1].guestPages: expected a positive integer, got -5');
  });

  it.each([
    [
      '{kind: zipff, pages: 5}',
      /vms\[0\]\.workload\.kind: expected a workload kind, one of 'uniform', .*'trace', got "zipff"$/,
    ],
    [
      '{kind: zipf, pages: 0, refs: 5}',
      /vms\[0\]\.workload\.pages: expected a positive integer, got 0$/,
    ],
    ['{kind: zipf, pages: 10}', /vms\[0\]\.workload\.refs: missing \(expected an integer ≥ 0\)$/],
    ['{kind: zipf, pages: 10, refs: 1, alpah: 2}', /vms\[0\]\.workload\.alpah: unknown key$/],
    ['{preset: tpcx, pages: 10, refs: 1}', /vms\[0\]\.workload\.preset: expected one of 'specweb'/],
    ['{trace: ""}', /vms\[0\]\.workload\.trace: expected a non-empty string, got ""$/],
    [
      '{trace: a.txt, limit: -1}',
      /vms\[0\]\.workload\.limit: expected a positive integer, got -1$/,
    ],
    [
      '5',
      /vms\[0\]\.workload: expected a workload: \{kind: 'zipf' \| 'uniform' \| …\}, \{preset: NAME, …\} or \{trace: PATH, …\}, got 5$/,
    ],
    [
      '{kind: phases, phases: [{refs: 5, workload: {kind: scan, pages: 4, run: 9}}]}',
      /vms\[0\]\.workload\.phases\[0\]\.workload\.run: expected a run of at most pages \(4\), got 9$/,
    ],
    [
      '{kind: phases, phases: []}',
      /vms\[0\]\.workload\.phases: expected at least one phase, got an empty list$/,
    ],
  ])('workload %s', (workload, pattern) => {
    const text = `name: e\nvms:\n  - name: a\n    workload: ${workload}\n`;
    expect(errorOf(text)).toMatch(pattern);
  });

  it('a missing workload', () => {
    expect(errorOf('name: e\nvms: [{name: a}]')).toMatch(
      /^exp\.yaml: vms\[0\]\.workload: missing \(expected a workload/,
    );
  });

  it('VM names must be unique', () => {
    const text = `name: e
vms:
  - {name: web, workload: {kind: loop, pages: 10}}
  - {name: db, workload: {kind: loop, pages: 10}}
  - {name: web, workload: {kind: loop, pages: 10}}
`;
    expect(errorOf(text)).toBe(
      "exp.yaml: vms[2].name: VM names must be unique: 'web' is also the name of vms[0]",
    );
  });

  it('duplicate VM names are reported alongside other problems', () => {
    const text = `name: e
vms:
  - {name: web, guestPages: -1, workload: {kind: loop, pages: 10}}
  - {name: web, workload: {kind: loop, pages: 10}}
`;
    expect(errorOf(text).split('\n')).toEqual([
      'exp.yaml: vms[0].guestPages: expected a positive integer, got -1',
      "exp.yaml: vms[1].name: VM names must be unique: 'web' is also the name of vms[0]",
    ]);
  });

  it.each([
    ['name: e', /^exp\.yaml: vms: missing \(expected a list of VMs\)$/],
    ['name: e\nvms: []', /^exp\.yaml: vms: expected at least one VM, got an empty list$/],
    [
      'vms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: name: missing \(expected a non-empty string\)$/,
    ],
    [
      'name: e\npageSize: 1000\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: pageSize: expected a power of two of at least 512 \(bytes\), got 1000$/,
    ],
    [
      'name: e\nmethods: [exact, magic]\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: methods\[1\]: expected one of 'exact', 'hypervisor', 'esx', 'shards', 'policy', 'minisim', got "magic"$/,
    ],
    [
      'name: e\nmethods: [exact, exact]\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: methods\[1\]: 'exact' is listed twice$/,
    ],
    [
      'name: e\nsizes: [10, -1]\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: sizes\[1\]: expected a positive integer, got -1$/,
    ],
    [
      'name: e\nsizes: [0, 10]\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: sizes\[0\]: expected a positive integer, got 0$/,
    ],
    [
      "name: '   '\nvms: [{name: a, workload: {kind: loop, pages: 1}}]",
      /^exp\.yaml: name: expected a name that is not only spaces, got " {3}"$/,
    ],
    [
      "name: e\nvms: [{name: ' ', workload: {kind: loop, pages: 1}}]",
      /^exp\.yaml: vms\[0\]\.name: expected a name that is not only spaces, got " "$/,
    ],
    [
      'name: e\nesx: {samples: 0}\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: esx\.samples: expected a positive integer, got 0$/,
    ],
    [
      'name: e\nesx: {fastGain: 1.5}\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: esx\.fastGain: expected a number greater than 0 and at most 1, got 1\.5$/,
    ],
    [
      'name: e\nshards: {mode: adaptive}\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: shards\.mode: expected one of 'fixed-rate', 'fixed-size', got "adaptive"$/,
    ],
    [
      'name: e\nshards: {rate: 0}\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: shards\.rate: expected a number greater than 0 and at most 1, got 0$/,
    ],
    [
      'name: e\nvm: []\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      /^exp\.yaml: vm: unknown key$/,
    ],
    ['- a\n- b', /^exp\.yaml: expected an object, got a list of 2$/],
  ])('%s', (text, pattern) => {
    expect(errorOf(text)).toMatch(pattern);
  });

  it('lists every problem, one per line', () => {
    const text = `name: ""
vms:
  - {name: a, guestPages: 0, hvPages: -1, workload: {kind: loop, pages: 1}}
esx: {samples: -1}
`;
    expect(errorOf(text).split('\n')).toEqual([
      'exp.yaml: name: expected a non-empty string, got ""',
      'exp.yaml: vms[0].guestPages: expected a positive integer, got 0',
      'exp.yaml: vms[0].hvPages: expected an integer ≥ 0, got -1',
      'exp.yaml: esx.samples: expected a positive integer, got -1',
    ]);
  });

  it('syntax errors and empty files name the file', () => {
    expect(errorOf('{"name": ', 'exp.json')).toMatch(/^exp\.json: not valid JSON: /);
    expect(errorOf('name: [', 'exp.yml')).toMatch(/^exp\.yml: not valid YAML: /);
    expect(errorOf('name: a\nname: b', 'exp.yaml')).toMatch(
      /^exp\.yaml: not valid YAML: Map keys must be unique/,
    );
    expect(errorOf('', 'exp.yaml')).toBe('exp.yaml: the file is empty');
  });

  it('ValidationError carries the problems for the UI', () => {
    try {
      parseExperiment(yamlWithVm('guestPages: -5'), 'exp.yaml');
    } catch (e) {
      expect((e as ValidationError).problems).toEqual([
        { path: 'vms[0].guestPages', message: 'expected a positive integer, got -5' },
      ]);
      expect((e as ValidationError).source).toBe('exp.yaml');
    }
    expect.assertions(2);
  });
});

describe('methods', () => {
  it('an empty list means statistics only', () => {
    const exp = parseExperiment(
      'name: e\nmethods: []\nvms: [{name: a, workload: {kind: loop, pages: 1}}]',
      'exp.yaml',
    );
    expect(exp.methods).toEqual([]);
  });
});
