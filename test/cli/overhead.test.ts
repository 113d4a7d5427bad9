import { describe, expect, it } from 'vitest';
import { hclab } from './run-cli.js';

describe('hclab overhead', () => {
  const args = [
    'overhead',
    '--workload',
    'preset:index-search,pages=4000,refs=40000',
    '--memory',
    '2000',
    '--shares',
    '0.1,0.5,0.9',
  ];

  it('--csv prints one row per share with the throughput ratio and mean access time', () => {
    const r = hclab([...args, '--csv']);
    expect(r.status).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toBe(
      'share,guest_pages,cache_pages,hv_hits,puts,disk_reads,disk_writes,mean_access_us,mean_access_us_no_cache,throughput_ratio,slowdown',
    );
    const parsed = rows.map((line) => line.split(',').map(Number));
    expect(parsed.map((p) => [p[0], p[1], p[2]])).toEqual([
      [0.1, 1800, 200],
      [0.5, 1000, 1000],
      [0.9, 200, 1800],
    ]);
    for (const p of parsed) {
      expect(p[9]).toBeCloseTo(p[8] / p[7], 9); // ratio = no-cache time / cached time
      expect(p[10]).toBeCloseTo(p[7] / p[8] - 1, 9);
    }
    expect(parsed[2][9]).toBeLessThan(parsed[0][9]);
  });

  it('the table states the time model; bad input is named', () => {
    const r = hclab([...args, '--cpu-us', '20']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Time model \(µs\): CPU 20\/ref/);
    expect(r.stdout).toMatch(/throughput ratio/);
    const bad = hclab([...args, '--shares', '0.5,1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--shares/);
    const noMem = hclab(['overhead', '--workload', 'loop:pages=10']);
    expect(noMem.status).toBe(2);
    expect(noMem.stderr).toMatch(/--memory/);
  });
});
