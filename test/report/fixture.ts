/**
 * A small real project for the report tests, made as a user would: `hclab project new` from an
 * experiment file (a generated zipf VM and a VM on a generated trace), `hclab run` twice, then one
 * allocation and one crash analysis stored through the API service (as the app stores them).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApiService } from '../../main/service/api/api-service.js';
import { hclab } from '../cli/run-cli.js';

export const EXPERIMENT_NAME = 'report-exp';

const EXPERIMENT = `name: ${EXPERIMENT_NAME}
vms:
  - name: gen
    workload: { kind: zipf, pages: 1500, refs: 20000, seed: 3, writeFraction: 0.3 }
    guestPages: 200
    hvPages: 100
    ghostPages: 200
  - name: tr
    workload: { trace: traces/t.txt }
    guestPages: 50
    hvPages: 30
    policy: lru
methods: [exact, hypervisor, esx]
esx: { samples: 50, periodRefs: 2000 }
`;

export interface Fixture {
  dir: string;
  project: string;
  tracePath: string;
  traceSha256: string;
  traceBytes: number;
  traceRefs: number;
}

export async function makeProject(dir: string): Promise<Fixture> {
  mkdirSync(path.join(dir, 'exp', 'traces'), { recursive: true });
  writeFileSync(path.join(dir, 'exp', 'e.yaml'), EXPERIMENT);
  const tracePath = path.join(dir, 'exp', 'traces', 't.txt');
  const traceRefs = 3000;
  writeFileSync(
    tracePath,
    Array.from({ length: traceRefs }, (_, i) => String((i * 13) % 300)).join('\n') + '\n',
  );
  const project = path.join(dir, 'p.hclab');
  const created = hclab(['project', 'new', project, '--from', path.join(dir, 'exp', 'e.yaml')]);
  if (created.status !== 0) throw new Error(`project new: ${created.stderr}`);
  for (let i = 0; i < 2; i++) {
    const run = hclab(['-q', 'run', project, '--experiment', EXPERIMENT_NAME]);
    if (run.status !== 0) throw new Error(`run: ${run.stderr}`);
  }
  const service = createApiService({});
  try {
    await service.handle('project.open', { path: project });
    await service.handle('alloc.compute', { runId: 2, memory: 500, quantum: 10 });
    await service.handle('crash.run', { vmName: 'gen', trials: 40, seed: 7 });
    await service.handle('project.close', {});
  } finally {
    await service.close();
  }
  const bytes = readFileSync(tracePath);
  return {
    dir,
    project,
    tracePath,
    traceSha256: createHash('sha256').update(bytes).digest('hex'),
    traceBytes: bytes.length,
    traceRefs,
  };
}
