/**
 * Workload spec strings for the CLI: `KIND:key=value,key=value,…`, e.g.
 * `zipf:pages=100000,alpha=1.0,refs=1000000,seed=1` or `preset:tpcc,pages=20000,refs=500000`.
 * Numbers may use `_` separators and a k/K (10^3), M (10^6) or G (10^9) suffix. Nested kinds
 * (phases, mix) need an experiment file.
 */
import {
  WORKLOAD_KINDS,
  WorkloadSpecSchema,
  workloadRefs,
  type WorkloadPattern,
  type WorkloadSpec,
} from '../../../shared/schema/workload.js';
import { ValidationError, zodProblems, type Problem } from '../../../shared/schema/format.js';
import { PRESETS } from './presets.js';

const STRING_KEYS = new Set(['preset', 'arrivals']);
const BOOLEAN_KEYS = new Set(['scatter', 'fullPageWrites']);
const NESTED_KINDS = new Set(['phases', 'mix']);
const FLAT_KINDS = WORKLOAD_KINDS.filter((k) => !NESTED_KINDS.has(k));
const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** Keys each kind accepts in a spec string (all keys of its schema but `kind`). */
const KEYS_BY_KIND: ReadonlyMap<string, readonly string[]> = new Map(
  WorkloadSpecSchema.options.map((o) => [
    o.shape.kind.value as string,
    Object.keys(o.shape).filter((k) => k !== 'kind'),
  ]),
);

function parseNumber(raw: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([kKMG]?)$/.exec(raw.replace(/_/g, ''));
  if (m === null) return undefined;
  const v = Number(m[1]) * (m[2] === '' ? 1 : SUFFIX[m[2]]);
  return Number.isFinite(v) ? v : undefined;
}

function coerce(key: string, raw: string): unknown {
  if (STRING_KEYS.has(key)) return raw;
  if (BOOLEAN_KEYS.has(key)) {
    if (/^(true|yes|on|1)$/i.test(raw)) return true;
    if (/^(false|no|off|0)$/i.test(raw)) return false;
    return raw;
  }
  return parseNumber(raw) ?? raw;
}

/** Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The closest known key, if it is close enough to be a likely typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Parses a spec string into a validated {@link WorkloadSpec} (defaults filled). Throws a
 * ValidationError whose message quotes the spec and names each bad part, e.g.
 * `workload spec "zipf:pages=-5,refs=10": pages: expected a positive integer, got -5`.
 */
export function parseWorkloadSpec(text: string): WorkloadSpec {
  const source = `workload spec ${JSON.stringify(text)}`;
  const fail = (problems: Problem[]): never => {
    throw new ValidationError(source, problems);
  };
  const trimmed = text.trim();
  const kindList = FLAT_KINDS.join(', ');
  if (trimmed === '')
    fail([{ path: '', message: `empty (expected KIND:key=value,…, KIND one of ${kindList})` }]);
  const colon = trimmed.indexOf(':');
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
  if (NESTED_KINDS.has(kind))
    fail([
      {
        path: '',
        message: `${kind} workloads contain other workloads and cannot be written as a spec string; describe them in an experiment file`,
      },
    ]);
  const known = KEYS_BY_KIND.get(kind);
  if (known === undefined)
    fail([
      {
        path: '',
        message: `unknown workload kind ${JSON.stringify(kind)} (expected one of ${kindList})`,
      },
    ]);
  const keys = known ?? [];
  const raw: Record<string, unknown> = { kind };
  const problems: Problem[] = [];
  const items = rest.split(',').map((s) => s.trim());
  items.forEach((item, i) => {
    if (item === '' && i === items.length - 1) return; // trailing comma, or no keys at all
    const eq = item.indexOf('=');
    if (eq < 0 && kind === 'preset' && i === 0 && item !== '') {
      raw.preset = item;
      return;
    }
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    const value = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (key === '' || value === '') {
      problems.push({ path: '', message: `expected key=value, got ${JSON.stringify(item)}` });
      return;
    }
    if (!keys.includes(key)) {
      const hint = suggestKey(key, keys);
      problems.push({
        path: key,
        message:
          `unknown key for ${kind} (expected one of ${keys.join(', ')})` +
          (hint === undefined ? '' : `; did you mean ${hint}?`),
      });
      return;
    }
    if (key in raw) {
      problems.push({ path: key, message: 'given twice' });
      return;
    }
    raw[key] = coerce(key, value);
  });
  const result = WorkloadSpecSchema.safeParse(raw, { reportInput: true });
  if (result.success && problems.length === 0) return result.data;
  // Report malformed items and schema problems together, without repeating a key.
  const named = new Set(problems.map((p) => p.path));
  const schemaProblems = result.success ? [] : zodProblems(result.error.issues);
  return fail([...problems, ...schemaProblems.filter((p) => !named.has(p.path))]);
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function describePattern(p: WorkloadPattern): string {
  let s: string;
  switch (p.kind) {
    case 'uniform':
      s = `uniform over ${p.pages} pages`;
      break;
    case 'zipf':
      s = `Zipf(α=${p.alpha}) over ${p.pages} pages${p.scatter ? ', ranks scattered' : ''}`;
      break;
    case 'scan':
      s =
        p.run === undefined || p.run === p.pages
          ? `sequential scans of all ${p.pages} pages`
          : `sequential scans of ${p.run} pages at random places in ${p.pages} pages`;
      break;
    case 'loop':
      s = `loop over ${p.pages} pages`;
      break;
    case 'hotcold':
      s = `hot/cold: ${percent(p.hotFraction)} of references to ${p.hot} hot pages, the rest to ${p.cold} cold pages`;
      break;
    case 'phases':
      s =
        `${p.phases.length} phase${p.phases.length === 1 ? '' : 's'}${p.cycle ? ' (cycling)' : ''}: ` +
        p.phases.map((ph) => `[${ph.refs} refs: ${describePattern(ph.workload)}]`).join(', ');
      break;
    case 'mix': {
      const total = p.parts.reduce((sum, part) => sum + part.weight, 0);
      s =
        'mix of requests: ' +
        p.parts
          .map((part) => `${percent(part.weight / total)} [${describePattern(part.workload)}]`)
          .join(', ');
      break;
    }
    case 'preset': {
      const preset = PRESETS[p.preset];
      s = `${preset.title} (preset ${p.preset}) over ${p.pages} pages: ${preset.describe(p.pages)}`;
      break;
    }
  }
  if (p.offset !== 0) s += `, pages +${p.offset}`;
  if (p.writeFraction !== undefined || p.fsyncRate !== undefined) {
    const wf = p.writeFraction;
    s += wf === undefined ? '' : `, ${percent(wf)} writes`;
    if (p.fsyncRate !== undefined) s += ` (${percent(p.fsyncRate)} of writes fsync'd)`;
  }
  if (p.directWriteFraction !== undefined && p.directWriteFraction > 0)
    s += `, ${percent(p.directWriteFraction)} of writes direct I/O`;
  if (p.fullPageWrites === true) s += ', full-page writes';
  return s;
}

/** One line for humans, e.g. `Zipf(α=1) over 100000 pages; 1000000 refs, seed 1, untimed`. */
export function describeWorkload(spec: WorkloadSpec): string {
  const timing =
    spec.rate === undefined
      ? 'untimed'
      : `${spec.rate} refs/s${spec.arrivals === 'poisson' ? ' (Poisson arrivals)' : ''}`;
  return `${describePattern(spec)}; ${workloadRefs(spec)} refs, seed ${spec.seed}, ${timing}`;
}

/** Keys left out of a spec string when they have these (default) values. */
const OMIT_DEFAULTS: Record<string, unknown> = { offset: 0, arrivals: 'constant', scatter: false };

/**
 * The spec string of a flat spec (parseWorkloadSpec gives the spec back), or null for phases and
 * mixes. Keys at their defaults (offset 0, constant arrivals, no scatter) are left out.
 */
export function workloadSpecString(spec: WorkloadSpec): string | null {
  if (spec.kind === 'phases' || spec.kind === 'mix') return null;
  const parts: string[] = spec.kind === 'preset' ? [spec.preset] : [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'kind' || key === 'preset' || value === undefined) continue;
    if (key in OMIT_DEFAULTS && OMIT_DEFAULTS[key] === value) continue;
    parts.push(`${key}=${String(value)}`);
  }
  return `${spec.kind}:${parts.join(',')}`;
}
