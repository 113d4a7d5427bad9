/**
 * The verdict rules of the study, one per section: pure functions of a finding's `numbers`, so
 * the verdict is computed from the figures the report shows and can be checked from them
 * (test/study/). Each rule's tolerance is one of the numbers, so it is printed with them.
 */
export type Numbers = Record<string, number>;

function need(n: Numbers, key: string): number {
  const v = n[key];
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`numbers.${key} is missing`);
  return v;
}

/** §1: the largest slowdown over every service and share is within the tolerance. */
export function overheadHeld(n: Numbers): boolean {
  return need(n, 'maxSlowdownPct') <= need(n, 'tolerancePct');
}

/** §2: disk reads with the cache equal those without it, exactly, for every LRU guest. */
export function noExtraReadsHeld(n: Numbers): boolean {
  return need(n, 'lruMaxAbsReadDifference') === 0 && need(n, 'lruConfigurations') > 0;
}

/** §3: the hypervisor's curve is within the MAE tolerance of the exact one where it is defined
 * (on at least one point per service) and is undefined at every size below V. */
export function mrcAccuracyHeld(n: Numbers): boolean {
  return (
    need(n, 'maxMae') <= need(n, 'maeTolerance') &&
    need(n, 'minPointsCompared') >= 1 &&
    need(n, 'definedPointsBelowV') === 0
  );
}

/** §4: the ESX estimate never exceeds the allocation, reaches ≥ saturationShare of it while the
 * working set is larger, and decays from a shrinking working set more slowly than it grows. */
export function esxSamplingHeld(n: Numbers): boolean {
  const a = need(n, 'allocationPages');
  return (
    need(n, 'maxEstimatePages') <= a &&
    need(n, 'maxEstimateLargePhasePages') >= need(n, 'saturationShare') * a &&
    need(n, 'decaySeconds') > need(n, 'growSeconds')
  );
}

/** §5: the static DP on the hypervisor's curves violates no VM's isolation at α = 0 and 0.1,
 * and online the hypervisor controller has no more misses and no more violations than ESX. */
export function allocationHeld(n: Numbers): boolean {
  return (
    need(n, 'staticHypervisorViolationsAlpha0') === 0 &&
    need(n, 'staticHypervisorViolationsAlpha0.1') === 0 &&
    need(n, 'onlineHypervisorMisses') <= need(n, 'onlineEsxMisses') &&
    need(n, 'onlineHypervisorViolations') <= need(n, 'onlineEsxViolations')
  );
}

/** §6: after a guest crash write-through, hv-rescue and hv-log lose nothing; os-delayed loses
 * r·(E + I/2) within the tolerance; after a power failure hv-log loses less than os-delayed. */
export function crashLossHeld(n: Numbers): boolean {
  const analytic = need(n, 'analyticLossPages');
  const measured = need(n, 'guestCrashOsDelayedPages');
  return (
    need(n, 'guestCrashWriteThroughPages') === 0 &&
    need(n, 'guestCrashHvRescuePages') === 0 &&
    need(n, 'guestCrashHvLogPages') === 0 &&
    analytic > 0 &&
    Math.abs(measured - analytic) / analytic <= need(n, 'analyticTolerance') &&
    need(n, 'powerFailureHvLogPages') < need(n, 'powerFailureOsDelayedPages')
  );
}
