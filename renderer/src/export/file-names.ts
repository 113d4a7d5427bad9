/** File names that say what they hold: `<project>-run12-oltp-tpcc-mrc.svg`. */

/** Lower-case words of letters, digits, dots and underscores joined by '-'. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return s === '' ? 'x' : s.slice(0, 60);
}

/** Parts (project, "run12", experiment, VM, what) slugged and joined, with the extension. */
export function exportName(parts: readonly (string | null | undefined)[], ext: string): string {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return `${kept.map(slug).join('-')}.${ext}`;
}

/** `<project>-alloc3-run12.json`, `<project>-crash4-web-loss.svg`. */
export function analysisFileName(
  d: { id: number; kind: string; runId: number | null; vmName: string | null },
  project: string | undefined,
  ext: string,
  what?: string,
): string {
  return exportName(
    [
      project ?? 'hclab',
      `${d.kind}${d.id}`,
      d.runId === null ? null : `run${d.runId}`,
      d.vmName,
      what,
    ],
    ext,
  );
}
