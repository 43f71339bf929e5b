// The console's forms and menus with the keyboard, end to end against a real
// `roster serve` (the accessibility walk's F6, F7, F10, F11, F13, F16 and
// the page titles of F18): a refused sign-in, a refused new password and a
// wrong two-factor code leave the focus in the field, not on the page's
// body; a new password set, the recovery codes shown and "I have saved
// them" put it where the page continues; Escape on the account menu at
// 390 px gives it back to the menu's button; the collapsed sider's focus
// ring is not clipped; text fields and selects have a 3 px focus ring;
// permanent notices are not alerts; each page has its own window title.
//
// Each step goes on to its end whatever it finds, and then fails with the
// list of what was wrong: a focus lost in one step does not hide what the
// next steps check (the flow itself sets the focus where it must go on).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { apiAs, navigate, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';

let roster;
let base;
let adaOtp;
let browser;
let page;

/** RFC 4648 base32 to bytes. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The current code of an authenticator app (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const number = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16)
    | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(number % 1_000_000).padStart(6, '0');
}

/**
 * A step that notes what is wrong in `problems` (see `expect*` below) and
 * fails at its end with all of them; a thrown error fails it at once. Every
 * step runs, and photographs the page when it fails.
 */
function step(name, body) {
  it(name, async () => {
    const problems = [];
    try {
      await body(problems);
      assert.deepEqual(problems, [], `${name}: ${problems.length} problem(s)`);
    } catch (error) {
      await screenshot(page, `keyboard-forms-failure-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
      throw error;
    }
  });
}

/** Waits (up to 3 s) for `condition` in the page; notes `problem` if it never holds. */
async function expectSoon(problems, problem, condition, arg) {
  try {
    await page.waitForFunction(condition, arg, { timeout: 3000 });
  } catch {
    const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 100) ?? 'null');
    problems.push(`${problem} (the focus is on ${where}; the title is "${await page.title()}")`);
  }
}

async function expectFocus(problems, locator, what) {
  const element = await locator.elementHandle();
  await expectSoon(problems, `the focus is not on ${what}`, (target) => document.activeElement === target, element);
}

async function expectTitle(problems, title) {
  await expectSoon(problems, `the window's title is not "${title}"`, (expected) => document.title === expected, title);
}

/** A focused field's ring: on its wrapper (a password's eye, a search's
 *  clear button, a select) where it has one. At least 2 px, as buttons' 3 px. */
async function expectRing(problems, locator, what) {
  const ring = await locator.evaluate((field) => {
    const host = field.closest('.ant-input-affix-wrapper, .ant-select, .ant-input-number') ?? field;
    const style = getComputedStyle(host);
    return { focused: document.activeElement === field, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  if (!ring.focused || ring.style === 'none' || ring.width < 2) {
    problems.push(`${what} has no focus ring: ${JSON.stringify(ring)}`);
  }
}

/** Notes `what` if `locator` (an antd Alert) is, or is inside, a role=alert. */
async function expectNotAlert(problems, locator, what) {
  if (await locator.evaluate((notice) => notice.closest('[role="alert"]') !== null)) {
    problems.push(`${what} is a role=alert, announced on every visit`);
  }
}

/** Presses `key` until `locator` has the focus, at most `times` times. */
async function pressUntil(key, locator, times) {
  const element = await locator.elementHandle();
  for (let i = 0; i < times; i += 1) {
    if (await page.evaluate((target) => document.activeElement === target, element)) return true;
    await page.keyboard.press(key);
  }
  return page.evaluate((target) => document.activeElement === target, element);
}

describe('Keyboard and screen readers on the forms and menus', () => {
  before(async () => {
    roster = await Roster.start();
    adaOtp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    browser = await launch({ viewport: { width: 1280, height: 800 } });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('sign-in: a refused password leaves the focus in the password field', async (problems) => {
    await page.goto(`${base}/login`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectTitle(problems, 'Sign in · Roster');
    const email = page.getByLabel('E-mail');
    const password = page.getByLabel('Password', { exact: true });
    await page.waitForFunction((field) => document.activeElement === field, await email.elementHandle());
    await expectRing(problems, email, 'the e-mail field');
    await page.keyboard.type('ada@acme.test');
    await page.keyboard.press('Tab');
    await page.waitForFunction((field) => document.activeElement === field, await password.elementHandle());
    await page.keyboard.type('not-her-password-0');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The e-mail or password is not correct.' }).waitFor();
    await expectFocus(problems, password, 'the password field after the refusal');
    await expectRing(problems, password, 'the password field');
  });

  step('a refused new password leaves the focus in its field; once set, the console has it in its main content', async (problems) => {
    await page.getByLabel('Password', { exact: true }).fill(adaOtp);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/password$/);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await expectTitle(problems, 'Set a new password · Roster');
    const fresh = page.getByLabel('New password', { exact: true });
    const repeat = page.getByLabel('Repeat the new password');
    // Refused by the server (too short), not by the form.
    await fresh.fill('short');
    await repeat.fill('short');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    await expectFocus(problems, repeat, 'the repeated password after the refusal');
    await fresh.fill(PASSWORD);
    await repeat.fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/orgs\/1\/users$/);
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    // Where "Skip to content" sends it, not the body.
    await expectSoon(problems, 'the focus is not on the main content after the password was set',
                     () => document.activeElement?.id === 'main');
    await expectTitle(problems, 'Org users · Acme Sales · Roster');
    await waitForTableIdle(page);
  });

  step('at 390 px, Escape on the account menu gives the focus back to its button, and the sider shows its focus ring', async (problems) => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.locator('.console-sider.ant-layout-sider-collapsed').waitFor();
      const account = page.getByRole('button', { name: 'Ada Admin, account menu' });
      await account.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: 'Change password' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
      await page.keyboard.press('Escape');
      await expectFocus(problems, account, 'the account-menu button after Escape');

      // Back through the header to the sider's links, icons only.
      await account.focus();
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistants' });
      assert.ok(await pressUntil('Shift+Tab', link, 15), 'Shift+Tab never reached the sider\'s Assistants link');
      const ring = await link.evaluate((anchor) => {
        // The element that draws the ring, and whether any clipping ancestor cuts it.
        const host = [anchor, anchor.closest('li')].find((element) => {
          const style = getComputedStyle(element);
          return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        });
        if (!host) return { host: null };
        const style = getComputedStyle(host);
        const grow = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
        const box = host.getBoundingClientRect();
        const outer = { left: box.left - grow, right: box.right + grow, top: box.top - grow, bottom: box.bottom + grow };
        const clippedBy = [];
        for (let parent = host.parentElement; parent; parent = parent.parentElement) {
          const clip = getComputedStyle(parent);
          if (clip.overflowX === 'visible' && clip.overflowY === 'visible') continue;
          const edge = parent.getBoundingClientRect();
          if (outer.left < edge.left - 0.5 || outer.right > edge.right + 0.5
              || outer.top < edge.top - 0.5 || outer.bottom > edge.bottom + 0.5) clippedBy.push(parent.tagName + '.' + parent.className);
        }
        return { host: host.tagName, clippedBy };
      });
      if (!ring.host || ring.clippedBy.length > 0) problems.push(`the Assistants link's focus ring is not seen: ${JSON.stringify(ring)}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  step('the search box and the filters of Org users have a 3 px focus ring', async (problems) => {
    const search = page.getByLabel('Search members by name or e-mail');
    await search.focus();
    await expectRing(problems, search, 'the search box');
    const role = page.getByRole('combobox', { name: 'Filter by role' });
    assert.ok(await pressUntil('Tab', role, 6), 'Tab never reached "Filter by role"');
    await expectRing(problems, role, 'the role filter');
  });

  step('Settings: the notice that she needs two-factor herself is page text, not an alert', async (problems) => {
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    const own = page.getByTestId('require-mfa-own');
    await own.getByText('Turn on two-factor sign-in for yourself first').waitFor();
    await expectNotAlert(problems, own, '"Turn on two-factor sign-in for yourself first"');
    await expectTitle(problems, 'Settings · Acme Sales · Roster');
  });

  step('Security: a wrong code, the recovery codes and "I have saved them" keep the focus on the page', async (problems) => {
    await page.getByRole('button', { name: 'Ada Admin, account menu' }).click();
    await page.getByRole('menuitem', { name: 'Security' }).click();
    await page.waitForURL(/\/security$/);
    await expectTitle(problems, 'Security · Roster');
    const setUp = page.getByRole('button', { name: 'Set up two-factor sign-in' });
    await setUp.focus();
    await page.keyboard.press('Enter');
    const code = page.getByLabel('Code from the app');
    await page.waitForFunction((field) => document.activeElement === field, await code.elementHandle());
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    const right = totp(secret);
    await page.keyboard.type(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: /not correct/ }).waitFor();
    await expectFocus(problems, code, 'the code field after a wrong code');

    await code.fill(right);
    await page.keyboard.press('Enter');
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    await expectFocus(problems, list, 'the recovery codes once shown');

    const saved = page.getByRole('button', { name: 'I have saved them' });
    if (!(await pressUntil('Tab', saved, 4))) {
      problems.push('Tab from the recovery codes does not reach "I have saved them"');
      await saved.focus();
    }
    await page.keyboard.press('Enter');
    const on = page.getByText('Two-factor sign-in is on. 10 recovery codes left.');
    await on.waitFor();
    await expectSoon(problems, 'the focus is not on "Two-factor sign-in is on." after "I have saved them"',
                     () => document.activeElement !== document.body
                       && document.activeElement?.textContent.includes('Two-factor sign-in is on. 10 recovery codes left.'));
    await expectNotAlert(problems, on, '"Two-factor sign-in is on. 10 recovery codes left."');

    // With Acme Sales requiring it, Turn off warns first: page text too.
    await apiAs(page, base, 'PATCH', '/orgs/1/settings', { require_mfa: true });
    await page.reload();
    const warning = page.getByTestId('turn-off-warning');
    await warning.getByText('Acme Sales requires two-factor sign-in').waitFor();
    await expectNotAlert(problems, warning, 'the Turn off warning');
  });
});
