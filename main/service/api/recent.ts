/** The recently opened projects, newest first, kept in a small JSON file (or in memory). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RecentProjectSchema, type RecentProject } from '../../../shared/api/entities.js';

const MAX_RECENT = 10;
const RecentFileSchema = z.array(RecentProjectSchema);

export class RecentProjects {
  private memory: RecentProject[] = [];

  /** @param file the JSON file; undefined keeps the list in memory only. */
  constructor(private readonly file?: string) {}

  list(): RecentProject[] {
    if (this.file === undefined) return [...this.memory];
    try {
      const parsed = RecentFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return []; // missing or unreadable: no recent projects
    }
  }

  /** Moves `path` to the front. Failing to write the file is not an error for the caller. */
  add(path: string): void {
    const next = [
      { path, openedAt: new Date().toISOString() },
      ...this.list().filter((r) => r.path !== path),
    ].slice(0, MAX_RECENT);
    if (this.file === undefined) {
      this.memory = next;
      return;
    }
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
      renameSync(tmp, this.file);
    } catch {
      // A read-only home directory must not stop a project from opening.
    }
  }
}
