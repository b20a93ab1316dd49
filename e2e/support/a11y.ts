/** axe-core scans and documentation screenshots for the popup and call window e2e suites. */
import type { Locator, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../docs/screenshots');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on the page as it is now and returns the
 * violations, one readable line each. Extension pages forbid inline scripts (MV3 CSP), so
 * Playwright's addScriptTag cannot inject axe; the source is evaluated over CDP instead, which
 * the page's CSP does not govern.
 */
export async function axeViolations(page: Page, what: string): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations;
  })) as AxeViolation[];
  return violations.map(
    (violation) => `${what}: ${violation.id} (${violation.impact ?? '?'}) ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 4).join(', ')}`,
  );
}

/**
 * A PNG of `target` (kept small: only the element, at device scale 1). Test runs write to .tmp/ so
 * they never dirty the work tree; `UPDATE_SCREENSHOTS=1` refreshes the README's docs/screenshots.
 */
export async function saveScreenshot(target: Locator | Page, name: string): Promise<void> {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? SCREENSHOT_DIR : resolve(import.meta.dirname, '../../.tmp/screenshots');
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: resolve(dir, name), animations: 'disabled', caret: 'hide' });
}
