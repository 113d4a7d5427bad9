/** `txt`: one decimal page id per line (libCacheSim's txt traces). Untimed, all reads. */
import type { RefSink } from '../sink.js';
import { DecimalLinesParser } from './decimal-lines.js';
import type { FormatParser } from './parser.js';

export function txtParser(sink: RefSink): FormatParser {
  sink.timed = false;
  sink.split = false;
  return new DecimalLinesParser(sink, false);
}
