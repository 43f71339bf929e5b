// What a person does in the console, as small steps over Playwright locators.
import assert from 'node:assert/strict';

/** Signs in on /login; `expectPath` is where the console should land. */
export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** On the "set a new password" page: types the new password twice and submits. */
export async function setNewPassword(page, password) {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the new password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
}

/** Waits for a toast containing `text`. */
export async function expectToast(page, text) {
  await page.locator('.ant-message-notice', { hasText: text }).first().waitFor();
}

/** The table row that mentions `text` (a name or an e-mail). */
export function row(page, text) {
  return page.locator('.ant-table-tbody tr.ant-table-row', { hasText: text });
}

/** Opens a row's "Action" menu and chooses `item`. */
export async function rowAction(page, rowText, item) {
  await menuClosed(page);
  await row(page, rowText).getByRole('button', { name: /^Action/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Waits until no dropdown menu is on screen (a closing one may still animate). */
export async function menuClosed(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.ant-dropdown-menu-item')]
    .every((item) => !item.checkVisibility()));
}

/** Picks `optionText` in the antd Select labelled `label` (typing `search` first if given). */
export async function choose(page, select, optionText, search) {
  await select.click();
  if (search !== undefined) await select.pressSequentially(search, { delay: 20 });
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

/** The visible texts of the first cell of every body row (after the
 *  selection checkbox, where rows can be selected). */
export async function firstColumn(page) {
  await page.locator('.ant-table-tbody').first().waitFor();
  await waitForTableIdle(page);
  return page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(1 of :not(.ant-table-selection-column))').allInnerTexts();
}

/** Waits until the first column's texts (without " (you)") are exactly `expected`. */
export async function waitForRows(page, expected, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let seen = [];
  while (Date.now() < deadline) {
    seen = (await firstColumn(page)).map((text) => text.replace(' (you)', '').trim());
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, expected);
}

export async function waitForTableIdle(page) {
  await page.waitForFunction(() => !document.querySelector('.ant-table .ant-spin-spinning'));
}

export async function navigate(page, linkName) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: linkName }).click();
}

export function assertIncludesAll(list, expected, message) {
  for (const item of expected) assert.ok(list.some((entry) => entry.includes(item)), `${message}: missing ${item} in ${JSON.stringify(list)}`);
}

/** A request of the API as `page`'s signed-in person (its cookie); fails
 *  the test on any answer but 2xx, and answers the JSON (null for 204). */
export async function apiAs(page, baseUrl, method, path, body) {
  const response = await page.request.fetch(`${baseUrl}/api/v1${path}`, {
    method, data: body, headers: { 'X-Requested-With': 'roster' },
  });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Waits for the toast whose text matches `text`, and checks that its
 *  text stays inside its box and the box inside the window. */
export async function expectToastInBox(page, text) {
  const toast = page.locator('.ant-message-notice').filter({ hasText: text }).first();
  await toast.waitFor();
  assert.match((await toast.innerText()).trim(), text);
  const fit = await toast.evaluate((notice) => {
    const box = notice.getBoundingClientRect();
    const overflowing = [...notice.querySelectorAll('*')].filter((element) => {
      const inner = element.getBoundingClientRect();
      return inner.right > box.right + 1 || element.scrollWidth > element.clientWidth + 1;
    });
    return { right: box.right, width: window.innerWidth, overflowing: overflowing.map((element) => element.className) };
  });
  assert.ok(fit.right <= fit.width, `the toast runs off the window: ${fit.right} > ${fit.width}`);
  assert.deepEqual(fit.overflowing, [], 'the toast\'s text runs out of its box');
}

/** Waits for the focus to be on the element named `label` (its aria-label
 *  or its text), as a keyboard user expects after a dialog closes. */
export async function focusOn(page, label) {
  await page.waitForFunction((name) => {
    const active = document.activeElement;
    return active && (active.getAttribute('aria-label') === name || active.textContent.trim() === name);
  }, label, { timeout: 5000 }).catch(async () => {
    const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    throw new Error(`the focus is not on "${label}" but on ${where}`);
  });
}

/** Waits for the focus to be in the field whose id is `id`, as a dialog
 *  that opens in its first field puts it. */
export async function focusInField(page, id) {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 5000 }).catch(async () => {
    const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    throw new Error(`the focus is not in #${id} but on ${where}`);
  });
}
