/** The ESX sampling options shared by `hclab mrc` and `hclab simulate`. */
import type { Command } from 'commander';
import { DEFAULT_ESX, type EsxConfig } from '../engine/config.js';
import { UsageError } from './errors.js';
import { parseCount, parseNumber, parsePositiveCount } from './numbers.js';

export interface EsxCliOptions {
  esxSamples?: string;
  esxPeriod?: string;
  esxPeriodRefs?: string;
  esxSlowGain?: string;
  esxFastGain?: string;
  esxCurrentGain?: string;
  esxCurrentUpdates?: string;
  esxEpsilon?: string;
  esxSeed?: string;
}

export function addEsxOptions(cmd: Command): Command {
  const d = DEFAULT_ESX;
  return cmd
    .option('--esx-samples <n>', 'ESX pages sampled per period', String(d.samples))
    .option(
      '--esx-period <sec>',
      'ESX period in seconds of VM time (untimed traces advance VM time at --rate)',
      String(d.periodSeconds),
    )
    .option('--esx-period-refs <n>', 'override: ESX periods of n references instead of seconds')
    .option('--esx-slow-gain <g>', 'ESX slow average gain', String(d.slowGain))
    .option('--esx-fast-gain <g>', 'ESX fast average gain', String(d.fastGain))
    .option(
      '--esx-current-gain <g>',
      "gain of ESX's fast average with the current period's samples",
      String(d.currentGain),
    )
    .option(
      '--esx-current-updates <u>',
      'updates of that average per period (0: slow and fast averages only)',
      String(d.currentUpdates),
    )
    .option(
      '--esx-epsilon <e>',
      'scoring: memory within this relative tolerance of the misses at the allocation',
      String(d.epsilon),
    )
    .option('--esx-seed <n>', 'ESX sampling seed', String(d.seed));
}

export function esxConfigFrom(o: EsxCliOptions): EsxConfig {
  const d = DEFAULT_ESX;
  const gain = (option: string, text: string | undefined, dflt: number) =>
    text === undefined ? dflt : parseNumber(option, text, 1e-9, 1);
  return {
    samples: parsePositiveCount('--esx-samples', o.esxSamples ?? String(d.samples)),
    periodSeconds: parseNumber('--esx-period', o.esxPeriod ?? String(d.periodSeconds), 1e-9),
    periodRefs:
      o.esxPeriodRefs === undefined
        ? null
        : parsePositiveCount('--esx-period-refs', o.esxPeriodRefs),
    slowGain: gain('--esx-slow-gain', o.esxSlowGain, d.slowGain),
    fastGain: gain('--esx-fast-gain', o.esxFastGain, d.fastGain),
    currentGain: gain('--esx-current-gain', o.esxCurrentGain, d.currentGain),
    currentUpdates:
      o.esxCurrentUpdates === undefined
        ? d.currentUpdates
        : parseCount('--esx-current-updates', o.esxCurrentUpdates),
    epsilon: o.esxEpsilon === undefined ? d.epsilon : parseNumber('--esx-epsilon', o.esxEpsilon, 0),
    seed: o.esxSeed === undefined ? d.seed : parseSeed(o.esxSeed),
  };
}

function parseSeed(text: string): number {
  const n = parseNumber('--esx-seed', text);
  if (!Number.isSafeInteger(n))
    throw new UsageError(`--esx-seed: expected an integer, got '${text}'`);
  return n;
}
