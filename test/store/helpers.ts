/** Temp folders and file fingerprints for project-file tests. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'hclab-store-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function sidecars(file: string): string[] {
  return ['-wal', '-shm', '-journal', '.lock'].map((s) => file + s).filter((f) => existsSync(f));
}

export const SMALL_VM = {
  name: 'vm1',
  workload: { kind: 'zipf', pages: 500, refs: 5000, seed: 1 },
  guestPages: 50,
  hvPages: 25,
  ghostPages: 50,
};
