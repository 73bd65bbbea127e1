// Chromium for the UI tests: launched headless through playwright-core, with
// screenshots written to .test-results/screenshots/<page>.png for a person to
// look at (not committed).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot, requireInfra } from '../helpers/index.js';

/** Where the master serves the UI from (built by vite). */
export const uiBuildDir = join(repoRoot, 'packages', 'master', 'lib', 'ui');

/** Where the screenshots go. */
export const screenshotDir = join(repoRoot, '.test-results', 'screenshots');

/**
 * Launches Chromium (with `extraArgs`), or skips the test (fails in CI) when it is missing.
 * Throws with the build command when the UI is not built.
 */
export async function launchChromium(
  ctx: Pick<Mocha.Context, 'skip'>,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  const executablePath = requireInfra(ctx, 'chromium');
  if (!existsSync(join(uiBuildDir, 'index.html'))) {
    throw new Error(
      `the web UI is not built (no ${uiBuildDir}/index.html): ` +
        'cd packages/master && npx tsc -p ui --noEmit && npx vite build --config ui/vite.config.ts',
    );
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

/** A page that fails the test on an uncaught error in the UI. */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
  return page;
}

/** Writes `<name>.png` of the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Resolves once the page's feed is live (a snapshot from the leader arrived). */
export async function waitLive(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: timeoutMs });
}

/** The numeric `data-value` of an element (the overview's figures carry one). */
export async function dataValue(page: Page, testId: string): Promise<number> {
  const v = await page.getByTestId(testId).getAttribute('data-value');
  return Number(v);
}
