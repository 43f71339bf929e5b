// What a tester's walk through the console at 1280 and 390 px found, against
// a real `roster serve`: a stale "Who can see" on a lead no longer his to see,
// pages that did not fit a phone (API keys; Org users and an assistant's
// Users, whose rows did not say whose they were), the last admin's reasons
// that only a hover showed, the words a deactivated member meets on signing
// in, and an admin's own row still reading "Org admin" after a 403.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { launch } from './lib/browser.mjs';
import { story } from './lib/story.mjs';
import { apiAs, expectToast, menuClosed, navigate, row, rowAction, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
const JOINED_PASSWORD = 'copper-meadow-signal-orchid-731';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 860 };

let roster;
let base;
let browser;
let page;
const others = {};
const ids = {};

const scene = story('phone-and-stale', {
  pages: () => ({ ada: page, ...Object.fromEntries(Object.entries(others).map(([who, { page: theirs }]) => [who, theirs])) }),
});
const { step } = scene;

const api = (method, path, body) => apiAs(page, base, method, path, body);

/** `email` signs in, in a browser of his own, with his invitation's one-time
 *  password, sets a password and lands on Org users. */
async function signInAs(who, email) {
  const theirs = await launch();
  const theirPage = await theirs.context.newPage();
  others[who] = { browser: theirs, page: theirPage };
  await signIn(theirPage, base, email, await roster.oneTimePasswordFor(email));
  await theirPage.waitForURL(/\/password$/);
  await setNewPassword(theirPage, JOINED_PASSWORD);
  await theirPage.waitForURL(/\/orgs\/1\/users$/);
  return theirPage;
}

/** At 390 px, what runs out of the window or is cut inside its box without
 *  an ellipsis, of the elements `selector` finds. */
function cutOnPhone(where, selector) {
  return where.evaluate((wanted) => [...document.querySelectorAll(wanted)].filter((element) => {
    const box = element.getBoundingClientRect();
    const clipped = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).textOverflow !== 'ellipsis';
    return box.left < -1 || box.right > window.innerWidth + 1 || clipped;
  }).map((element) => element.textContent.slice(0, 60)), selector);
}

describe('phone widths and stale pages', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
    ids.outbound = (await api('POST', '/orgs/1/assistants', { name: 'Outbound' })).id;
    for (const [who, name, email, role] of [['hana', 'Hana Heir', 'hana@acme.test', 'user'],
                                             ['erin', 'Erin Early', 'erin.early.with.a.long.address@acme.test', 'user'],
                                             ['carl', 'Carl Closer', 'carl@acme.test', 'admin'],
                                             ['fay', 'Fay Pending', 'fay@acme.test', 'user']]) {
      ids[who] = (await api('POST', '/orgs/1/invitations', { name, email, role, assistant_ids: role === 'user' ? [ids.outbound] : [] })).user_id;
    }
    await api('PATCH', `/orgs/1/assistants/${ids.outbound}/users/${ids.hana}`, { is_manager: true });
    ids.olga = (await api('POST', '/orgs/1/leads', { name: 'Olga Outfirst', email: 'olga@prospect.test',
                                                     assistant_id: ids.outbound, owner_id: ids.erin })).id;
    await api('POST', '/orgs/1/leads', { name: 'Hugo Own', email: 'hugo@prospect.test', assistant_id: ids.outbound, owner_id: ids.hana });
  });

  after(async () => {
    for (const { browser: theirs } of Object.values(others)) await theirs.close().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('"Who can see" on a lead he may no longer see closes, says so and reloads the list, as Reassign does', async () => {
    const hana = await signInAs('hana', 'hana@acme.test');
    await navigate(hana, 'Leads');
    await hana.getByText('Your own leads, and every lead of the assistants you manage.').waitFor();
    await waitForTableIdle(hana);
    await row(hana, 'Olga Outfirst').waitFor();
    await api('PATCH', `/orgs/1/assistants/${ids.outbound}/users/${ids.hana}`, { is_manager: false });
    await hana.getByRole('button', { name: 'Who can see Olga Outfirst', exact: true }).click();
    await hana.getByRole('alert').filter({ hasText: 'Olga Outfirst is no longer visible to you' }).waitFor();
    await hana.getByRole('dialog', { name: 'Who can see this lead and why' }).waitFor({ state: 'hidden' });
    await hana.getByText('The leads you own.').waitFor();
    await row(hana, 'Olga Outfirst').waitFor({ state: 'detached' });
    await waitForTableIdle(hana);
    await row(hana, 'Hugo Own').waitFor();
    await scene.record(hana, 'who-can-see-gone');
  });
  step('at 390 px API keys fits the window: the scopes, the SCIM base URL and the empty list wrap', async () => {
    await page.setViewportSize(PHONE);
    try {
      await page.goto(`${base}/orgs/1/api-keys`);
      const empty = page.getByText('No API keys yet.', { exact: false });
      await empty.waitFor();
      await page.getByTestId('scim-base-url').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px screen`);
      assert.deepEqual(await cutOnPhone(page, '.scope-legend dd, .scope-legend code, .api-keys-table .empty-state'), [],
                       'a text runs out of the window or is cut');
      await scene.record(page, 'api-keys-390');
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  });
});
