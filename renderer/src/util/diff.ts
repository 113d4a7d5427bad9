/** What changed between two versions of a stored document, as lines a researcher can read. */

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    out.set(prefix, value.map((v) => JSON.stringify(v)).join(', '));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    return;
  }
  out.set(prefix, value === undefined ? '—' : JSON.stringify(value));
}

/** `field: before → after` for every field that differs (nested fields as `a.b`). */
export function describeChanges(before: unknown, after: unknown): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${k}: ${a.get(k) ?? '—'} → ${b.get(k) ?? '—'}`);
}
