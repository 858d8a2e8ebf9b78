/** Finds Debian's (or any installed) Chromium for the end-to-end tests and launches it headless. */
import fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const chromiumPath: string | undefined = [process.env.STUDIO_CHROMIUM, ...CANDIDATES].find(
  (candidate): candidate is string => !!candidate && fs.existsSync(candidate),
);

if (!chromiumPath && process.env.STUDIO_REQUIRE_E2E === '1') {
  throw new Error('End-to-end tests are required here but no Chromium was found: apt-get install chromium, or set STUDIO_CHROMIUM.');
}

export const CHROMIUM_MISSING = 'no Chromium found (apt-get install chromium, or set STUDIO_CHROMIUM): end-to-end tests skipped';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(profileDir: string): Promise<BrowserContext> {
  if (!chromiumPath) throw new Error(CHROMIUM_MISSING);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
}
