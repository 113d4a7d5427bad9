/** `hclab trace info FILE`: what a trace holds. */
import { Command } from 'commander';
import { openTrace } from '../../engine/trace/index.js';
import { addTraceOptions, traceReadOptions, type TraceCliOptions } from '../trace-options.js';
import { fmtInt, printJson, printTable } from '../output.js';
import type { CliContext } from '../context.js';

interface Options extends TraceCliOptions {
  json?: boolean;
}

export function traceCommand(ctx: CliContext): Command {
  const trace = new Command('trace').description('inspect trace files');
  const info = addTraceOptions(
    new Command('info')
      .description('detected format, references, distinct pages, reads/writes, duration, footprint')
      .argument('<file>', 'trace file'),
  )
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: Options) => {
      const source = await openTrace(file, traceReadOptions(o));
      source.countOnly?.();
      await ctx.withProgress(`reading ${file}`, async (control) => {
        for await (const _chunk of source.chunks(control)) {
          // Counting is done by the reader's statistics.
        }
      });
      const s = source.stats();
      if (o.json) {
        printJson({ file, ...s });
        return;
      }
      printTable([
        ['file', file],
        ['format', s.format],
        ['references', fmtInt(s.references)],
        ['requests', fmtInt(s.requests)],
        ['distinct pages', fmtInt(s.distinctPages)],
        ['reads', fmtInt(s.reads)],
        ['writes', fmtInt(s.writes)],
        ['duration', s.durationSeconds === null ? 'untimed' : `${s.durationSeconds.toFixed(3)} s`],
        ['footprint', `${(s.footprintBytes / 2 ** 20).toFixed(1)} MiB (${s.pageSize}-byte pages)`],
        ['split into pages', s.split ? 'yes' : 'no'],
        ['volumes', String(s.volumes)],
        ['bad lines skipped', fmtInt(s.badSkipped)],
      ]);
    });
  trace.addCommand(info);
  return trace;
}
