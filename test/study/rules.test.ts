/**
 * The study's verdict rules: a finding whose numbers break its rule is never reported as held,
 * whichever condition they break, and a missing number is an error, not a pass.
 */
import { describe, expect, it } from 'vitest';
import { heldWord, makeFinding } from '../../main/study/finding.js';
import {
  allocationHeld,
  crashLossHeld,
  esxSamplingHeld,
  mrcAccuracyHeld,
  noExtraReadsHeld,
  overheadHeld,
  type Numbers,
} from '../../main/study/rules.js';

interface Case {
  rule: (n: Numbers) => boolean;
  holds: Numbers;
  /** Each entry breaks one condition of the rule. */
  breaks: Record<string, Numbers>;
}

const CASES: Record<string, Case> = {
  overhead: {
    rule: overheadHeld,
    holds: { maxSlowdownPct: 4.99, tolerancePct: 5 },
    breaks: { 'slowdown above the tolerance': { maxSlowdownPct: 5.01 } },
  },
  'no extra reads': {
    rule: noExtraReadsHeld,
    holds: { lruMaxAbsReadDifference: 0, lruConfigurations: 5 },
    breaks: {
      'one read more': { lruMaxAbsReadDifference: 1 },
      'no LRU guest compared': { lruConfigurations: 0 },
    },
  },
  'MRC accuracy': {
    rule: mrcAccuracyHeld,
    holds: { maxMae: 0.005, maeTolerance: 0.005, minPointsCompared: 1, definedPointsBelowV: 0 },
    breaks: {
      'MAE above the tolerance': { maxMae: 0.0051 },
      'nothing compared': { minPointsCompared: 0 },
      'a value below V': { definedPointsBelowV: 1 },
    },
  },
  'ESX sampling': {
    rule: esxSamplingHeld,
    holds: {
      allocationPages: 2000,
      maxEstimatePages: 2000,
      maxEstimateLargePhasePages: 1800,
      saturationShare: 0.9,
      growSeconds: 5,
      decaySeconds: 6,
    },
    breaks: {
      'estimate above the allocation': { maxEstimatePages: 2001 },
      'never saturates': { maxEstimateLargePhasePages: 1799 },
      'decays as fast as it grows': { decaySeconds: 5 },
    },
  },
  allocation: {
    rule: allocationHeld,
    holds: {
      staticHypervisorViolationsAlpha0: 0,
      'staticHypervisorViolationsAlpha0.1': 0,
      onlineHypervisorMisses: 100,
      onlineEsxMisses: 100,
      onlineHypervisorViolations: 3,
      onlineEsxViolations: 3,
    },
    breaks: {
      'violation at α = 0': { staticHypervisorViolationsAlpha0: 1 },
      'violation at α = 0.1': { 'staticHypervisorViolationsAlpha0.1': 1 },
      'more misses than ESX': { onlineHypervisorMisses: 101 },
      'more violations than ESX': { onlineHypervisorViolations: 4 },
    },
  },
  'crash loss': {
    rule: crashLossHeld,
    holds: {
      analyticLossPages: 100,
      analyticTolerance: 0.25,
      guestCrashOsDelayedPages: 125,
      guestCrashWriteThroughPages: 0,
      guestCrashHvRescuePages: 0,
      guestCrashHvLogPages: 0,
      powerFailureHvLogPages: 10,
      powerFailureOsDelayedPages: 125,
    },
    breaks: {
      'os-delayed far above the analytic loss': { guestCrashOsDelayedPages: 126 },
      'os-delayed far below the analytic loss': { guestCrashOsDelayedPages: 74 },
      'write-through loses a page': { guestCrashWriteThroughPages: 0.01 },
      'hv-rescue loses a page': { guestCrashHvRescuePages: 1 },
      'hv-log loses a page': { guestCrashHvLogPages: 1 },
      'hv-log loses as much on power failure': { powerFailureHvLogPages: 125 },
      'no analytic loss': { analyticLossPages: 0 },
    },
  },
};

describe('study verdict rules', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: holds on numbers within the rule`, () => {
      expect(c.rule(c.holds)).toBe(true);
    });
    for (const [what, change] of Object.entries(c.breaks))
      it(`${name}: does not hold when ${what}`, () => {
        expect(c.rule({ ...c.holds, ...change })).toBe(false);
      });
    it(`${name}: a missing number is an error`, () => {
      const [first] = Object.keys(c.holds);
      const { [first]: _dropped, ...rest } = c.holds;
      expect(() => c.rule(rest)).toThrow(first);
    });
  }
});

describe('makeFinding', () => {
  const base = {
    section: 1,
    id: 'overhead',
    title: 'Overhead',
    claim: 'slowdown within the tolerance',
  };
  const verdict = (held: boolean, n: Numbers) =>
    `${heldWord(held)}: ${n.maxSlowdownPct} % against ${n.tolerancePct} %`;

  it('reports a finding whose numbers break the rule as not held', () => {
    const f = makeFinding(
      { ...base, numbers: { maxSlowdownPct: 7, tolerancePct: 5 } },
      overheadHeld,
      verdict,
    );
    expect(f.held).toBe(false);
    expect(f.verdict).toBe('did not hold: 7 % against 5 %');
  });

  it('reports a finding whose numbers meet the rule as held', () => {
    const f = makeFinding(
      { ...base, numbers: { maxSlowdownPct: 1, tolerancePct: 5 } },
      overheadHeld,
      verdict,
    );
    expect(f.held).toBe(true);
    expect(f.verdict).toBe('held: 1 % against 5 %');
  });

  it('refuses a number that is not finite', () => {
    expect(() =>
      makeFinding(
        { ...base, numbers: { maxSlowdownPct: Number.NaN, tolerancePct: 5 } },
        overheadHeld,
        verdict,
      ),
    ).toThrow('maxSlowdownPct');
  });
});
