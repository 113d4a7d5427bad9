/** What every handler of the API service gets: the open project, its run manager, events. */
import type { z } from 'zod';
import type {
  ApiEvent,
  Contract,
  EventPayload,
  MethodName,
  Result,
} from '../../../shared/api/contract.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { PdfPrinter } from '../../report/write-report.js';
import type { ProjectStore } from '../../store/project-store.js';
import type { CrashQueue } from '../runs/crash-queue.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { RunManager } from '../runs/run-manager.js';
import type { RecentProjects } from './recent.js';

export type ChangedWhat = EventPayload<'project.changed'>['what'];

/**
 * The host's PDF printer for one report (Electron: webContents.printToPDF; `hclab serve`:
 * headless Chromium), or null when it has none; the report closes it when done.
 */
export type PdfPrinterSource = () => Promise<PdfPrinter | null>;

export interface HandlerContext {
  /** Worker threads per run manager (undefined: the run manager's default). */
  readonly workers: number | undefined;
  readonly recent: RecentProjects;
  /** A project path from the caller, absolute (BAD_INPUT when relative paths are refused). */
  projectPath(given: string): string;
  /** Heavy calls (allocation, crash analysis, reports) run here, off the event loop. */
  readonly jobs: JobRunner;
  /** A PDF printer for a report, or null (the host gave none, or it cannot start). */
  pdfPrinter: PdfPrinterSource;
  /** The open project, or null. */
  current(): ProjectStore | null;
  /** The open project; NO_PROJECT when none is open. */
  store(): ProjectStore;
  /** The run manager of the open project; NO_PROJECT when none is open. */
  runs(): RunManager;
  /** The crash-analysis queue of the open project; NO_PROJECT when none is open. */
  crashes(): CrashQueue;
  /** Closes the open project (if any), then makes `open()` the open project. */
  replaceProject(open: () => ProjectStore): Promise<ProjectStore>;
  /** Stops the runs, then makes `derive(open project)` the open project (save as: `derive`
   * copies the project and closes the old one). NO_PROJECT when none is open. */
  deriveProject(derive: (current: ProjectStore) => ProjectStore): Promise<ProjectStore>;
  /** Closes the open project (if any). */
  closeProject(): Promise<void>;
  /** Sends an event to every subscriber. */
  emit(e: ApiEvent): void;
  /** Sends `project.changed`. */
  changed(what: ChangedWhat): void;
}

/** A handler receives the parsed params (defaults applied) and returns the method's result. */
export type Handler<M extends MethodName> = (
  params: z.output<Contract[M]['params']>,
  ctx: HandlerContext,
) => Result<M> | Promise<Result<M>>;

export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };

export function noProject(): ApiError {
  return new ApiError('NO_PROJECT', 'no project is open (create or open one first)');
}
