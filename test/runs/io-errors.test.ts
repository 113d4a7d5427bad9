/**
 * I/O errors are clean (issue 11, point 4): a full disk, a read-only medium, a folder in the way,
 * a vanished folder and an unwritable stdout each give one line naming the file and what to do,
 * exit 1, no stack trace, the lock released and the project consistent. The file-system cases
 * mount a small tmpfs (root only) and are skipped with a printed reason where that is impossible.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiService } from '../../main/service/api/api-service.js';
import { RunManager } from '../../main/service/runs/run-manager.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { hclab, REPO } from '../cli/run-cli.js';

const CLI = path.join(REPO, 'dist/main/cli/hclab.js');
const EXPERIMENT = `name: e
vms:
  - name: web
    workload: { kind: zipf, pages: 2000, refs: 20000, seed: 3 }
    guestPages: 200
    hvPages: 100
methods: [exact]
`;

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[lines.length - 1];
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hclab-io-'));
const mnt = path.join(scratch, 'mnt');
mkdirSync(mnt);
function tryMount(): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `cannot mount a tmpfs (${(err as Error).message.split('\n')[0]})`;
  }
}
const mountProblem = tryMount();
if (mountProblem !== null) console.info(`skipping the file-system I/O tests: ${mountProblem}`);
afterAll(() => {
  if (mountProblem === null) spawnSync('umount', [mnt]);
  rmSync(scratch, { recursive: true, force: true });
});

function fill(): void {
  spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'fill')}`, 'bs=4k', 'count=1000']);
}
function unfill(): void {
  rmSync(path.join(mnt, 'fill'), { force: true });
}
function remount(mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, mnt]);
}

describe.skipIf(mountProblem !== null).sequential('on a small tmpfs', () => {
  const exp = path.join(scratch, 'e.yaml');
  writeFileSync(exp, EXPERIMENT);
  const file = path.join(mnt, 'p.hclab');

  it('project new on a full disk: ENOSPC naming the file, nothing left behind; the retry works', () => {
    fill();
    const r = hclab(['project', 'new', file, '--from', exp]);
    expect(r.status).toBe(1);
    // The lock is the first file written.
    expect(oneLine(r.stderr)).toBe(
      `hclab: ${file}.lock: no space left on the device (ENOSPC); free some space and try again`,
    );
    expect(readdirSync(mnt)).toEqual(['fill']);
    unfill();
    expect(hclab(['project', 'new', file, '--from', exp]).status).toBe(0);
  });

  it('run on a full disk: exit 1, one line, the lock released, the project still readable', () => {
    fill();
    const r = hclab(['run', file]);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toMatch(
      /: no space left on the device \(ENOSPC\); free some space and try again$/,
    );
    expect(oneLine(r.stderr)).toContain(file);
    expect(existsSync(`${file}.lock`)).toBe(false);
    unfill();
    const results = hclab(['results', file]);
    expect(results.status).toBe(0);
    expect(results.stdout).toBe('no runs\n');
    expect(hclab(['run', file]).status).toBe(0);
  });

  it('a read-only medium opens read-only (not "damaged"); run refuses with exit 1', async () => {
    remount('ro');
    try {
      const results = hclab(['results', file]);
      expect(results.status).toBe(0);
      expect(results.stdout).toContain('run 1 — e: done');
      const r = hclab(['run', file]);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        `hclab: ${file}: the project is on a read-only medium or in a read-only folder, so it opened read-only (EROFS); copy it to a writable folder to run it`,
      );
      const service = createApiService({});
      expect(await service.handle('project.open', { path: file })).toMatchObject({
        readOnly: true,
      });
      await service.close();
    } finally {
      remount('rw');
    }
  });

  it('a folder where the lock goes: one line naming the lock file', () => {
    mkdirSync(`${file}.lock`);
    try {
      const r = hclab(['run', file]);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        `hclab: ${file}.lock: a folder is in the way (EISDIR); remove or rename that folder`,
      );
    } finally {
      rmSync(`${file}.lock`, { recursive: true });
    }
  });
});

describe('I/O errors anywhere', () => {
  it('read-only opens (results) leave no -wal or -shm beside the project', () => {
    const dir = mkdtempSync(path.join(scratch, 'ro-'));
    const file = path.join(dir, 'p.hclab');
    writeFileSync(path.join(dir, 'e.yaml'), EXPERIMENT);
    expect(hclab(['project', 'new', file, '--from', path.join(dir, 'e.yaml')]).status).toBe(0);
    expect(hclab(['run', file]).status).toBe(0);
    expect(hclab(['results', file]).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['e.yaml', 'p.hclab']);
  });

  it('a folder removed during the run: exit 1 saying the results are lost', async () => {
    const dir = mkdtempSync(path.join(scratch, 'van-'));
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(
      path.join(sub, 's.yaml'),
      EXPERIMENT.replace('refs: 20000', 'refs: 3000000').replace('pages: 2000', 'pages: 200000'),
    );
    const file = path.join(sub, 'p.hclab');
    expect(hclab(['project', 'new', file, '--from', path.join(sub, 's.yaml')]).status).toBe(0);
    const child = spawn(process.execPath, [CLI, 'run', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    let stderr = '';
    const lines = createInterface({ input: child.stderr });
    await new Promise<void>((r) =>
      lines.on('line', (l) => {
        stderr += `${l}\n`;
        if (l.includes('running')) r();
      }),
    );
    rmSync(sub, { recursive: true, force: true });
    expect(await exited).toBe(1);
    expect(oneLine(stderr)).toBe(
      `hclab: ${file}: the project file vanished while it was open (its folder was removed, renamed or replaced) (ENOENT); the results written since are lost: restore the folder and run again`,
    );
  });

  it('a full stdout is one error line (exit 1); a closed pipe ends quietly', () => {
    const dir = mkdtempSync(path.join(scratch, 'out-'));
    const file = path.join(dir, 'p.hclab');
    writeFileSync(path.join(dir, 'e.yaml'), EXPERIMENT);
    hclab(['project', 'new', file, '--from', path.join(dir, 'e.yaml')]);
    hclab(['run', file]);
    const full = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" results "${file}" --json > /dev/full`],
      {
        encoding: 'utf8',
      },
    );
    expect(full.status).toBe(1);
    expect(oneLine(full.stderr)).toBe(
      'hclab: standard output: no space left on the device (ENOSPC); free some space and try again',
    );
    const pipe = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${CLI}" results "${file}" --csv | head -c 1 >/dev/null; echo "\${PIPESTATUS:-done}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(pipe.stderr).toBe('');
  });

  it('results that cannot be stored fail the run and are reported, never thrown from a handler', async () => {
    const dir = mkdtempSync(path.join(scratch, 'full-'));
    const store = ProjectStore.create(path.join(dir, 'p.hclab'));
    store.vms.save({
      name: 'web',
      workload: { kind: 'uniform', pages: 50, refs: 2000 },
      guestPages: 10,
    });
    const exp = store.experiments.save({ name: 'e', vmNames: ['web'], methods: ['exact'] });
    // The disk fills up just as the step's result is committed.
    store.runs.commitStep = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const manager = new RunManager(store, { workers: 1 });
    const run = manager.start(exp.id);
    await manager.whenIdle();
    expect(manager.storageError?.message).toBe('database or disk is full');
    expect(store.runs.summary(run.id)).toMatchObject({ state: 'failed' });
    await manager.close();
    store.close();
  });
});
