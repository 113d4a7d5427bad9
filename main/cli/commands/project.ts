/** `hclab project new FILE [--from EXPERIMENT_FILE]`: create a project file. */
import path from 'node:path';
import { Command } from 'commander';
import type { Experiment, VmSpec } from '../../../shared/schema/index.js';
import { loadExperiment } from '../../service/experiment-runner.js';
import { ProjectStore } from '../../store/project-store.js';
import { embeddedTraceId } from '../../store/repositories.js';
import type { CliContext } from '../context.js';
import { usageOnBadInput } from './project-errors.js';

/** The experiment file's VMs with trace paths made absolute (relative to the file). */
function absoluteTraces(exp: Experiment, file: string): VmSpec[] {
  const dir = path.dirname(path.resolve(file));
  return exp.vms.map((vm) => {
    const w = vm.workload;
    if (w.kind !== 'trace' || embeddedTraceId(w.trace) !== null) return vm;
    return { ...vm, workload: { ...w, trace: path.resolve(dir, w.trace) } };
  });
}

export function projectCommand(ctx: CliContext): Command {
  const project = new Command('project').description('HCLab project files (.hclab)');
  project
    .command('new')
    .description('create a project file, optionally from an experiment file')
    .argument('<file>', 'the project file to create (.hclab)')
    .option('--from <experiment>', 'import the VMs and the experiment of this experiment file')
    .action(async (file: string, o: { from?: string }) => {
      const exp = o.from === undefined ? null : await loadExperiment(o.from);
      await usageOnBadInput(() => {
        let vms: VmSpec[] = [];
        // Built under a temporary name and renamed when complete (nothing half-built is left).
        const store = ProjectStore.create(file, (building) => {
          if (exp === null) return;
          vms = absoluteTraces(exp, o.from as string);
          for (const vm of vms) building.vms.save(vm);
          building.experiments.save({
            name: exp.name,
            vmNames: vms.map((v) => v.name),
            methods: exp.methods,
            sizes: exp.sizes,
            esx: exp.esx,
            shards: exp.shards,
            pageSize: exp.pageSize,
            allocation: exp.allocation,
          });
        });
        try {
          if (exp !== null)
            ctx.note(`${store.path}: ${vms.length} VM(s) and experiment '${exp.name}'`);
          process.stdout.write(`${store.path}\n`);
        } finally {
          store.close();
        }
      });
    });
  return project;
}
