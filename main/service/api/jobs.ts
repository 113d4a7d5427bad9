/** job.cancel: stops a heavy call started with a jobId (see shared/api/jobs.ts). */
import type { Handlers } from './context.js';

export const jobHandlers: Handlers<'job.cancel'> = {
  'job.cancel': ({ jobId }, ctx) => ({ ok: true, cancelled: ctx.jobs.cancel(jobId) }),
};
