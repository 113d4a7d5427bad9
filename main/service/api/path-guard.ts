/**
 * Web mode's reach (`hclab serve --root DIR`): every path the API accepts must lie inside one
 * folder, resolved with symlinks followed as far as the path exists. Paths with `..` segments are
 * refused outright (so the lexical resolution cannot be fooled by a symlink followed by `..`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { ApiError } from '../../../shared/api/errors.js';

/** The path with symlinks resolved in its longest existing prefix. */
function realOf(abs: string): string {
  let head = abs;
  const rest: string[] = [];
  while (!existsSync(head)) {
    const parent = dirname(head);
    if (parent === head) return abs;
    rest.unshift(basename(head));
    head = parent;
  }
  return join(realpathSync(head), ...rest);
}

export class PathGuard {
  readonly root: string;
  private readonly trusted: Set<string>;

  /** `trusted`: exact paths allowed anyway (given by the user on the command line). */
  constructor(root: string, trusted: readonly string[] = []) {
    this.root = realOf(resolve(root));
    this.trusted = new Set(trusted.map((t) => resolve(t)));
  }

  /**
   * Checks `given` (field `field` of the call), relative paths taken from `base`; returns the
   * absolute path, or throws FORBIDDEN naming the rule.
   */
  check(field: string, given: string, base: string): string {
    const rule = `the server may only reach files inside ${this.root} (hclab serve --root DIR)`;
    if (given.split(/[\\/]/).includes('..'))
      throw new ApiError('FORBIDDEN', `${field}: ${given}: paths with '..' are refused; ${rule}`);
    const abs = isAbsolute(given) ? resolve(given) : resolve(base, given);
    if (this.trusted.has(abs)) return abs;
    const real = realOf(abs);
    if (
      real !== this.root &&
      !real.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)
    )
      throw new ApiError('FORBIDDEN', `${field}: ${given} is outside the allowed folder; ${rule}`);
    return abs;
  }
}
