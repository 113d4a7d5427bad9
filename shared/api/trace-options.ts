/** Trace reader options as they cross the API (the engine's TraceReadOptions, validated). */
import { z } from 'zod';

const column = z.union([z.number().int().positive(), z.string().min(1)]);

export const TraceReadOptionsSchema = z.strictObject({
  format: z.enum(['txt', 'csv', 'oracleGeneral', 'vscsi', 'msr', 'lirs', 'raw-u32']).optional(),
  pageSize: z
    .number()
    .int()
    .refine((v) => v >= 512 && (v & (v - 1)) === 0, {
      error: 'expected a power of two of at least 512 bytes',
    })
    .optional(),
  split: z.boolean().optional(),
  sectorSize: z.number().int().positive().optional(),
  separateVolumes: z.boolean().optional(),
  skip: z.number().int().nonnegative().optional(),
  limit: z.number().int().nonnegative().optional(),
  warmup: z.number().int().nonnegative().optional(),
  skipBad: z.boolean().optional(),
  allowTimeGaps: z.boolean().optional(),
  maxTimeGapSeconds: z.number().nonnegative().finite().optional(),
  backwardToleranceSeconds: z.number().nonnegative().finite().optional(),
  maxRequestBytes: z.number().int().positive().optional(),
  maxDistinctPages: z.number().int().positive().optional(),
  /** Read the whole trace, then deliver it stably sorted by time (times that go backwards). */
  sort: z.boolean().optional(),
  /** Most references of a trace read with sort (default: a quarter of memory at 64 bytes each). */
  maxSortReferences: z.number().int().positive().optional(),
  csv: z
    .strictObject({
      columns: z
        .strictObject({
          time: column.optional(),
          id: column.optional(),
          offset: column.optional(),
          size: column.optional(),
          op: column.optional(),
          volume: z.union([column, z.array(column)]).optional(),
        })
        .optional(),
      delimiter: z.string().length(1).optional(),
      header: z.boolean().optional(),
      timeScale: z.number().positive().optional(),
    })
    .optional(),
});
export type TraceReadOptionsDto = z.infer<typeof TraceReadOptionsSchema>;
