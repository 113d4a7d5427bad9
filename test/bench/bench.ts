/**
 * `npm run bench`: speed figures (not assertions). Generates a 10,000,000-reference Zipf(1.0)
 * trace over 1,000,000 pages (seed 42), writes it as txt, and measures each step in its own
 * process: reading the txt back, LRU at 100,000 pages, the exact MRC, the hypervisor-cache
 * simulation (V = C = 50,000), SHARDS at R = 0.01, the policy method (16 sizes: lru, clock, arc,
 * s3fifo, with the ratio to 16 × one single-size run), minisim at R = 0.01 with 64 sizes, and
 * `hclab mrc FILE --method exact` end to end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkload } from '../../main/engine/workload/generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFS = 10_000_000;
const PAGES = 1_000_000;

interface StepResult {
  step: string;
  refs: number;
  seconds: number;
  refsPerSec: number;
  maxRssMB: number;
  detail: string;
}

const TARGETS: Record<string, { label: string; minRefsPerSec?: number; maxRssMB?: number }> = {
  'read-txt': { label: 'read txt (parse + dense ids)', minRefsPerSec: 15e6 },
  lru: { label: 'LRU simulation, 100,000 pages', minRefsPerSec: 20e6 },
  exact: { label: 'exact MRC (Mattson, all sizes)', minRefsPerSec: 5e6, maxRssMB: 400 },
  hypervisor: { label: 'hypervisor cache sim, V = C = 50,000' },
  shards: { label: 'SHARDS R = 0.01', minRefsPerSec: 30e6 },
  'policy-lru': { label: '--method policy, lru, 16 sizes (time includes one-size run)' },
  'policy-clock': { label: '--method policy, clock, 16 sizes' },
  'policy-arc': { label: '--method policy, arc, 16 sizes' },
  'policy-s3fifo': { label: '--method policy, s3fifo, 16 sizes' },
  minisim: { label: 'minisim lru, R = 0.01, 64 sizes', minRefsPerSec: 20e6 },
};

async function writeTrace(file: string): Promise<number> {
  const t0 = performance.now();
  const out = createWriteStream(file);
  for (const chunk of generateWorkload(
    { kind: 'zipf', pages: PAGES, alpha: 1.0, refs: REFS, seed: 42 },
    1 << 18,
  )) {
    const lines: string[] = new Array<string>(chunk.length);
    for (let i = 0; i < chunk.length; i++) lines[i] = String(chunk.pages[i]);
    if (!out.write(lines.join('\n') + '\n'))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hclab-bench-'));
  const file = path.join(dir, 'zipf-10m.txt');
  try {
    console.log(
      `HCLab benchmark — node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`,
    );
    const genSeconds = await writeTrace(file);
    console.log(
      `trace: ${REFS.toLocaleString('en-US')} Zipf(1.0) refs over ${PAGES.toLocaleString('en-US')} pages, seed 42, ` +
        `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB txt (generated and written in ${genSeconds.toFixed(2)} s)\n`,
    );
    const rows: string[][] = [
      ['step', 'M refs/s', 'seconds', 'peak RSS MB', 'target', '', 'detail'],
    ];
    for (const step of Object.keys(TARGETS)) {
      const json = execFileSync(process.execPath, [path.join(here, 'bench-step.js'), step, file], {
        encoding: 'utf8',
      });
      const r = JSON.parse(json) as StepResult;
      const t = TARGETS[step];
      const targets: string[] = [];
      let ok = true;
      if (t.minRefsPerSec !== undefined) {
        targets.push(`≥ ${t.minRefsPerSec / 1e6} M/s`);
        ok &&= r.refsPerSec >= t.minRefsPerSec;
      }
      if (t.maxRssMB !== undefined) {
        targets.push(`RSS < ${t.maxRssMB} MB`);
        ok &&= r.maxRssMB < t.maxRssMB;
      }
      rows.push([
        t.label,
        (r.refsPerSec / 1e6).toFixed(2),
        r.seconds.toFixed(3),
        r.maxRssMB.toFixed(0),
        targets.join(', ') || '—',
        targets.length === 0 ? '' : ok ? 'met' : 'MISSED',
        r.detail,
      ]);
    }
    const cli = path.resolve(here, '../../main/cli/hclab.js');
    const t0 = performance.now();
    const run = spawnSync(
      process.execPath,
      [cli, 'mrc', file, '--method', 'exact', '--quiet', '--csv'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    const e2e = (performance.now() - t0) / 1000;
    if (run.status !== 0) throw new Error(`hclab mrc failed: ${run.stderr}`);
    rows.push([
      '`hclab mrc FILE --method exact` end to end',
      (REFS / e2e / 1e6).toFixed(2),
      e2e.toFixed(3),
      '—',
      '< 4 s',
      e2e < 4 ? 'met' : 'MISSED',
      `${run.stdout.trim().split('\n').length - 1} csv rows`,
    ]);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows)
      console.log(
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd(),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
