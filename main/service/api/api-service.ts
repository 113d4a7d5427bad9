/**
 * The API service: implements every method of the contract on top of ProjectStore and RunManager.
 * It validates params where they enter (BAD_INPUT naming the field), validates every result
 * before it leaves (a mismatch is INTERNAL) and turns every thrown error into an ApiError.
 * Transports (in-process, web, Electron IPC) only carry `{ method, params }` to {@link handle}.
 */
import {
  CONTRACT,
  METHOD_NAMES,
  type ApiEvent,
  type MethodName,
} from '../../../shared/api/contract.js';
import { ApiError } from '../../../shared/api/errors.js';
import { formatProblem, validate, zodProblems } from '../../../shared/schema/format.js';
import { absoluteProjectPath } from '../../store/project-path.js';
import { basename, dirname } from 'node:path';
import { TraceInputError } from '../../engine/trace/errors.js';
import { asIoError, IoError } from '../../store/io-errors.js';
import { PathGuard } from './path-guard.js';
import type { ProjectStore } from '../../store/project-store.js';
import { CrashQueue } from '../runs/crash-queue.js';
import { JobRunner } from '../jobs/job-runner.js';
import { RunManager } from '../runs/run-manager.js';
import { noProject, type Handler, type HandlerContext, type Handlers } from './context.js';
import { analysisHandlers } from './analyses.js';
import { crashHandlers } from './crash.js';
import { allocHandlers } from './alloc.js';
import { experimentHandlers } from './experiments.js';
import { jobHandlers } from './jobs.js';
import { presetHandlers } from './presets.js';
import { projectHandlers } from './projects.js';
import { RecentProjects } from './recent.js';
import { runHandlers } from './runs.js';
import { sweepHandlers } from './sweeps.js';
import { traceHandlers } from './traces.js';
import { vmHandlers } from './vms.js';

export interface ApiServiceOptions {
  /** JSON file of recently opened projects; absent: kept in memory. */
  recentFile?: string;
  /** Worker threads per run manager (default: the run manager's). */
  workers?: number;
  /** Told about every INTERNAL error, with its stack (a bug, not the caller's input). */
  onInternalError?: (method: string, err: unknown) => void;
  /**
   * Why relative project paths are refused (web mode: the caller cannot see this process's
   * working directory). Absent: they are resolved against the working directory.
   */
  refuseRelativePaths?: string;
  /**
   * Web mode: every path a call gives must lie inside this folder (symlinks resolved), else
   * FORBIDDEN. Absent: no confinement (desktop app, CLI, tests).
   */
  root?: string;
  /** Paths the user gave on the command line (`hclab serve PROJECT`): allowed outside `root`. */
  trustedPaths?: string[];
  /** Web mode: errors about a file never quote its contents (a trace line, a header). */
  redactFileContents?: boolean;
}

/** Why a window (web page or desktop) cannot use relative project paths. */
export function windowRelativePathReason(cwd = process.cwd()): string {
  return `it would be resolved against the working directory of the HCLab process (${cwd}), which this window does not show`;
}

export interface ApiService {
  /** Validates params, runs the method, validates the result; throws only {@link ApiError}. */
  handle(method: string, params: unknown): Promise<unknown>;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /** Stops the runs and closes the open project. Later calls fail. */
  close(): Promise<void>;
}

const HANDLERS: Handlers<MethodName> = {
  ...projectHandlers,
  ...vmHandlers,
  ...experimentHandlers,
  ...traceHandlers,
  ...presetHandlers,
  ...runHandlers,
  ...allocHandlers,
  ...jobHandlers,
  ...crashHandlers,
  ...analysisHandlers,
  ...sweepHandlers,
};

/** Error names that mean "the caller's input is bad", whichever module raised them. */
const INPUT_ERRORS = new Set([
  'ValidationError',
  'TraceInputError',
  'WorkloadSpecError',
  'LimitError',
]);

/** Any thrown value as an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error) {
    if (INPUT_ERRORS.has(err.name)) return new ApiError('BAD_INPUT', err.message);
    if (err.name === 'CancelledError') return new ApiError('CANCELLED', err.message);
    const code = (err as NodeJS.ErrnoException).code;
    const path = (err as NodeJS.ErrnoException).path;
    if (code === 'ENOENT' && typeof path === 'string')
      return new ApiError('NOT_FOUND', `${path}: no such file`);
    const io = asIoError(err, 'the project file');
    if (io instanceof IoError) return new ApiError('IO_ERROR', io.message);
    return new ApiError('INTERNAL', err.message);
  }
  return new ApiError('INTERNAL', String(err));
}

/** A trace error's message without what was found there (which quotes the file). */
function withoutContents(err: TraceInputError): string {
  const where = err.location === 'file' ? '' : ` ${err.location}`;
  const name = err.location === 'file' ? err.file : basename(err.file);
  return `${name}${where}: expected ${err.expected} (the contents are not shown in web mode)`;
}

/** Web mode: the paths of a call must lie inside the served root. */
function confinePaths(
  guard: PathGuard,
  method: MethodName,
  input: unknown,
  store: ProjectStore | null,
): void {
  const cwd = process.cwd();
  const projectDir = store === null ? cwd : dirname(store.path);
  const p = input as { path?: unknown; vm?: { workload?: { trace?: unknown } } };
  switch (method) {
    case 'project.create':
    case 'project.open':
    case 'project.saveAs':
      guard.check('path', p.path as string, cwd);
      return;
    case 'trace.inspect':
      if (typeof p.path === 'string' && !p.path.startsWith('embedded:'))
        guard.check('path', p.path, projectDir);
      return;
    case 'vm.save': {
      const trace = p.vm?.workload?.trace;
      if (typeof trace === 'string' && !trace.startsWith('embedded:'))
        guard.check('vm.workload.trace', trace, projectDir);
      return;
    }
    default:
      return;
  }
}

function isMethod(method: string): method is MethodName {
  return Object.prototype.hasOwnProperty.call(CONTRACT, method);
}

export function createApiService(options: ApiServiceOptions = {}): ApiService {
  const listeners = new Set<(e: ApiEvent) => void>();
  let store: ProjectStore | null = null;
  let runs: RunManager | null = null;
  let crashes: CrashQueue | null = null;
  let closed = false;
  const jobs = new JobRunner();
  const guard =
    options.root === undefined ? null : new PathGuard(options.root, options.trustedPaths);
  /** Project switches (open, create, save as, close) run one at a time. */
  let lifecycle: Promise<unknown> = Promise.resolve();

  function emit(e: ApiEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(e);
      } catch {
        // One faulty subscriber must not stop the others (or the run that emitted).
      }
    }
  }

  async function stopRuns(): Promise<void> {
    const r = runs;
    const c = crashes;
    runs = null;
    crashes = null;
    if (r !== null) await r.close();
    if (c !== null) await c.close();
  }

  async function closeCurrent(): Promise<void> {
    const s = store;
    try {
      await stopRuns();
    } finally {
      store = null;
      if (s !== null) s.close();
    }
  }

  function attach(next: ProjectStore): ProjectStore {
    store = next;
    runs = new RunManager(next, { workers: options.workers, onEvent: emit });
    crashes = new CrashQueue(next, { onEvent: emit });
    return next;
  }

  function serialized<T>(job: () => Promise<T>): Promise<T> {
    const next = lifecycle.then(job, job);
    lifecycle = next.catch(() => undefined);
    return next;
  }

  const ctx: HandlerContext = {
    workers: options.workers,
    recent: new RecentProjects(options.recentFile),
    projectPath: (given) =>
      absoluteProjectPath(given, { refuseRelative: options.refuseRelativePaths }),
    jobs,
    current: () => store,
    store() {
      if (store === null) throw noProject();
      return store;
    },
    runs() {
      if (runs === null) throw noProject();
      return runs;
    },
    crashes() {
      if (crashes === null) throw noProject();
      return crashes;
    },
    // Opening closes the current project first, so re-opening the same file does not lock
    // against ourselves.
    replaceProject: (open) =>
      serialized(async () => {
        await closeCurrent();
        return attach(open());
      }),
    deriveProject: (derive) =>
      serialized(async () => {
        if (store === null) throw noProject();
        const current = store;
        await stopRuns();
        let next: ProjectStore;
        try {
          next = derive(current);
        } catch (err) {
          attach(current); // save as failed: carry on with the project as it was
          throw err;
        }
        return attach(next);
      }),
    closeProject: () => serialized(closeCurrent),
    emit,
    changed: (what) => emit({ event: 'project.changed', payload: { what } }),
  };

  async function handle(method: string, params: unknown): Promise<unknown> {
    try {
      if (closed) throw new ApiError('INTERNAL', 'the service is closed');
      if (typeof method !== 'string' || !isMethod(method))
        throw new ApiError(
          'BAD_INPUT',
          `unknown method ${JSON.stringify(method)} (expected one of ${METHOD_NAMES.join(', ')})`,
        );
      const spec = CONTRACT[method];
      const input = validate(spec.params, params ?? {}, method);
      if (guard !== null) confinePaths(guard, method, input, store);
      const handler = HANDLERS[method] as Handler<typeof method>;
      const result = await (handler as (p: unknown, c: HandlerContext) => unknown)(input, ctx);
      const checked = spec.result.safeParse(result, { reportInput: true });
      if (!checked.success) {
        const problems = zodProblems(checked.error.issues).map((p) =>
          formatProblem(`${method} result`, p),
        );
        throw new ApiError('INTERNAL', problems.join('\n'));
      }
      return checked.data;
    } catch (err) {
      const apiError =
        // An uploaded trace (trace.embed) is the caller's own content: quoting it is harmless.
        options.redactFileContents === true &&
        err instanceof TraceInputError &&
        method !== 'trace.embed'
          ? new ApiError('BAD_INPUT', withoutContents(err))
          : toApiError(err);
      if (apiError.code === 'INTERNAL') options.onInternalError?.(method, err);
      throw apiError;
    }
  }

  return {
    handle,
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      await serialized(closeCurrent);
      listeners.clear();
    },
  };
}
