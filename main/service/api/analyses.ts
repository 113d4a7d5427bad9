/**
 * analysis.*: the allocation and crash analyses kept in the open project, and the one place
 * alloc.compute and crash.run store what they computed (a read-only project stores nothing).
 */
import type { AllocReport } from '../../../shared/api/alloc.js';
import type { AnalysisKind } from '../../../shared/api/analyses.js';
import type { CrashReport } from '../../../shared/api/crash.js';
import type { ProjectStore } from '../../store/project-store.js';
import { hclabVersion } from '../provenance.js';
import type { HandlerContext, Handlers } from './context.js';

interface Keep<R> {
  kind: AnalysisKind;
  title: string;
  runId: number | null;
  vmName: string | null;
  params: unknown;
  vm?: unknown;
  report: R;
}

/** Stores the analysis (writable projects) and returns the report with its `analysisId`. */
export function keepAnalysis<R extends AllocReport | CrashReport>(
  store: ProjectStore,
  ctx: Pick<HandlerContext, 'changed'> | null,
  a: Keep<R>,
): R {
  if (store.readOnly) return a.report;
  const saved = store.analyses.create({ ...a, hclabVersion: hclabVersion() });
  ctx?.changed('analyses');
  return { ...a.report, analysisId: saved.id };
}

export const analysisHandlers: Handlers<
  'analysis.list' | 'analysis.get' | 'analysis.remove' | 'analysis.cancel' | 'analysis.resume'
> = {
  'analysis.list': ({ kind }, ctx) => ctx.store().analyses.list(kind),
  'analysis.get': ({ id }, ctx) => ctx.store().analyses.get(id),
  'analysis.cancel': ({ id }, ctx) => {
    ctx.crashes().cancel(id);
    return { ok: true };
  },
  'analysis.resume': ({ id }, ctx) => ctx.crashes().resume(id),
  'analysis.remove': ({ id }, ctx) => {
    const store = ctx.store();
    store.assertWritable();
    if (ctx.crashes().isActive(id)) ctx.crashes().cancel(id);
    store.analyses.remove(id);
    ctx.changed('analyses');
    return { ok: true };
  },
};
