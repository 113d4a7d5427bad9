/**
 * `lirs`: the LIRS authors' traces, one decimal block number per line; `#` comments, blank lines
 * and `*` marker lines are skipped. Untimed, all reads.
 */
import type { RefSink } from '../sink.js';
import { DecimalLinesParser } from './decimal-lines.js';
import type { FormatParser } from './parser.js';

export function lirsParser(sink: RefSink): FormatParser {
  sink.timed = false;
  sink.split = false;
  return new DecimalLinesParser(sink, true);
}
