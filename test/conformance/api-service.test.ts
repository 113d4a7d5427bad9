/** The API service beyond the transports: error mapping, switching and copying projects. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiService, toApiError } from '../../main/service/api/api-service.js';
import { TraceInputError } from '../../main/engine/trace/index.js';
import { ValidationError } from '../../shared/schema/format.js';
import { ApiError } from '../../shared/api/errors.js';
import type { ApiEvent } from '../../shared/api/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'hclab-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('API service', () => {
  it('maps thrown errors to API error codes', () => {
    const passed = new ApiError('LOCKED', 'held');
    expect(toApiError(passed)).toBe(passed);
    const v = toApiError(new ValidationError('vm', [{ path: 'guestPages', message: 'bad' }]));
    expect(v).toMatchObject({ code: 'BAD_INPUT', message: 'vm: guestPages: bad' });
    const t = toApiError(new TraceInputError('/x/t.txt', 'line 4', 'a page id', '"x"'));
    expect(t).toMatchObject({
      code: 'BAD_INPUT',
      message: 't.txt line 4: expected a page id, got "x"',
    });
    expect(toApiError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    expect(toApiError('odd')).toMatchObject({ code: 'INTERNAL', message: 'odd' });
  });

  it('closes the open project before opening another, and saves as a copy', async () => {
    const service = createApiService({ recentFile: join(dir, 'recent.json') });
    const events: ApiEvent[] = [];
    service.onEvent((e) => events.push(e));
    const a = join(dir, 'a.hclab');
    const b = join(dir, 'b.hclab');
    const c = join(dir, 'c.hclab');
    await service.handle('project.create', { path: a });
    await service.handle('vm.save', {
      vm: { name: 'v', workload: { kind: 'uniform', pages: 10, refs: 100 }, guestPages: 4 },
    });
    await service.handle('project.create', { path: b }); // a is closed (unlocked) first
    const other = createApiService({});
    await other.handle('project.open', { path: a });
    await other.close();

    await service.handle('project.open', { path: a });
    const copy = (await service.handle('project.saveAs', { path: c })) as { path: string };
    expect(copy.path).toBe(c);
    expect(((await service.handle('vm.list', {})) as unknown[]).length).toBe(1);
    // a is free again, c is ours.
    const third = createApiService({});
    await third.handle('project.open', { path: a });
    await expect(third.handle('project.open', { path: c })).rejects.toMatchObject({
      code: 'LOCKED',
    });
    await third.close();

    const recent = (await service.handle('project.recent', {})) as { path: string }[];
    expect(recent.map((r) => r.path)).toEqual([c, a, b]);
    expect(events.filter((e) => e.event === 'project.changed').length).toBeGreaterThanOrEqual(5);

    await service.close();
    await expect(service.handle('project.current', {})).rejects.toBeInstanceOf(ApiError);
  });
});
