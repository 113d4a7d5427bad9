/**
 * `hclab demo --quick` end to end (the built CLI): every claim it prints is checked against the
 * numbers it computed (report.json's study): the verdict re-derived here from `numbers` with the
 * rule each claim states, the printed line's verdict equal to it, and the deciding numbers printed
 * as computed. Also: the project file holds the runs and analyses, and an existing project is
 * not replaced without --force.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportDataSchema, type ReportData } from '../../shared/api/report.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { hclab, type CliRun } from '../cli/run-cli.js';

/** The number as the summary prints it: four significant digits. */
function shown(x: number): string {
  return x === 0
    ? '0'
    : Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 20 });
}

type N = Record<string, number>;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Each section's rule as its claim states it, written again here, and the numbers it decides on. */
const RULES: Record<string, { held: (n: N) => boolean; deciding: string[] }> = {
  overhead: {
    held: (n) => n.maxSlowdownPct <= n.tolerancePct,
    deciding: ['maxSlowdownPct', 'tolerancePct'],
  },
  'no-extra-reads': {
    held: (n) => n.lruConfigurations > 0 && n.lruMaxAbsReadDifference === 0,
    deciding: ['lruMaxAbsReadDifference', 'lruConfigurations'],
  },
  'mrc-accuracy': {
    held: (n) =>
      n.maxMae <= n.maeTolerance && n.minPointsCompared >= 1 && n.definedPointsBelowV === 0,
    deciding: ['maxMae', 'maeTolerance', 'minPointsCompared', 'definedPointsBelowV'],
  },
  'esx-sampling': {
    held: (n) =>
      n.maxEstimatePages <= n.allocationPages &&
      n.maxEstimateLargePhasePages >= n.saturationShare * n.allocationPages &&
      n.decaySeconds > n.growSeconds,
    deciding: ['maxEstimatePages', 'allocationPages', 'growSeconds', 'decaySeconds'],
  },
  allocation: {
    held: (n) =>
      n.staticHypervisorViolationsAlpha0 === 0 &&
      n['staticHypervisorViolationsAlpha0.1'] === 0 &&
      n.onlineHypervisorMisses <= n.onlineEsxMisses &&
      n.onlineHypervisorViolations <= n.onlineEsxViolations,
    deciding: [
      'staticHypervisorViolationsAlpha0',
      'staticHypervisorViolationsAlpha0.1',
      'onlineHypervisorMisses',
      'onlineEsxMisses',
      'onlineHypervisorViolations',
      'onlineEsxViolations',
    ],
  },
  'crash-loss': {
    held: (n) =>
      n.guestCrashWriteThroughPages === 0 &&
      n.guestCrashHvRescuePages === 0 &&
      n.guestCrashHvLogPages === 0 &&
      Math.abs(n.guestCrashOsDelayedPages - n.analyticLossPages) / n.analyticLossPages <=
        n.analyticTolerance &&
      n.powerFailureHvLogPages < n.powerFailureOsDelayedPages,
    deciding: [
      'guestCrashOsDelayedPages',
      'analyticLossPages',
      'guestCrashWriteThroughPages',
      'guestCrashHvRescuePages',
      'guestCrashHvLogPages',
      'powerFailureHvLogPages',
    ],
  },
};

describe('hclab demo --quick', () => {
  let dir: string;
  let run: CliRun;
  let data: ReportData;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hclab-demo-'));
    run = hclab(['--quiet', 'demo', '--quick', '--out', dir]);
    if (run.status === 0)
      data = ReportDataSchema.parse(
        JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')),
      );
    // Generous: CI runs this beside other tests on two cores (no speed is asserted here).
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs and says where the project and the report are', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`project: ${path.join(dir, 'paper-study.hclab')}`);
    expect(run.stdout).toMatch(/^wall time: \d+(\.\d)? s$/m);
  });

  it('prints one line per section whose verdict is the one its numbers give', () => {
    const study = data.study;
    expect(study?.quick).toBe(true);
    expect(study?.findings.map((f) => f.section)).toEqual([1, 2, 3, 4, 5, 6]);
    const lines = run.stdout.split('\n');
    for (const f of study?.findings ?? []) {
      const rule = RULES[f.id];
      expect(rule, f.id).toBeDefined();
      const held = rule.held(f.numbers);
      expect(f.held, `${f.id}: held`).toBe(held);
      expect(f.verdict.startsWith(held ? 'held:' : 'did not hold:'), f.verdict).toBe(true);
      const line = lines.filter((l) => l.startsWith(`  ${f.section}. `));
      expect(line, `${f.id}: one summary line`).toHaveLength(1);
      const m = /^ {2}(\d)\. (HELD|DID NOT HOLD) +(.*) — (.*)$/.exec(line[0]);
      expect(m, line[0]).not.toBeNull();
      expect(m?.[2]).toBe(held ? 'HELD' : 'DID NOT HOLD');
      expect(m?.[3]).toBe(f.title);
      expect(m?.[4]).toBe(f.verdict);
      for (const k of rule.deciding) {
        expect(typeof f.numbers[k], `${f.id}: numbers.${k}`).toBe('number');
        expect(m?.[4], `${f.id}: ${k}`).toContain(shown(f.numbers[k]));
      }
      expect(f.claim.length).toBeGreaterThan(0);
      expect(f.tables.length + f.charts.length).toBeGreaterThan(0);
    }
    const held = study?.findings.filter((f) => f.held).length ?? -1;
    expect(run.stdout).toContain(`${held} of 6 claims held`);
  });

  it('writes the report with every finding, its tables and its charts', () => {
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    const names = new Set(readdirSync(path.join(dir, 'figures')));
    for (const f of data.study?.findings ?? []) {
      expect(html, f.id).toContain(escapeHtml(f.title));
      expect(html, f.id).toContain(escapeHtml(f.verdict));
      for (const c of f.charts)
        expect(
          [...names].some((n) => n.endsWith(`${c.id}.svg`)),
          `${f.id}: ${c.id}.svg`,
        ).toBe(true);
    }
    expect(html).not.toMatch(/(src|href)\s*=\s*["']https?:/i);
  });

  it('keeps the runs and the allocation and crash analyses in the project', () => {
    const store = ProjectStore.open(path.join(dir, 'paper-study.hclab'), { readOnly: true });
    try {
      const runs = store.runs.list();
      expect(runs.length).toBe(4);
      expect(runs.every((r) => r.state === 'done')).toBe(true);
      expect(store.analyses.list('alloc').length).toBeGreaterThanOrEqual(1);
      expect(store.analyses.list('crash').length).toBe(2);
    } finally {
      store.close();
    }
    expect(data.runs.length).toBe(4);
    expect(data.analyses.length).toBeGreaterThanOrEqual(3);
  });

  it('does not replace an earlier demo without --force', () => {
    const file = path.join(dir, 'paper-study.hclab');
    const before = statSync(file).mtimeMs;
    const again = hclab(['--quiet', 'demo', '--quick', '--out', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('--force');
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('refuses an --out that is a file, in one line', () => {
    const file = path.join(dir, 'paper-study.hclab');
    const r = hclab(['--quiet', 'demo', '--quick', '--out', file]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`hclab: --out: ${file} is a file, not a folder`]);
  });

  it('--force never deletes a file that is not a project', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'hclab-demo-junk-'));
    try {
      const file = path.join(other, 'paper-study.hclab');
      writeFileSync(file, 'my notes\n');
      const r = hclab(['--quiet', 'demo', '--quick', '--force', '--out', other]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('not an HCLab project');
      expect(readFileSync(file, 'utf8')).toBe('my notes\n');
      expect(readdirSync(other)).toEqual(['paper-study.hclab']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
