/**
 * A documented limit was reached (README "Limits"): the message gives the numbers, the limit and
 * the option or setting that raises it. The service reports it as BAD_INPUT; the CLI as one line.
 */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}
