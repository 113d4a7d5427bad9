/** The interface every format parser implements: bytes in, references pushed into a RefSink. */
export interface FormatParser {
  /** Consumes the next bytes of the (decompressed) trace. Stops early once the sink is done. */
  push(data: Uint8Array): void;
  /** End of input: handles a last line without newline, reports a truncated record. */
  end(): void;
}
