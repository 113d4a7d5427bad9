/** Starts and stops `hclab serve` and Debian's Chromium for the end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/main/cli/hclab.js');

/** Starts `hclab serve` and resolves with the URL from its first stdout line. */
export function startServer(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const url = /https?:\/\/\S+/.exec(line)?.[0];
      if (url === undefined) reject(new Error(`unexpected first line from hclab serve: ${line}`));
      else resolveUrl({ child, url });
    });
    child.once('exit', (code) =>
      reject(new Error(`hclab serve exited (${code}) before printing its URL: ${stderr}`)),
    );
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Debian's Chromium (the e2e tests skip with a reason where it is missing). */
export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Why the end-to-end test `what` cannot run here (no Chromium, no build), printed once as
 * "skipping the WHAT end-to-end test: …"; null when it can.
 */
export function e2eSkipReason(what: string): string | null {
  const reason = !existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing (apt-get install chromium)`
    : !existsSync(CLI)
      ? 'the build is missing (run npm run build)'
      : null;
  if (reason !== null) console.warn(`skipping the ${what} end-to-end test: ${reason}`);
  return reason;
}

/**
 * The workbench at `url` in a new browser context that accepts downloads, with every page error
 * and console error collected into `errors` (tests end by expecting it empty).
 */
export async function openWorkbench(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, errors };
}
