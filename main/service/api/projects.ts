/** project.*: create, open, save as, close, current, recent. */
import { basename, extname } from 'node:path';
import type { ProjectInfo } from '../../../shared/api/entities.js';
import { ProjectStore } from '../../store/project-store.js';
import type { HandlerContext, Handlers } from './context.js';

export function projectInfo(store: ProjectStore): ProjectInfo {
  return {
    path: store.path,
    name: basename(store.path, extname(store.path)),
    readOnly: store.readOnly,
    schemaVersion: store.schemaVersion,
    interruptedRuns: store.runs.interrupted(),
  };
}

function opened(ctx: HandlerContext, store: ProjectStore): ProjectInfo {
  ctx.recent.add(store.path);
  ctx.changed('project');
  return projectInfo(store);
}

export const projectHandlers: Handlers<
  | 'project.create'
  | 'project.open'
  | 'project.saveAs'
  | 'project.close'
  | 'project.current'
  | 'project.recent'
> = {
  'project.create': async ({ path }, ctx) =>
    opened(ctx, await ctx.replaceProject(() => ProjectStore.create(ctx.projectPath(path)))),
  'project.open': async ({ path, readOnly }, ctx) =>
    opened(
      ctx,
      await ctx.replaceProject(() => ProjectStore.open(ctx.projectPath(path), { readOnly })),
    ),
  'project.saveAs': async ({ path, overwrite }, ctx) =>
    opened(
      ctx,
      await ctx.deriveProject((current) => current.saveAs(ctx.projectPath(path), { overwrite })),
    ),
  'project.close': async (_params, ctx) => {
    const had = ctx.current() !== null;
    await ctx.closeProject();
    if (had) ctx.changed('project');
    return { ok: true };
  },
  'project.current': (_params, ctx) => {
    const store = ctx.current();
    return store === null ? null : projectInfo(store);
  },
  'project.recent': (_params, ctx) => ctx.recent.list(),
};
