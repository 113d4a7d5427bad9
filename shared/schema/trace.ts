/** A VM workload read from a trace file instead of generated. */
import { z } from 'zod';
import { filePath, flag, nonEmptyString, nonNegativeInt, positiveInt } from './fields.js';

/**
 * `{ trace: 'traces/w106.trace.xz', format: 'lirs', limit: 1000000 }` (kind: 'trace' is added
 * when omitted). Keys other than those below are passed to the trace reader unchanged.
 */
export const TraceSourceSchema = z.looseObject({
  kind: z.literal('trace'),
  /** Path of the trace, relative to the experiment file. */
  trace: filePath(),
  /** Reader format name; omitted: detected from the file name or content. */
  format: nonEmptyString().optional(),
  /** Split byte-range requests into every page they touch (omitted: the format's default). */
  split: flag().optional(),
  /** Use at most this many references (after skipping). */
  limit: positiveInt().optional(),
  /** Skip this many references at the start of the trace. */
  skip: nonNegativeInt().optional(),
});

export type TraceSource = z.infer<typeof TraceSourceSchema>;
