/**
 * A {@link PdfPrinter} on headless Chromium (playwright-core with the system's browser): the HTML
 * is set as the page's content (it loads nothing) and printed with its backgrounds; charts stay
 * vector (inline SVG). One browser for every page printed; close() ends it.
 */
import type { Browser } from 'playwright-core';
import type { PdfPrinter } from '../write-report.js';
import { findChromium } from './find-chromium.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export class ChromiumPdfPrinter implements PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(readonly executablePath: string) {}

  private launch(): Promise<Browser> {
    // playwright-core costs about half a CPU second to load: only when a PDF is printed, not at
    // every start of the CLI.
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: this.executablePath, headless: true, args: CHROMIUM_ARGS }),
    );
    return this.browser;
  }

  async print(html: string, paper: 'A4' | 'Letter'): Promise<Uint8Array> {
    const browser = await this.launch();
    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      // Nothing may be fetched: the report is self-contained.
      await page.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      );
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: paper, printBackground: true, outline: true });
      return new Uint8Array(pdf);
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b !== null) await (await b).close();
  }
}

/** A printer on the system's Chromium, or null when none is installed. */
export function systemPdfPrinter(): ChromiumPdfPrinter | null {
  const exe = findChromium();
  return exe === null ? null : new ChromiumPdfPrinter(exe);
}
