/**
 * `hclab report --out` where it cannot write: a full file system, a read-only one, a missing
 * folder and an existing file without --force. Each is exactly one stderr line naming the path,
 * exit 1, and nothing new left in the folder. The file-system cases need root (mount); they are
 * skipped with the reason printed where mounting is not permitted.
 */
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hclab } from '../cli/run-cli.js';
import { makeProject, type Fixture } from './fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeProject(mkdtempSync(path.join(os.tmpdir(), 'hclab-report-io-')));
});
afterAll(() => {
  if (fx !== undefined) rmSync(fx.dir, { recursive: true, force: true });
});

/** Mounts a tmpfs on `dir` with `options`; the reason when not permitted. */
function mountTmpfs(dir: string, options: string): string | null {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.error !== undefined) return `mount: ${r.error.message}`;
  return r.status === 0
    ? null
    : `mount -t tmpfs -o ${options}: ${r.stderr.trim() || `exit ${r.status}`}`;
}

function umount(dir: string): void {
  spawnSync('umount', [dir]);
}

function expectOneLine(stderr: string, naming: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hclab: /);
  expect(lines[0]).toContain(naming);
}

describe('hclab report --out where it cannot write', () => {
  it('a full file system: one line, exit 1, no file left', (ctx) => {
    const dir = path.join(fx.dir, 'full');
    mkdirSync(dir);
    const why = mountTmpfs(dir, 'size=16k');
    if (why !== null) {
      console.log(`skipped (full tmpfs): ${why}`);
      ctx.skip();
      return;
    }
    try {
      const r = hclab(['report', fx.project, '--out', dir]);
      expect(r.status).toBe(1);
      expectOneLine(r.stderr, dir);
      expect(r.stderr).toContain('no space left on the device (ENOSPC)');
      expect(r.stdout).toBe('');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      umount(dir);
    }
  });

  it('a read-only file system: one line, exit 1, no file left', (ctx) => {
    const dir = path.join(fx.dir, 'ro');
    mkdirSync(dir);
    const why = mountTmpfs(dir, 'ro');
    if (why !== null) {
      console.log(`skipped (read-only tmpfs): ${why}`);
      ctx.skip();
      return;
    }
    try {
      const r = hclab(['report', fx.project, '--out', dir]);
      expect(r.status).toBe(1);
      expectOneLine(r.stderr, dir);
      expect(r.stderr).toContain('(EROFS)');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      umount(dir);
    }
  });

  it('a missing folder: one line naming it, exit 1, nothing made', () => {
    const dir = path.join(fx.dir, 'missing', 'deeper');
    const r = hclab(['report', fx.project, '--out', dir]);
    expect(r.status).toBe(1);
    expectOneLine(r.stderr, dir);
    expect(r.stderr).toContain('(ENOENT)');
    expect(readdirSync(fx.dir)).not.toContain('missing');
  });

  it('a file as the folder: one line naming it, exit 1', () => {
    const file = path.join(fx.dir, 'a-file');
    writeFileSync(file, 'x');
    const r = hclab(['report', fx.project, '--out', file, '--format', 'html']);
    expect(r.status).toBe(1);
    expectOneLine(r.stderr, file);
    expect(r.stderr).toContain('(ENOTDIR)');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('an existing file without --force: one line naming it, nothing written; --force replaces it', () => {
    const dir = path.join(fx.dir, 'exists');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'report.json'), 'keep');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = hclab(['report', fx.project, '--out', dir, '--format', 'html,json,csv,svg']);
    expect(r.status).toBe(1);
    expectOneLine(r.stderr, path.join(dir, 'report.json'));
    expect(r.stderr).toContain('--force');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'report.json']);
    expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe('keep');

    const forced = hclab(['report', fx.project, '--out', dir, '--format', 'json', '--force']);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'))).toHaveProperty('meta');
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'report.json']);
  });

  it('damaged rows: the rest is reported, one note per row left out; the file is not changed', () => {
    const file = path.join(fx.dir, 'damaged.hclab');
    copyFileSync(fx.project, file);
    const db = new Database(file);
    db.prepare(
      'UPDATE run_results SET result = \'{"broken": 1\' WHERE run_id = 2 AND step = 0',
    ).run();
    db.prepare("UPDATE analyses SET report = '{}' WHERE id = 1").run();
    db.close();
    const before = readFileSync(file);
    const dir = path.join(fx.dir, 'damaged-out');
    mkdirSync(dir);
    const r = hclab(['report', file, '--out', dir, '--format', 'html,json']);
    expect(r.status).toBe(0);
    const notes = r.stderr.trim().split('\n');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^hclab: left out: .*run 2, VM gen: stored result is damaged/);
    expect(notes[1]).toMatch(/^hclab: left out: analysis 1 \(alloc, .*\): analysis 1 is damaged/);
    const data = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      runs: unknown[];
      analyses: { id: number }[];
      notes: string[];
    };
    expect(data.runs).toEqual([]);
    expect(data.analyses.map((a) => a.id)).toEqual([2]);
    expect(data.notes).toHaveLength(2);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('left out: ');
    expect(readFileSync(file).equals(before)).toBe(true);
    // Asked for by id, a damaged run is an error.
    const byId = hclab(['report', file, '--out', dir, '--run', '2', '--format', 'json', '--force']);
    expect(byId.status).toBe(2);
    expect(byId.stderr).toContain('stored result is damaged');
  });
});
