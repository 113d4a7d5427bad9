/**
 * Damaged rows (issue 11, point 5): a stored result whose JSON is damaged (the file still passes
 * quick_check) is reported naming the file, the run and the VM, exit 2; the other runs are still
 * printed; `run` refuses to build on it; nothing is changed or left beside the file.
 */
import { writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hclab } from '../cli/run-cli.js';
import { sha256, tempDir } from '../store/helpers.js';

const EXPERIMENT = (name: string) => `name: ${name}
vms:
  - name: web
    workload: { kind: zipf, pages: 500, refs: 5000, seed: 3 }
    guestPages: 50
  - name: db
    workload: { kind: uniform, pages: 300, refs: 5000, seed: 4 }
    guestPages: 50
methods: [exact]
`;

describe('damaged stored results', () => {
  it.each([
    ['truncated JSON', (r: string) => r.slice(0, 20)],
    ['JSON null', () => 'null'],
    ['a wrong shape', () => '{"name": 3}'],
  ])('%s: named by run and VM, exit 2, the rest readable', (_what, damage) => {
    const dir = tempDir();
    const file = path.join(dir, 'p.hclab');
    writeFileSync(path.join(dir, 'a.yaml'), EXPERIMENT('a'));
    expect(hclab(['project', 'new', file, '--from', path.join(dir, 'a.yaml')]).status).toBe(0);
    expect(hclab(['run', file]).status).toBe(0);
    // A second, sound run of the same experiment.
    expect(hclab(['run', file, '--experiment', 'a']).status).toBe(0);
    const db = new Database(file);
    const row = db
      .prepare('SELECT result FROM run_results WHERE run_id = 1 AND step = 1')
      .get() as { result: string };
    db.prepare('UPDATE run_results SET result = ? WHERE run_id = 1 AND step = 1').run(
      damage(row.result),
    );
    db.close();
    const before = sha256(file);

    const one = hclab(['results', file, '--run', '1']);
    expect(one.status).toBe(2);
    expect(one.stderr.trim()).toBe(
      `hclab: ${file}: run 1, VM db: stored result is damaged (the rest of the project is readable; run the experiment again for new results)`,
    );
    const latest = hclab(['results', file]);
    expect(latest.status).toBe(0); // the latest run (2) is sound
    expect(latest.stdout).toContain('run 2 — a: done');
    const json = hclab(['results', file, '--run', '2', '--json']);
    expect(JSON.parse(json.stdout)[0].results).toHaveLength(2);

    const run = hclab(['run', file, '--experiment', 'a']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('run 1, VM db: stored result is damaged');
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'p.hclab']);
  });
});
