import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package (what `.ci/run` installs) puts the browser; `CHROMIUM_PATH` overrides. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
  if (!found) {
    throw new Error('the console tests need Chromium: install the Debian package (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH');
  }
  return found;
}

/**
 * A headless Chromium of the machine's own (no browser download), with a fresh profile (Playwright makes
 * one per launch) and nothing that calls home: a test must not depend on the network.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
