/**
 * The demo's one-screen summary: one line per finding, "HELD" or "DID NOT HOLD" and the verdict
 * sentence with the numbers that decided it (test/study/ parses these lines back).
 */
import type { Study } from '../../shared/api/report.js';

export const HELD = 'HELD';
export const NOT_HELD = 'DID NOT HOLD';

export function summaryLine(f: Study['findings'][number]): string {
  return `  ${f.section}. ${(f.held ? HELD : NOT_HELD).padEnd(NOT_HELD.length)}  ${f.title} — ${f.verdict}`;
}

export function summaryLines(study: Study): string[] {
  const held = study.findings.filter((f) => f.held).length;
  return [
    `${study.title}${study.quick ? ' (quick)' : ''}: ${held} of ${study.findings.length} claims held`,
    ...study.findings.map(summaryLine),
  ];
}
