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

/**
 * A persistent context on a fresh user-data-dir; close() removes the dir.
 * The tests' browser asks for reduced motion, so nothing is half faded when
 * it is photographed or scanned; the console must honour that.
 */
export async function launch({ viewport = { width: 1366, height: 860 }, reducedMotion = 'reduce' } = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'roster-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion,
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
 * In the page: what is moving now, other than endless spinners; with
 * `untilDone`, it also waits for those animations to end.
 */
export async function runningMotion(untilDone = false) {
  const moving = document.getAnimations()
    .filter((animation) => animation.playState === 'running'
      && animation.effect?.getComputedTiming().iterations !== Infinity);
  if (untilDone) await Promise.all(moving.map((animation) => animation.finished.catch(() => {})));
  return moving.map((animation) => `${animation.animationName ?? animation.transitionProperty} on .${
    String(animation.effect?.target?.className ?? '').split(' ').join('.')}`);
}

/**
 * Waits until nothing moves (spinners aside): a popup half faded in or out
 * has colours no one reads, and an accessibility scan would measure them.
 */
export async function settled(page) {
  for (let round = 0; (await page.evaluate(runningMotion, true)).length > 0; round += 1) {
    if (round === 20) throw new Error('the page keeps moving');
  }
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await settled(page);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
