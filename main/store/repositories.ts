/** VMs, experiments and embedded traces of a project. Every write commits at once (autosave). */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ApiError } from '../../shared/api/errors.js';
import {
  ExperimentConfigSchema,
  type StoredExperiment,
  type StoredVm,
} from '../../shared/api/entities.js';
import {
  TraceReadOptionsSchema,
  type TraceReadOptionsDto,
} from '../../shared/api/trace-options.js';
import { ValidationError, validate } from '../../shared/schema/format.js';
import { VmSchema, type VmSpec } from '../../shared/schema/vm.js';
import { fromJson, nowIso, toJson } from './json.js';

/** What repositories need from the store. */
export interface StoreHandle {
  readonly db: Database.Database;
  /** The project file (for messages). */
  readonly path: string;
  assertWritable(): void;
}

/** Validates `value`; a bad field becomes ApiError BAD_INPUT naming it. */
export function validated<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> {
  try {
    return validate(schema, value, source);
  } catch (err) {
    if (err instanceof ValidationError) throw new ApiError('BAD_INPUT', err.message);
    throw err;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function checkId(id: unknown, what: string): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0)
    throw new ApiError('BAD_INPUT', `${what} id: expected a positive integer, got ${String(id)}`);
  return id;
}

/** A stored document with its row id and revision. */
interface Row<T> {
  id: number;
  revision: number;
  doc: T;
}

/** Rows of one table holding a validated JSON document with a unique name and a revision. */
abstract class NamedDocuments<T extends { name: string }> {
  constructor(
    protected readonly store: StoreHandle,
    private readonly table: 'vms' | 'experiments',
    private readonly column: 'spec' | 'config',
    private readonly what: 'VM' | 'experiment',
  ) {}

  protected abstract parse(value: unknown, source: string): T;

  /** Checks a document against the rest of the project before it is stored. */
  protected check(_doc: T): void {}

  private get field(): string {
    return this.what === 'VM' ? 'vm' : 'experiment';
  }

  protected rows(): Row<T>[] {
    const rows = this.store.db
      .prepare(`SELECT id, revision, ${this.column} AS doc FROM ${this.table} ORDER BY id`)
      .all() as { id: number; revision: number; doc: string }[];
    return rows.map((r) => ({
      id: r.id,
      revision: r.revision,
      doc: this.parse(fromJson(r.doc), `${this.what} ${r.id}`),
    }));
  }

  protected row(id: number): Row<T> {
    checkId(id, this.what);
    const r = this.store.db
      .prepare(`SELECT id, revision, ${this.column} AS doc FROM ${this.table} WHERE id = ?`)
      .get(id) as { id: number; revision: number; doc: string } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no ${this.what} with id ${id}`);
    return {
      id: r.id,
      revision: r.revision,
      doc: this.parse(fromJson(r.doc), `${this.what} ${r.id}`),
    };
  }

  /**
   * Creates (no id) or updates a document. With `revision`, the update is refused with CONFLICT
   * when the stored revision is another one (someone saved in between); each update bumps it.
   */
  protected put(value: unknown, id: number | undefined, revision?: number): Row<T> {
    this.store.assertWritable();
    const doc = this.parse(value, this.field);
    this.check(doc);
    const db = this.store.db;
    try {
      if (id === undefined) {
        const info = db
          .prepare(
            `INSERT INTO ${this.table} (name, ${this.column}, updated_at, revision) VALUES (?, ?, ?, 1)`,
          )
          .run(doc.name, toJson(doc), nowIso());
        return { id: Number(info.lastInsertRowid), revision: 1, doc };
      }
      checkId(id, this.what);
      return db
        .transaction(() => {
          const current = this.row(id);
          if (revision !== undefined && current.revision !== revision)
            throw new ApiError(
              'CONFLICT',
              `${this.what} '${current.doc.name}' was changed elsewhere since you opened it (stored revision ${current.revision}, yours ${revision}): reload it and apply your change again`,
            );
          this.beforeUpdate(current.doc, doc);
          db.prepare(
            `UPDATE ${this.table} SET name = ?, ${this.column} = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
          ).run(doc.name, toJson(doc), nowIso(), id);
          return { id, revision: current.revision + 1, doc };
        })
        .immediate();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ApiError(
          'BAD_INPUT',
          `${this.field}: name: another ${this.what} is already named '${doc.name}'`,
        );
      throw err;
    }
  }

  /** Called inside the update's transaction with the stored and the new document. */
  protected beforeUpdate(_old: T, _next: T): void {}

  /** Rewrites a stored document (same transaction as the caller), bumping its revision. */
  protected rewrite(id: number, doc: T): void {
    this.store.db
      .prepare(
        `UPDATE ${this.table} SET name = ?, ${this.column} = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
      )
      .run(doc.name, toJson(doc), nowIso(), id);
  }

  remove(id: number): void {
    this.store.assertWritable();
    checkId(id, this.what);
    const info = this.store.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
    if (info.changes === 0) throw new ApiError('NOT_FOUND', `no ${this.what} with id ${id}`);
  }
}

export class VmRepository extends NamedDocuments<VmSpec> {
  /** Set by the store: experiments refer to VMs by name. */
  experiments: ExperimentRepository | null = null;

  constructor(store: StoreHandle) {
    super(store, 'vms', 'spec', 'VM');
  }

  protected parse(value: unknown, source: string): VmSpec {
    return validated(VmSchema, value, source);
  }

  list(): StoredVm[] {
    return this.rows().map((r) => ({ id: r.id, revision: r.revision, vm: r.doc }));
  }

  get(id: number): StoredVm {
    const r = this.row(id);
    return { id: r.id, revision: r.revision, vm: r.doc };
  }

  /**
   * Creates (no id) or replaces a VM; validated with VmSchema (BAD_INPUT names the field). A
   * rename is carried into the experiments that use the VM. With `revision`: CONFLICT when stale.
   */
  save(vm: unknown, id?: number, revision?: number): StoredVm {
    const r = this.put(vm, id, revision);
    return { id: r.id, revision: r.revision, vm: r.doc };
  }

  protected override beforeUpdate(old: VmSpec, next: VmSpec): void {
    if (old.name !== next.name) this.experiments?.renameVm(old.name, next.name);
  }

  byName(name: string): StoredVm | undefined {
    return this.list().find((v) => v.vm.name === name);
  }

  /**
   * Deletes a VM. When experiments use it: refused (BAD_INPUT naming them) unless
   * `removeFromExperiments`, which takes it out of them (an experiment left without VMs is
   * deleted; its runs are kept). Returns the experiments changed and deleted, by name.
   */
  removeVm(
    id: number,
    removeFromExperiments = false,
  ): { updatedExperiments: string[]; deletedExperiments: string[] } {
    this.store.assertWritable();
    const { vm } = this.get(id);
    const users = this.experiments?.usersOf(vm.name) ?? [];
    if (users.length > 0 && !removeFromExperiments)
      throw new ApiError(
        'BAD_INPUT',
        `VM '${vm.name}' is used by experiment${users.length === 1 ? '' : 's'} ${users
          .map((e) => `'${e.experiment.name}'`)
          .join(', ')}: remove it from them first, or delete it from them as you delete it`,
      );
    return this.store.db
      .transaction(() => {
        const changed = this.experiments?.dropVm(vm.name) ?? {
          updatedExperiments: [],
          deletedExperiments: [],
        };
        this.remove(id);
        return changed;
      })
      .immediate();
  }
}

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

export class ExperimentRepository extends NamedDocuments<ExperimentConfig> {
  constructor(
    store: StoreHandle,
    private readonly vms: VmRepository,
  ) {
    super(store, 'experiments', 'config', 'experiment');
  }

  protected parse(value: unknown, source: string): ExperimentConfig {
    return validated(ExperimentConfigSchema, value, source);
  }

  /** Every VM an experiment names must exist in the project (BAD_INPUT naming the missing). */
  protected override check(doc: ExperimentConfig): void {
    const names = new Set(this.vms.list().map((v) => v.vm.name));
    const missing = doc.vmNames.filter((n) => !names.has(n));
    if (missing.length > 0)
      throw new ApiError(
        'BAD_INPUT',
        `experiment: vmNames: no VM named ${missing.map((n) => `'${n}'`).join(', ')} in the project`,
      );
  }

  list(): StoredExperiment[] {
    return this.rows().map((r) => ({ id: r.id, revision: r.revision, experiment: r.doc }));
  }

  get(id: number): StoredExperiment {
    const r = this.row(id);
    return { id: r.id, revision: r.revision, experiment: r.doc };
  }

  /** Creates (no id) or updates an experiment. With `revision`: CONFLICT when stale. */
  save(experiment: unknown, id?: number, revision?: number): StoredExperiment {
    const r = this.put(experiment, id, revision);
    return { id: r.id, revision: r.revision, experiment: r.doc };
  }

  byName(name: string): StoredExperiment | undefined {
    return this.list().find((e) => e.experiment.name === name);
  }

  /** Experiments that name the VM. */
  usersOf(vmName: string): StoredExperiment[] {
    return this.list().filter((e) => e.experiment.vmNames.includes(vmName));
  }

  /** Carries a VM rename into the experiments (inside the caller's transaction). */
  renameVm(from: string, to: string): void {
    for (const e of this.usersOf(from))
      this.rewrite(e.id, {
        ...e.experiment,
        vmNames: e.experiment.vmNames.map((n) => (n === from ? to : n)),
      });
  }

  /** Takes a VM out of every experiment (inside the caller's transaction). */
  dropVm(vmName: string): { updatedExperiments: string[]; deletedExperiments: string[] } {
    const updatedExperiments: string[] = [];
    const deletedExperiments: string[] = [];
    for (const e of this.usersOf(vmName)) {
      const vmNames = e.experiment.vmNames.filter((n) => n !== vmName);
      if (vmNames.length === 0) {
        this.remove(e.id);
        deletedExperiments.push(e.experiment.name);
      } else {
        this.rewrite(e.id, { ...e.experiment, vmNames });
        updatedExperiments.push(e.experiment.name);
      }
    }
    return { updatedExperiments, deletedExperiments };
  }
}

export interface EmbeddedTrace {
  fileName: string;
  bytes: Uint8Array;
  options: TraceReadOptionsDto;
}

/** Small traces stored inside the project; VMs refer to them as `embedded:ID`. */
export class TraceRepository {
  constructor(private readonly store: StoreHandle) {}

  embed(fileName: string, bytes: Uint8Array, options: TraceReadOptionsDto): number {
    this.store.assertWritable();
    if (typeof fileName !== 'string' || fileName.length === 0)
      throw new ApiError('BAD_INPUT', 'fileName: expected a non-empty string');
    const opts = validated(TraceReadOptionsSchema, options ?? {}, 'options');
    const info = this.store.db
      .prepare('INSERT INTO traces (file_name, options, bytes, created_at) VALUES (?, ?, ?, ?)')
      .run(
        fileName,
        toJson(opts),
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        nowIso(),
      );
    return Number(info.lastInsertRowid);
  }

  get(id: number): EmbeddedTrace {
    checkId(id, 'trace');
    const r = this.store.db
      .prepare('SELECT file_name, options, bytes FROM traces WHERE id = ?')
      .get(id) as { file_name: string; options: string; bytes: Buffer } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no embedded trace with id ${id}`);
    return {
      fileName: r.file_name,
      bytes: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength),
      options: TraceReadOptionsSchema.parse(fromJson(r.options)),
    };
  }

  list(): { id: number; fileName: string; bytes: number }[] {
    return (
      this.store.db
        .prepare('SELECT id, file_name AS fileName, length(bytes) AS bytes FROM traces ORDER BY id')
        .all() as { id: number; fileName: string; bytes: number }[]
    ).map((r) => ({ ...r }));
  }
}

/** `embedded:12` → 12; anything else → null. */
export function embeddedTraceId(ref: string): number | null {
  const m = /^embedded:(\d+)$/.exec(ref);
  return m === null ? null : Number(m[1]);
}
