import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors.js';
import { lockPath } from '../../main/store/lock.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate } from '../../main/store/schema.js';
import { SMALL_VM, sha256, sidecars, tempDir } from './helpers.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('expected an ApiError');
}

function newProject(dir: string, name = 'p.hclab'): string {
  const file = path.join(dir, name);
  const s = ProjectStore.create(file);
  s.vms.save(SMALL_VM);
  s.close();
  return file;
}

describe('project file: create, repositories, autosave', () => {
  it('creates a project at the latest version, WAL mode, and stores VMs/experiments/traces', () => {
    const file = path.join(tempDir(), 'a.hclab');
    const s = ProjectStore.create(file);
    expect(s.schemaVersion).toBe(LATEST_VERSION);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const vm = s.vms.save({ ...SMALL_VM, tolerance: 'inf' });
    expect(vm.vm.guestPages).toBe(50);
    expect(vm.vm.tolerance).toBe(Number.POSITIVE_INFINITY);
    expect(code(() => s.vms.save({ ...SMALL_VM, guestPages: -5 }))).toMatch(
      /^BAD_INPUT: vm: guestPages: expected/,
    );
    expect(code(() => s.vms.save(SMALL_VM))).toMatch(/^BAD_INPUT: .*already named 'vm1'/);
    const exp = s.experiments.save({ name: 'e', vmNames: ['vm1'], methods: ['exact'] });
    expect(exp.experiment.pageSize).toBe(4096);
    expect(code(() => s.experiments.save({ name: 'e2', vmNames: [], methods: [] }))).toMatch(
      /^BAD_INPUT: experiment: vmNames/,
    );
    const tid = s.traces.embed('t.txt', new TextEncoder().encode('1\n2\n3\n'), { format: 'txt' });
    expect(s.traces.get(tid).fileName).toBe('t.txt');
    expect(code(() => s.vms.get(99))).toMatch(/^NOT_FOUND/);
    s.vms.save({ ...SMALL_VM, guestPages: 60, tolerance: 'inf' }, vm.id);
    s.close();
    // Autosave: everything is there after reopening.
    const r = ProjectStore.open(file);
    expect(r.vms.list()).toHaveLength(1);
    expect(r.vms.get(vm.id).vm.guestPages).toBe(60);
    expect(r.vms.get(vm.id).vm.tolerance).toBe(Number.POSITIVE_INFINITY);
    expect(r.experiments.list()[0].experiment.name).toBe('e');
    expect(new TextDecoder().decode(r.traces.get(tid).bytes)).toBe('1\n2\n3\n');
    r.vms.remove(vm.id);
    expect(r.vms.list()).toHaveLength(0);
    r.close();
    expect(sidecars(file)).toEqual([]);
  });

  it('refuses to create over an existing file', () => {
    const file = newProject(tempDir());
    expect(code(() => ProjectStore.create(file))).toMatch(/^BAD_INPUT/);
  });

  it('save-as copies the project and continues on the copy', () => {
    const dir = tempDir();
    const file = newProject(dir);
    const s = ProjectStore.open(file);
    const copy = s.saveAs(path.join(dir, 'copy.hclab'));
    expect(s.isOpen).toBe(false);
    expect(existsSync(lockPath(file))).toBe(false);
    expect(copy.path).toBe(path.join(dir, 'copy.hclab'));
    expect(copy.schemaVersion).toBe(LATEST_VERSION);
    expect(copy.vms.list().map((v) => v.vm.name)).toEqual(['vm1']);
    copy.vms.save({ ...SMALL_VM, name: 'vm2' });
    copy.close();
    const orig = ProjectStore.open(file, { readOnly: true });
    expect(orig.vms.list()).toHaveLength(1);
    orig.close();
  });
});

describe('project file: migrations', () => {
  it('a fresh file is at the latest version; migrating again changes nothing', () => {
    const file = newProject(tempDir());
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const before = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    expect(migrate(db)).toBe(LATEST_VERSION);
    // Every migration is idempotent even when re-applied by hand.
    for (const m of MIGRATIONS) m.up(db);
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(
      before,
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM vms').get()).toEqual({ n: 1 });
    db.close();
  });

  it('a version-1 file is migrated to the latest version when opened, its data kept', () => {
    const file = path.join(tempDir(), 'v1.hclab');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, 1)).toBe(1);
    db.prepare("INSERT INTO vms (name, spec, updated_at) VALUES ('old', ?, 'then')").run(
      JSON.stringify({ ...SMALL_VM, name: 'old' }),
    );
    db.close();
    const s = ProjectStore.open(file);
    expect(s.schemaVersion).toBe(LATEST_VERSION);
    expect(s.vms.list().map((v) => v.vm.name)).toEqual(['old']);
    const indexes = (
      s.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
        .all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes.sort()).toEqual(['analyses_by_kind', 'run_log_by_run', 'runs_by_experiment']);
    // Version 4: stored analyses, empty in an old file.
    expect(s.analyses.list()).toEqual([]);
    s.close();
    const again = ProjectStore.open(file);
    expect(again.schemaVersion).toBe(LATEST_VERSION);
    expect(again.vms.list()).toHaveLength(1);
    again.close();
  });

  it('a file written by a newer version is refused (NEWER_VERSION) and left byte-identical', () => {
    const file = newProject(tempDir());
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const hash = sha256(file);
    for (const readOnly of [false, true]) {
      const msg = code(() => ProjectStore.open(file, { readOnly }));
      expect(msg).toMatch(/^NEWER_VERSION: .*newer HCLab/);
      expect(sha256(file)).toBe(hash);
      expect(sidecars(file)).toEqual([]);
    }
  });
});

describe('project file: damaged and foreign files are refused and left untouched', () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    ['an empty file', (f) => writeFileSync(f, ''), /empty/],
    [
      'random bytes',
      (f) => {
        const b = Buffer.alloc(8192);
        for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
        writeFileSync(f, b);
      },
      /not a SQLite database/,
    ],
    [
      'a text file',
      (f) => writeFileSync(f, 'name: exp\nvms: []\n'.repeat(100)),
      /not a SQLite database \(a text file\)/,
    ],
    [
      'a SQLite file that is not an HCLab project',
      (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)');
        db.close();
      },
      /not an HCLab project/,
    ],
    [
      'a SQLite file truncated mid-page',
      (f) => {
        buildBigProject(f);
        truncateSync(f, statSync(f).size - 1000);
      },
      /not a multiple of its page size/,
    ],
    [
      'a SQLite file truncated at a page boundary',
      (f) => {
        buildBigProject(f);
        truncateSync(f, Math.floor(statSync(f).size / 2 / 4096) * 4096);
      },
      /truncated/,
    ],
    [
      'a SQLite file cut before the end of its header',
      (f) => {
        buildBigProject(f);
        truncateSync(f, 50);
      },
      /truncated SQLite file/,
    ],
  ];
  for (const [what, make, why] of cases) {
    it(`${what}: CORRUPT naming the file`, () => {
      const file = path.join(tempDir(), 'bad.hclab');
      make(file);
      const hash = sha256(file);
      for (const readOnly of [false, true]) {
        const msg = code(() => ProjectStore.open(file, { readOnly }));
        expect(msg.startsWith(`CORRUPT: ${file}: `)).toBe(true);
        expect(msg).toMatch(why);
        expect(sha256(file)).toBe(hash);
        expect(sidecars(file)).toEqual([]);
      }
    });
  }

  it('a missing file is NOT_FOUND', () => {
    expect(code(() => ProjectStore.open(path.join(tempDir(), 'nope.hclab')))).toMatch(/^NOT_FOUND/);
  });
});

function buildBigProject(file: string): void {
  const s = ProjectStore.create(file);
  for (let i = 0; i < 40; i++) s.vms.save({ ...SMALL_VM, name: `vm${i}` });
  s.traces.embed('big.txt', new TextEncoder().encode('123456\n'.repeat(20000)), {});
  s.close();
}

describe('project file: lock', () => {
  it('a second read-write open is LOCKED; read-only works and refuses writes', () => {
    const file = newProject(tempDir());
    const a = ProjectStore.open(file);
    const lock = JSON.parse(readFileSync(lockPath(file), 'utf8')) as {
      pid: number;
      hostname: string;
    };
    expect(lock).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    expect(code(() => ProjectStore.open(file))).toMatch(/^LOCKED: .*open it read-only/);
    const ro = ProjectStore.open(file, { readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(ro.vms.list()).toHaveLength(1);
    expect(code(() => ro.vms.save({ ...SMALL_VM, name: 'x' }))).toMatch(/^READ_ONLY/);
    expect(code(() => ro.experiments.save({ name: 'e', vmNames: ['vm1'], methods: [] }))).toMatch(
      /^READ_ONLY/,
    );
    expect(code(() => ro.vms.remove(1))).toMatch(/^READ_ONLY/);
    // The writer's changes are visible to the reader.
    a.vms.save({ ...SMALL_VM, name: 'vm2' });
    expect(ro.vms.list()).toHaveLength(2);
    ro.close();
    a.close();
    expect(existsSync(lockPath(file))).toBe(false);
    ProjectStore.open(file).close();
  });

  it('a stale lock (its pid is dead) is taken over', () => {
    const file = newProject(tempDir());
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(dead.stdout);
    writeFileSync(lockPath(file), JSON.stringify({ pid, hostname: os.hostname(), since: 'then' }));
    const s = ProjectStore.open(file);
    const lock = JSON.parse(readFileSync(lockPath(file), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    s.close();
    // A lock left half-written (unreadable) is stale too.
    writeFileSync(lockPath(file), '');
    ProjectStore.open(file).close();
  });
});
