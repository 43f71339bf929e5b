// Debian's Chromium driven by playwright-core (no downloaded browsers).
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A persistent context on a fresh user-data-dir; close() removes the dir. */
export async function launch({ viewport = { width: 1366, height: 860 } } = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'roster-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10000);
  return {
    context,
    /** A new, isolated browser (own cookies) for another person. */
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export const SCREENSHOT_DIR = path.resolve(new URL('../../../test-results/e2e', import.meta.url).pathname);

/**
 * Waits until no finite CSS animation or transition runs: a toast or popup
 * half faded in or out has colours no one reads, and an accessibility scan
 * would measure its contrast mid-fade. Endless ones (spinners) and the
 * 2-second click ripple (antd's wave, a box-shadow with no text) are ignored.
 */
export async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((animation) => animation.playState !== 'running'
      || animation.effect?.getComputedTiming().iterations === Infinity
      || animation.effect?.target?.classList?.contains('ant-wave')));
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await settled(page);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
