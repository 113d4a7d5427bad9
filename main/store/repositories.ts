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

/** Rows of one table holding a validated JSON document with a unique name. */
abstract class NamedDocuments<T extends { name: string }> {
  constructor(
    protected readonly store: StoreHandle,
    private readonly table: 'vms' | 'experiments',
    private readonly column: 'spec' | 'config',
    private readonly what: 'VM' | 'experiment',
  ) {}

  protected abstract parse(value: unknown, source: string): T;

  protected rows(): { id: number; doc: T }[] {
    const rows = this.store.db
      .prepare(`SELECT id, ${this.column} AS doc FROM ${this.table} ORDER BY id`)
      .all() as { id: number; doc: string }[];
    return rows.map((r) => ({
      id: r.id,
      doc: this.parse(fromJson(r.doc), `${this.what} ${r.id}`),
    }));
  }

  protected row(id: number): { id: number; doc: T } {
    checkId(id, this.what);
    const r = this.store.db
      .prepare(`SELECT id, ${this.column} AS doc FROM ${this.table} WHERE id = ?`)
      .get(id) as { id: number; doc: string } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no ${this.what} with id ${id}`);
    return { id: r.id, doc: this.parse(fromJson(r.doc), `${this.what} ${r.id}`) };
  }

  protected put(value: unknown, id: number | undefined): { id: number; doc: T } {
    this.store.assertWritable();
    const doc = this.parse(value, this.what === 'VM' ? 'vm' : 'experiment');
    const db = this.store.db;
    try {
      if (id === undefined) {
        const info = db
          .prepare(`INSERT INTO ${this.table} (name, ${this.column}, updated_at) VALUES (?, ?, ?)`)
          .run(doc.name, toJson(doc), nowIso());
        return { id: Number(info.lastInsertRowid), doc };
      }
      checkId(id, this.what);
      const info = db
        .prepare(
          `UPDATE ${this.table} SET name = ?, ${this.column} = ?, updated_at = ? WHERE id = ?`,
        )
        .run(doc.name, toJson(doc), nowIso(), id);
      if (info.changes === 0) throw new ApiError('NOT_FOUND', `no ${this.what} with id ${id}`);
      return { id, doc };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ApiError(
          'BAD_INPUT',
          `${this.what === 'VM' ? 'vm' : 'experiment'}: name: another ${this.what} is already named '${doc.name}'`,
        );
      throw err;
    }
  }

  remove(id: number): void {
    this.store.assertWritable();
    checkId(id, this.what);
    const info = this.store.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
    if (info.changes === 0) throw new ApiError('NOT_FOUND', `no ${this.what} with id ${id}`);
  }
}

export class VmRepository extends NamedDocuments<VmSpec> {
  constructor(store: StoreHandle) {
    super(store, 'vms', 'spec', 'VM');
  }

  protected parse(value: unknown, source: string): VmSpec {
    return validated(VmSchema, value, source);
  }

  list(): StoredVm[] {
    return this.rows().map((r) => ({ id: r.id, vm: r.doc }));
  }

  get(id: number): StoredVm {
    const r = this.row(id);
    return { id: r.id, vm: r.doc };
  }

  /** Creates (no id) or replaces a VM; validated with VmSchema (BAD_INPUT names the field). */
  save(vm: unknown, id?: number): StoredVm {
    const r = this.put(vm, id);
    return { id: r.id, vm: r.doc };
  }

  byName(name: string): StoredVm | undefined {
    return this.list().find((v) => v.vm.name === name);
  }
}

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

export class ExperimentRepository extends NamedDocuments<ExperimentConfig> {
  constructor(store: StoreHandle) {
    super(store, 'experiments', 'config', 'experiment');
  }

  protected parse(value: unknown, source: string): ExperimentConfig {
    return validated(ExperimentConfigSchema, value, source);
  }

  list(): StoredExperiment[] {
    return this.rows().map((r) => ({ id: r.id, experiment: r.doc }));
  }

  get(id: number): StoredExperiment {
    const r = this.row(id);
    return { id: r.id, experiment: r.doc };
  }

  save(experiment: unknown, id?: number): StoredExperiment {
    const r = this.put(experiment, id);
    return { id: r.id, experiment: r.doc };
  }

  byName(name: string): StoredExperiment | undefined {
    return this.list().find((e) => e.experiment.name === name);
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
