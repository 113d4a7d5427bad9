/** Creates the parser of a trace format. */
import type { ResolvedOptions } from '../options.js';
import type { RefSink } from '../sink.js';
import type { TraceFormat } from '../types.js';
import { CsvParser } from './csv.js';
import { lirsParser } from './lirs.js';
import { MsrParser } from './msr.js';
import { OracleGeneralParser } from './oracle-general.js';
import { FastOracleGeneralParser } from './oracle-general-fast.js';
import type { FormatParser } from './parser.js';
import { RawU32Parser } from './raw-u32.js';
import { txtParser } from './txt.js';
import { VscsiParser } from './vscsi.js';

export type { FormatParser } from './parser.js';

export function createParser(
  format: TraceFormat,
  sink: RefSink,
  options: ResolvedOptions,
): FormatParser {
  switch (format) {
    case 'txt':
      return txtParser(sink);
    case 'lirs':
      return lirsParser(sink);
    case 'raw-u32':
      return new RawU32Parser(sink);
    case 'oracleGeneral':
      return options.split === true
        ? new OracleGeneralParser(sink, true)
        : new FastOracleGeneralParser(sink);
    case 'vscsi':
      return new VscsiParser(sink, options.split ?? true);
    case 'msr':
      return new MsrParser(sink, options.split ?? true);
    case 'csv':
      return new CsvParser(sink, options.csv, options.split, options.separateVolumes);
  }
}
