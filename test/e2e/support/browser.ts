/** Debian's Chromium through playwright-core, headless, on a throwaway profile. */
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../../support/chromium';
import { tempDir } from '../../support/paths';

export { CHROMIUM_MISSING } from '../../support/chromium';
export const hasChromium = chromiumPath !== undefined;

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far (CSP violations land here too). */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const profileDir = tempDir('studio-chromium-');
  const context = await launchChromium(profileDir);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    // A failed request is reported with its address by the response listener below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${new URL(response.url()).pathname}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
