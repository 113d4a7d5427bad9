/** presets.list: the workload presets and why they resemble the paper's workloads. */
import { PRESETS } from '../../engine/workload/presets.js';
import type { Handlers } from './context.js';

export const presetHandlers: Handlers<'presets.list'> = {
  'presets.list': () =>
    Object.values(PRESETS).map((p) => ({ name: p.name, title: p.title, rationale: p.rationale })),
};
