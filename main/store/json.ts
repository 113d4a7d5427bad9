/** JSON as stored in project files: ±Infinity kept as 'inf'/'-inf' (JSON has no infinities). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v === Number.POSITIVE_INFINITY ? 'inf' : v === Number.NEGATIVE_INFINITY ? '-inf' : v,
  );
}

export function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

export function nowIso(): string {
  return new Date().toISOString();
}
