/** The one error type for bad trace input: which file, where in it, and what was expected. */

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

/** Location used for errors about the file as a whole (missing, unreadable, unknown format). */
export const WHOLE_FILE = 'file';

export class TraceInputError extends Error {
  /**
   * @param file the path as given
   * @param location e.g. `line 12`, `record 7`, `byte 40`, or {@link WHOLE_FILE}
   * @param expected what the reader expected there
   * @param got what it found instead (optional)
   */
  constructor(
    readonly file: string,
    readonly location: string,
    readonly expected: string,
    readonly got?: string,
  ) {
    const where = location === WHOLE_FILE ? '' : ` ${location}`;
    const found = got === undefined ? '' : `, got ${got}`;
    // A problem with the whole file names it as given; one inside it names the file briefly.
    const name = location === WHOLE_FILE ? file : baseName(file);
    super(`${name}${where}: expected ${expected}${found}`);
    this.name = 'TraceInputError';
  }
}
