/**
 * End-to-end: the workbench in Debian's Chromium against `hclab serve`, used as a researcher
 * would — create a project, add VMs with generator workloads, import a real trace, run an MRC
 * comparison, read the charts and the MAE table, reload and find the results again, and see
 * the readable error of a bad trace. Screenshots (1280×800) go to test-results/e2e/.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sampleTrace } from '../support/test-traces.js';
import { CHROMIUM, launchChromium, startServer, stopServer } from './serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/main/cli/hclab.js');
const RENDERER = join(ROOT, 'dist/renderer/index.html');
/** A shipped sample trace (gzip LIRS text), imported through the UI. */
const TRACE = sampleTrace('multi3.trace.gz');
const SHOTS = join(ROOT, 'test-results/e2e');

function skipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(CLI) || !existsSync(RENDERER)) return 'the build is missing (run npm run build)';
  return null;
}
const reason = skipReason();
if (reason !== null) console.warn(`skipping the workbench end-to-end test: ${reason}`);

describe.skipIf(reason !== null)('workbench (web mode, Chromium)', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let serverEnv: NodeJS.ProcessEnv;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let projectPath = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hclab-e2e-'));
    mkdirSync(SHOTS, { recursive: true });
    serverEnv = {
      ...process.env,
      HCLAB_RECENT_FILE: join(dir, 'recent.json'),
      XDG_CONFIG_HOME: join(dir, 'config'),
    };
    server = await startServer(serverEnv, ['--root', dir]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Refused requests (the bad trace, the locked project) log "Failed to load resource";
    // anything else (a CSP violation, a Vue warning turned error) is a failure.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopServer(server.child);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** A 1280×800 screenshot; `scrolled` also scrolls the main pane to its end for a second one. */
  async function shot(name: string, scrolled = false): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
    if (!scrolled) return;
    await page.locator('main').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.screenshot({ path: join(SHOTS, `${name}-end.png`), animations: 'disabled' });
    await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
  }

  /** Waits until the selected VM's edits are validated and stored. */
  async function saved(): Promise<void> {
    await expectText(page.getByTestId('vm-save-status'), 'All changes saved');
  }
  async function expectText(
    locator: ReturnType<Page['getByTestId']>,
    text: string,
    timeout = 30_000,
  ): Promise<void> {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  }

  it('runs an MRC comparison from a new project and shows the results', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Project', exact: true }).waitFor();
    // The token moved to an HttpOnly cookie: the address bar no longer shows it.
    await page.waitForFunction("!location.search.includes('token')");
    expect(page.url()).not.toContain('token');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name.startsWith('hclab_token_'))).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await shot('01-start');

    // A new project in the temp dir.
    projectPath = join(dir, 'study.hclab');
    await page.getByLabel('New project file path').fill(projectPath);
    await page.getByTestId('create-project').click();
    await page.getByRole('heading', { name: 'VMs & workloads' }).waitFor();

    // vm1: a zipf generator (the default), with a smaller guest memory.
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm1').waitFor();
    const v = page.getByLabel('Guest memory V (pages)');
    await v.fill('800');
    await v.press('Tab');
    await saved();

    // A validation error is shown next to its field, and fixed.
    const refs = page.getByLabel('References');
    await refs.fill('-5');
    await refs.press('Tab');
    await page.locator('[data-field$="-workload-refs"] [role="alert"]').waitFor();
    await refs.fill('20000');
    await refs.press('Tab');
    await saved();

    // vm2: a preset (its title and rationale are shown), then a hot/cold generator.
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm2').waitFor();
    await page.getByRole('radio', { name: 'preset' }).check({ force: true });
    await page.getByTestId('preset-info').waitFor();
    await saved();
    await shot('02a-vm-preset');
    await page.getByRole('radio', { name: 'hotcold' }).check({ force: true });
    await page.getByLabel('Hot pages').waitFor();
    await saved();

    // vm3: a real trace (the shipped multi3 sample, gzip) imported into the project.
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm3').waitFor();
    await page.getByRole('radio', { name: 'Trace file' }).check({ force: true });
    await page.getByLabel('Import a trace file into the project').setInputFiles(TRACE);
    await expectText(page.getByTestId('trace-format'), 'lirs', 60_000);
    expect(await page.getByTestId('trace-records').locator('tbody tr').count()).toBeGreaterThan(0);
    await saved();
    expect(await page.getByTestId('vm-item-vm3').textContent()).toContain('trace embedded:');
    await shot('02b-vms-trace', true);

    // Run the comparison of all three VMs with every method.
    await page.getByTestId('nav-experiments').click();
    await page.getByRole('heading', { name: 'Experiments & runs' }).waitFor();
    for (const name of ['vm1', 'vm2', 'vm3'])
      expect(await page.getByRole('checkbox', { name }).isChecked()).toBe(true);
    await page.getByTestId('run-experiment').click();
    await page.getByTestId('run-queue').locator('[data-state]').first().waitFor();
    await shot('03-experiment-running');
    await page
      .getByTestId('run-queue')
      .locator('[data-state="done"]')
      .first()
      .waitFor({ timeout: 180_000 });
    await shot('04-experiment-done');

    // Results: one chart per VM and an MAE row per VM.
    await page.getByTestId('nav-results').click();
    await checkResults();
    await shot('05-results', true);

    // Hovering shows the values; the wheel zooms; Reset zoom restores the original view.
    const canvas = page.getByTestId('mrc-chart-vm1').locator('canvas');
    const box = (await canvas.boundingBox())!;
    const original = await canvas.screenshot({ animations: 'disabled' });
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.4);
    await shot('05b-tooltip');
    await page.mouse.wheel(0, -600);
    await page.mouse.move(box.x - 100, box.y - 100);
    const zoomed = await canvas.screenshot({ animations: 'disabled' });
    expect(zoomed.equals(original)).toBe(false);
    await page.getByTestId('reset-zoom').click();
    await page.mouse.move(box.x - 100, box.y - 100);
    const reset = await canvas.screenshot({ animations: 'disabled' });
    expect(reset.equals(original)).toBe(true);

    // The log memory axis (reached with the keyboard: arrow keys move within the radio group).
    await page.getByRole('radio', { name: 'linear' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'log' }).isChecked()).toBe(true);
    await shot('06-results-log');

    // Reload: the service kept the project open; the results are found again.
    await page.reload();
    if ((await page.getByTestId('nav-project-name').textContent())?.includes('No project'))
      await page.getByRole('button', { name: `Open ${projectPath}` }).click();
    await page.getByTestId('nav-results').click();
    await checkResults();
    await shot('07-results-after-reload');

    // A second run of the experiment, compared side by side with the first.
    await page.getByTestId('nav-experiments').click();
    await page.getByTestId('run-experiment').click();
    await page
      .getByTestId('run-queue')
      .locator('[data-state="done"]')
      .nth(1)
      .waitFor({ timeout: 180_000 });
    await page.getByTestId('nav-results').click();
    await page.getByLabel('Compare side by side with').selectOption({ index: 2 });
    await page.locator('[data-testid^="run-results-"]').nth(1).waitFor();
    expect(await page.locator('[data-testid^="mrc-chart-"] canvas').count()).toBe(6);
    await shot('08-results-side-by-side');

    // A bad trace is refused with a readable error naming the file and line.
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1\n2\nxyz\n4\n');
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('vm-item-vm1').click();
    await page.getByRole('radio', { name: 'Trace file' }).check({ force: true });
    await page.getByLabel('Import a trace file into the project').setInputFiles(bad);
    const alert = page.getByTestId('trace-error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/bad\.txt line 3: expected/);
    await shot('09-bad-trace');

    // A very long VM name is ellipsized and never widens the layout.
    await page.getByTestId('add-vm').click();
    await page.getByTestId('vm-item-vm4').waitFor();
    const longName = `vm-with-a-very-long-name-${'x'.repeat(120)}`;
    await page.getByLabel('Name', { exact: true }).fill(longName);
    await saved();
    await page.getByTestId(`vm-item-${longName}`).waitFor();
    const overflow = await page.locator('main').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('10-long-name');

    // The project view: the open project, save-as and the recent list.
    await page.getByTestId('nav-project').click();
    await page.getByTestId('recent-projects').waitFor();
    await shot('10b-project-open');

    // Another instance holds the project: LOCKED is explained and read-only is offered.
    await page.getByTestId('close-project').click();
    await page.getByTestId('create-project').waitFor();
    const other = await startServer(
      { ...serverEnv, HCLAB_RECENT_FILE: join(dir, 'recent2.json') },
      ['--root', dir, projectPath],
    );
    try {
      await page.getByRole('button', { name: `Open ${projectPath}` }).click();
      const error = page.getByTestId('project-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('another HCLab instance');
      await shot('11-project-locked');
      await page.getByRole('button', { name: 'Open read-only' }).click();
      await page.getByTestId('nav-project-name').getByText('study').waitFor();
      await page.getByText('read-only', { exact: true }).first().waitFor();
      await page.getByTestId('nav-results').click();
      await checkResults();
    } finally {
      await stopServer(other.child);
    }

    expect(pageErrors).toEqual([]);
  }, 300_000);

  async function checkResults(): Promise<void> {
    await page.getByRole('heading', { name: /Results/ }).waitFor();
    for (const name of ['vm1', 'vm2', 'vm3']) {
      const chart = page.getByTestId(`mrc-chart-${name}`).locator('canvas');
      await chart.waitFor({ state: 'visible' });
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(box?.height).toBeGreaterThan(150);
    }
    const rows = page.getByTestId('mae-table').locator('tbody tr');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    // Disk I/O with the cache and with V + C guest pages and no cache, per VM.
    const io = page.getByTestId('io-row-vm1').locator('td');
    expect(await io.nth(0).textContent()).toMatch(/^V=\d+ C=\d+$/);
    expect(Number((await io.nth(1).textContent())?.replace(/,/g, ''))).toBeGreaterThanOrEqual(0);
    // ESX is scored against the working set it estimates, shown with its chart.
    expect(await page.getByTestId('esx-chart-vm1').getByTestId('esx-score').textContent()).toMatch(
      /vs true working set: mean [\d.]+ %, max [\d.]+ %/,
    );
  }
});
