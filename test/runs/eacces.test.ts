/**
 * EACCES for real (issue 11, point 4): a project this user may not write — its folder, or the
 * file itself — and an experiment file it may not read. Each gives one line naming the file and
 * what to do, exit 1, and leaves the project byte for byte as it was with nothing beside it.
 * Root ignores file permissions, so as root the CLI runs as the unprivileged user 65534
 * (`setpriv`, else `runuser -u nobody`); the tests are skipped with a printed reason when neither
 * works (or that user cannot read the built CLI). As another user, plain permissions are used.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab, REPO } from '../cli/run-cli.js';

const CLI = path.join(REPO, 'dist/main/cli/hclab.js');
const NOBODY = 65534;
const EXPERIMENT = `name: e
vms:
  - name: web
    workload: { kind: zipf, pages: 2000, refs: 20000, seed: 3 }
    guestPages: 200
    hvPages: 100
methods: [exact]
`;

const root = process.getuid?.() === 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hclab-eacces-'));
chmodSync(scratch, 0o755); // the other user must reach the files
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The command prefix that runs node as the unprivileged user (root only), or why none works. */
function dropPrivileges(): { prefix: string[] } | { missing: string } {
  if (!root) return { prefix: [] };
  const candidates = [
    ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'],
    ['runuser', '-u', 'nobody', '--'],
  ];
  const tried: string[] = [];
  for (const prefix of candidates) {
    const r = spawnSync(prefix[0], [...prefix.slice(1), process.execPath, CLI, '--version'], {
      encoding: 'utf8',
      cwd: scratch,
    });
    if (r.status === 0 && r.stdout.trim() !== '') return { prefix };
    tried.push(
      `${prefix[0]}: ${(r.error?.message ?? r.stderr).trim().split('\n')[0] || `exit ${r.status}`}`,
    );
  }
  return { missing: `cannot run the CLI as an unprivileged user (${tried.join('; ')})` };
}
const drop = dropPrivileges();
if ('missing' in drop) console.info(`skipping the EACCES tests: ${drop.missing}`);

/** The CLI as a user without write permission on what the test made unwritable. */
function asOtherUser(args: string[]): { status: number | null; stderr: string } {
  const prefix = 'prefix' in drop ? drop.prefix : [];
  const [cmd, ...rest] = [...prefix, process.execPath, CLI, ...args];
  const r = spawnSync(cmd, rest, {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, HOME: scratch },
  });
  return { status: r.status, stderr: r.stderr };
}

/** One line on stderr (the last), no stack trace. */
function oneLine(stderr: string): string {
  expect(stderr).not.toMatch(/\n\s+at /);
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1];
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A project with one finished run, made by this (privileged) process. */
function project(dir: string): string {
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'e.yaml'), EXPERIMENT);
  const file = path.join(dir, 'p.hclab');
  expect(hclab(['project', 'new', file, '--from', path.join(dir, 'e.yaml')]).status).toBe(0);
  expect(hclab(['run', file]).status).toBe(0);
  return file;
}

const RUN_REFUSED = (file: string) =>
  `hclab: ${file}: permission denied: this user may not write the project file or its folder, so it opened read-only (EACCES); check the permissions of the file and its folder, or copy it to a folder of your own to run it`;

describe.skipIf('missing' in drop).sequential('EACCES', () => {
  it('a project in a folder this user may not write: run refuses in one line, nothing changes', () => {
    const dir = path.join(scratch, 'folder');
    const file = project(dir);
    // As root the folder is root's (0755): user 65534 may not write it. Otherwise: no write bit.
    if (!root) chmodSync(dir, 0o555);
    const before = { sha: sha(file), files: readdirSync(dir).sort() };
    try {
      const r = asOtherUser(['run', file, '--experiment', 'e']);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toBe(RUN_REFUSED(file));
      // Still readable by that user.
      expect(asOtherUser(['results', file]).status).toBe(0);
      expect({ sha: sha(file), files: readdirSync(dir).sort() }).toEqual(before);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('a project file this user may not write (its folder writable): the same, no -wal/-shm left', () => {
    const dir = path.join(scratch, 'file');
    const file = project(dir);
    // As root: the folder becomes user 65534's, the file stays root's 0644. Otherwise: 0444.
    if (root) chownSync(dir, NOBODY, NOBODY);
    else chmodSync(file, 0o444);
    const before = { sha: sha(file), files: readdirSync(dir).sort() };
    const r = asOtherUser(['run', file, '--experiment', 'e']);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toBe(RUN_REFUSED(file));
    expect(asOtherUser(['results', file]).status).toBe(0);
    expect({ sha: sha(file), files: readdirSync(dir).sort() }).toEqual(before);
  });

  it('project new in a folder this user may not write, or from a file it may not read', () => {
    const dir = path.join(scratch, 'new');
    mkdirSync(dir);
    chmodSync(dir, root ? 0o755 : 0o555);
    const readable = path.join(scratch, 'readable.yaml');
    writeFileSync(readable, EXPERIMENT);
    chmodSync(readable, 0o644);
    const file = path.join(dir, 'q.hclab');
    const r = asOtherUser(['project', 'new', file, '--from', readable]);
    expect(r.status).toBe(1);
    // The lock is the first file written.
    expect(oneLine(r.stderr)).toBe(
      `hclab: ${file}.lock: permission denied (EACCES); check the permissions of the file and its folder`,
    );
    expect(readdirSync(dir)).toEqual([]);
    chmodSync(dir, 0o755);

    const secret = path.join(scratch, 'secret.yaml');
    writeFileSync(secret, EXPERIMENT);
    chmodSync(secret, 0o600);
    // As root the file is root's 0600; otherwise no read bit at all.
    if (!root) chmodSync(secret, 0o200);
    const open = path.join(scratch, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const other = path.join(open, 'r.hclab');
    const s = asOtherUser(['project', 'new', other, '--from', secret]);
    expect(s.status).toBe(1);
    expect(oneLine(s.stderr)).toBe(
      `hclab: ${secret}: permission denied (EACCES); check the permissions of the file and its folder`,
    );
    expect(readdirSync(open)).toEqual([]);
  });

  it('a trace this user may not read: one line naming it, exit 1 (an I/O error, not bad input)', () => {
    const trace = path.join(scratch, 'private.trace');
    writeFileSync(trace, '1\n2\n3\n1\n');
    chmodSync(trace, root ? 0o600 : 0o200);
    for (const args of [
      ['trace', 'info', trace],
      ['mrc', trace, '--method', 'exact'],
    ]) {
      const r = asOtherUser(args);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toBe(
        `hclab: ${trace}: permission denied (EACCES); check the permissions of the file and its folder`,
      );
    }
  });
});
