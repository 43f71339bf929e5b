// The shape of every console e2e file: a story of steps that build on each
// other (after a failure the rest are skipped, and every open page is
// photographed), and `record`, which photographs a settled page and fails
// on any accessibility problem axe-core finds or any Content-Security-Policy
// violation the console caused.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { accessibilityProblems } from './axe.mjs';
import { screenshot, settled } from './browser.mjs';

/**
 * `prefix` names the screenshots (test-results/e2e/PREFIX-NN-name.png);
 * `pages()` answers the open pages by person, for the failure screenshots;
 * `cspViolations`, when given, is the list the file's console listeners fill.
 */
export function story(prefix, { pages, cspViolations } = {}) {
  let failed = false;
  let shot = 0;

  function step(name, body) {
    it(name, async (t) => {
      if (failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await body();
      } catch (error) {
        failed = true;
        for (const [who, page] of Object.entries(pages?.() ?? {})) {
          if (page) await screenshot(page, `${prefix}-failure-${who}`).catch(() => {});
        }
        throw error;
      }
    });
  }

  async function record(page, name) {
    // Scan a settled page: no Select list still open or fading out.
    await page.waitForFunction(() => [...document.querySelectorAll('.ant-select-dropdown')]
      .every((popup) => popup.classList.contains('ant-select-dropdown-hidden') || getComputedStyle(popup).display === 'none'));
    shot += 1;
    await screenshot(page, `${prefix}-${String(shot).padStart(2, '0')}-${name}`);
    await settled(page);
    const problems = await accessibilityProblems(page);
    if (problems.length > 0) assert.fail(`accessibility problems on ${name}:\n${problems.join('\n')}`);
    if (cspViolations) assert.deepEqual(cspViolations, [], 'the console broke its Content-Security-Policy');
  }

  /** Records `page` as a 390 px wide phone shows it, then restores the viewport. */
  async function recordAtPhoneWidth(page, name) {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await record(page, `${name}-390`);
    } finally {
      await page.setViewportSize(viewport);
    }
  }

  return { step, record, recordAtPhoneWidth };
}
