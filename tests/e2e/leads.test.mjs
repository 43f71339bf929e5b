// The Leads page's status filter, sortable columns, bulk "Reassign", the
// assistant page's "Move all leads to…" (holiday cover), and a lead's
// details, where its status and contact change, and a link to a lead one
// may not see ("Lead not found"), against a real `roster serve`. Every step
// saves a screenshot to test-results/e2e/ and checks the page, dialogs
// included, with axe-core. The steps build on each other; after a failure
// the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { launch, screenshot } from './lib/browser.mjs';
import { startAcmeWithAda } from './lib/acme.mjs';
import { story } from './lib/story.mjs';
import {
  apiAs, choose, expectToast, expectToastInBox, focusOn, menuClosed, navigate, row, rowAction, setNewPassword, signIn,
  waitForRows, waitForTableIdle,
} from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
// name, status, owner
const LEADS = [
  ['Kurt Kunde', 'won', 'bea'], ['Anna Alpha', 'new', 'bea'], ['Zoe Zulu', 'contacted', 'bea'],
  ['Mia Mill', 'won', 'carl'], ['Lena Lost', 'lost', 'carl'], ['Otto Offen', 'qualified', 'carl'],
];

let roster;
let base;
let browser;
let page;
let hanaBrowser;
let hana;
const ids = {};

const scene = story('leads', { pages: () => ({ admin: page, hana }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

/** A request of the API as the signed-in admin (her cookie). */
const api = (method, path, body) => apiAs(page, base, method, path, body);

async function ownersByName() {
  const owners = {};
  for (const lead of (await api('GET', '/orgs/1/leads?limit=200')).items) owners[lead.name] = lead.owner_name;
  return owners;
}

/** Clicks `column`'s header and waits for the list the server sorted by
 *  `sort` (null: the default order) to be shown: the table turns busy only
 *  after the click's render, so waiting for it to be idle alone could read
 *  the rows of the previous order. */
async function sortBy(column, sort) {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/v1/orgs/1/leads' && url.searchParams.get('sort') === sort;
  });
  await page.locator('.ant-table-thead th', { hasText: column }).first().click();
  await answered;
  await waitForTableIdle(page);
}

describe('leads: status filter, sorting, bulk reassignment, holiday cover', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
    ids.ada = (await api('GET', '/me')).user.id;
    for (const [who, name] of [['bea', 'Bea Buyer'], ['carl', 'Carl Closer'], ['hana', 'Hana Heir']]) {
      ids[who] = (await api('POST', '/orgs/1/invitations', { email: `${who}@acme.test`, name })).user_id;
    }
    ids.assistant = (await api('POST', '/orgs/1/assistants', { name: 'Outbound EU' })).id;
    for (const who of ['bea', 'carl', 'hana']) await api('PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids[who]}`, {});
    for (const [name, status, owner] of LEADS) {
      const lead = await api('POST', '/orgs/1/leads', { name, email: 'lead@prospect.test', assistant_id: ids.assistant, owner_id: ids[owner] });
      if (status !== 'new') await api('PATCH', `/orgs/1/leads/${lead.id}`, { status });
    }
  });

  after(async () => {
    if (hanaBrowser) await hanaBrowser.close().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('the status filter narrows the list to the chosen statuses', async () => {
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForRows(page, ['Otto Offen', 'Lena Lost', 'Mia Mill', 'Zoe Zulu', 'Anna Alpha', 'Kurt Kunde']
      .map((name) => `${name}\nlead@prospect.test`));
    const filter = page.getByLabel('Filter by status');
    await choose(page, filter, 'Won');
    await choose(page, filter, 'Lost');
    await page.keyboard.press('Escape');
    await waitForRows(page, ['Lena Lost', 'Mia Mill', 'Kurt Kunde'].map((name) => `${name}\nlead@prospect.test`));
    await record('status-filter');
    await page.reload();  // filters start empty
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForRows(page, LEADS.map(([name]) => `${name}\nlead@prospect.test`).reverse());
  });

  step('sortable columns: by name both ways, by status in pipeline order, back to newest first', async () => {
    // Each order is waited for whole: the rows of the previous order may
    // still be on screen when the click returns.
    const sorted = (names) => waitForRows(page, names.map((name) => `${name}\nlead@prospect.test`));
    await sortBy('Lead', 'name');
    await sorted(['Anna Alpha', 'Kurt Kunde', 'Lena Lost', 'Mia Mill', 'Otto Offen', 'Zoe Zulu']);
    assert.equal(await page.locator('th[aria-sort="ascending"]', { hasText: 'Lead' }).count(), 1);
    await sortBy('Lead', '-name');
    await sorted(['Zoe Zulu', 'Otto Offen', 'Mia Mill', 'Lena Lost', 'Kurt Kunde', 'Anna Alpha']);
    await sortBy('Status', 'status');
    await sorted(['Anna Alpha', 'Zoe Zulu', 'Otto Offen', 'Kurt Kunde', 'Mia Mill', 'Lena Lost']);
    await record('sorted-by-status');
    await sortBy('Created', null);
    await sorted(['Otto Offen', 'Lena Lost', 'Mia Mill', 'Zoe Zulu', 'Anna Alpha', 'Kurt Kunde']);
  });

  step('several selected leads are reassigned in one go, confirmed by count and receiver', async () => {
    for (const name of ['Kurt Kunde', 'Anna Alpha', 'Mia Mill']) {
      await row(page, name).getByRole('checkbox', { name: `Select ${name}` }).check();
    }
    await page.getByRole('button', { name: 'Reassign 3 leads' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign 3 leads' });
    await dialog.waitFor();
    await dialog.getByText('Choose who takes over the 3 leads you selected on Outbound EU.').waitFor();
    await choose(page, dialog.getByLabel('New owner'), 'Hana Heir');
    await dialog.getByText('The 3 leads you selected go to Hana Heir.').waitFor();
    await record('bulk-reassign-dialog');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, '3 leads now belong to Hana Heir.');
    await dialog.waitFor({ state: 'detached' });
    const owners = await ownersByName();
    for (const name of ['Kurt Kunde', 'Anna Alpha', 'Mia Mill']) assert.equal(owners[name], 'Hana Heir', name);
    assert.equal(owners['Zoe Zulu'], 'Bea Buyer');
    assert.equal(owners['Lena Lost'], 'Carl Closer');
    await waitForTableIdle(page);
    assert.equal(await page.getByRole('button', { name: /^Reassign \d/ }).count(), 0, 'the selection is cleared');
    await record('after-bulk-reassign');
  });

  step('"Move all leads to…" on the assistant page moves all of Carl\'s leads there to Bea', async () => {
    await page.locator('.ant-table-tbody').getByRole('link', { name: 'Outbound EU' }).first().click();
    await page.getByRole('heading', { name: 'Outbound EU' }).waitFor();
    await waitForTableIdle(page);
    await rowAction(page, 'Carl Closer', 'Move all leads to…');
    const dialog = page.getByRole('dialog', { name: 'Move all of Carl Closer\'s leads' });
    await dialog.getByText('Carl Closer owns 2 leads on Outbound EU.', { exact: false }).waitFor();
    await choose(page, dialog.getByLabel('Move them to'), 'Bea Buyer');
    await dialog.getByText('Move all of Carl Closer\'s 2 leads on Outbound EU to Bea Buyer.').waitFor();
    await record('move-all-dialog');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, '2 leads of Carl Closer on Outbound EU went to Bea Buyer.');
    // The dialog opened from a menu item gone by now: the focus goes back to the row's Action button.
    await focusOn(page, 'Action for Carl Closer');
    const owners = await ownersByName();
    assert.equal(owners['Lena Lost'], 'Bea Buyer');
    assert.equal(owners['Otto Offen'], 'Bea Buyer');
    assert.equal(owners['Mia Mill'], 'Hana Heir', 'his lead that moved before stays');
    assert.ok(row(page, 'Carl Closer'), 'Carl stays on the assistant');
    await record('after-move-all');
  });
  step('a lead\'s details change its status and company; the list shows it at once, the audit log field by field', async () => {
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await page.getByRole('button', { name: 'Anna Alpha', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Anna Alpha' });
    const edit = drawer.getByRole('region', { name: 'Edit lead' });
    await page.waitForURL(/\/orgs\/1\/leads\?lead=\d+$/);
    await choose(page, edit.getByLabel('Status'), 'Contacted');
    await edit.getByLabel('Company').fill('Globex');
    await record('lead-edit');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'Lead Anna Alpha saved.');
    await row(page, 'Anna Alpha').getByText('Contacted', { exact: true }).waitFor();
    const anna = (await api('GET', '/orgs/1/leads?limit=200')).items.find((lead) => lead.name === 'Anna Alpha');
    assert.equal(anna.status, 'contacted');
    assert.equal(anna.company, 'Globex');
    const [updated] = (await api('GET', '/orgs/1/audit-events?action=lead_updated')).items;
    assert.deepEqual(updated.details.changes, { status: { from: 'new', to: 'contacted' }, company: { from: '', to: 'Globex' } });
    await edit.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'Nothing to save: no field was changed.');
    // The open lead is in the address: a reload keeps it open, Back closes it.
    await page.reload();
    await edit.waitFor();
    assert.equal(await edit.getByLabel('Company').inputValue(), 'Globex');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForURL(/\/orgs\/1\/leads$/);
    await page.getByRole('button', { name: 'Anna Alpha', exact: true }).click();
    await edit.waitFor();
    await page.goBack();
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForURL(/\/orgs\/1\/leads$/);
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    // On an assistant's page, the address opens the Leads tab and the drawer.
    await page.goto(`${base}/orgs/1/assistants/${ids.assistant}?lead=${anna.id}`);
    await edit.waitFor();
    await page.getByRole('tab', { name: 'Leads', selected: true }).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForURL(new RegExp(`/orgs/1/assistants/${ids.assistant}$`));
    // The audit log says what changed, field by field.
    await navigate(page, 'Audit log');
    const event = row(page, 'Lead updated').first();
    await event.waitFor();
    const said = await event.innerText();
    assert.match(said, /status: New → Contacted/);
    assert.match(said, /company: — → Globex/);
    await record('lead-updated-audit');
  });

  step('a long lead name, e-mail and company are cut with their full text as the title; Owner, Created and Action stay in view', async () => {
    const name = 'Acme Rockets with an extraordinarily long lead name that goes on and on and on for testing purposes';
    const email = 'procurement.department.purchasing.office@acme-rockets-international.example.test';
    const company = 'Acme Rockets International Holding and Subsidiaries of the Northern Hemisphere';
    await api('POST', '/orgs/1/leads', { name, email, company, assistant_id: ids.assistant, owner_id: ids.bea });
    await navigate(page, 'Leads');
    try {
      for (const viewport of [{ width: 1366, height: 768 }, { width: 1280, height: 800 }]) {
        await page.setViewportSize(viewport);
        await page.reload();
        await page.getByRole('heading', { name: 'Leads' }).waitFor();
        await waitForTableIdle(page);
        const long = row(page, name);
        for (const text of [name, email, company]) {
          const box = await long.getByTitle(text, { exact: true }).boundingBox();
          assert.ok(box.width <= 260, `"${text.slice(0, 20)}…" is ${box.width} px wide`);
        }
        const sideways = await page.locator('.ant-table-content').evaluate((table) => table.scrollWidth - table.clientWidth);
        assert.ok(sideways <= 1, `the table scrolls ${sideways} px sideways at ${viewport.width} px`);
        for (const lead of [name, 'Kurt Kunde']) {
          for (const button of [`Reassign ${lead}`, `Who can see ${lead}`]) {
            const box = await page.getByRole('button', { name: button, exact: true }).boundingBox();
            assert.ok(box.x + box.width <= viewport.width, `${button} ends at x=${box.x + box.width}, past ${viewport.width}`);
          }
        }
        await record(`long-lead-${viewport.width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('a deactivated member of the assistant is offered neither by Reassign nor by "Move all leads to…"', async () => {
    ids.eve = (await api('POST', '/orgs/1/invitations', { email: 'eve@acme.test', name: 'Eve Exiting' })).user_id;
    const eveBrowser = await launch();
    try {
      const eve = await eveBrowser.context.newPage();
      await signIn(eve, base, 'eve@acme.test', await roster.oneTimePasswordFor('eve@acme.test'));
      await eve.waitForURL(/\/password$/);
      await setNewPassword(eve, 'amber-canyon-falcon-ledger-204');
      await eve.waitForURL(/\/orgs\/1\/users$/);
    } finally {
      await eveBrowser.close();
    }
    await api('PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids.eve}`, {});
    await api('POST', `/orgs/1/members/${ids.eve}/deactivate`, {});
    const offered = async (dialog, label) => {
      await dialog.getByLabel(label).click();
      const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
      await options.first().waitFor();
      const texts = await options.allInnerTexts();
      await page.keyboard.press('Escape');
      return texts;
    };

    await navigate(page, 'Leads');
    await waitForTableIdle(page);
    await page.getByRole('button', { name: 'Reassign Kurt Kunde', exact: true }).click();
    const reassign = page.getByRole('dialog', { name: /Reassign/ });
    const owners = await offered(reassign, 'New owner');
    assert.ok(owners.some((text) => text.includes('Bea Buyer')), `Bea is not offered: ${owners}`);
    assert.ok(!owners.some((text) => text.includes('Eve Exiting')), `Eve is offered: ${owners}`);
    await record('reassign-without-deactivated');
    await reassign.getByRole('button', { name: 'Cancel' }).click();
    await reassign.waitFor({ state: 'hidden' });

    await page.locator('.ant-table-tbody').getByRole('link', { name: 'Outbound EU' }).first().click();
    await page.getByRole('heading', { name: 'Outbound EU' }).waitFor();
    await waitForTableIdle(page);
    await rowAction(page, 'Bea Buyer', 'Move all leads to…');
    const move = page.getByRole('dialog', { name: 'Move all of Bea Buyer\'s leads' });
    const receivers = await offered(move, 'Move them to');
    assert.ok(receivers.some((text) => text.includes('Hana Heir')), `Hana is not offered: ${receivers}`);
    assert.ok(!receivers.some((text) => text.includes('Eve Exiting')), `Eve is offered: ${receivers}`);
    await move.getByRole('button', { name: 'Cancel' }).click();
    await move.waitFor({ state: 'hidden' });
  });

  step('the toast naming a lead of 200 characters without a space wraps inside its box at 1280 px', async () => {
    const name = `Long${'N'.repeat(196)}`;
    const lead = await api('POST', '/orgs/1/leads', { name, email: 'long@prospect.test', assistant_id: ids.assistant, owner_id: ids.bea });
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await page.goto(`${base}/orgs/1/leads?lead=${lead.id}`);
      const edit = page.getByRole('dialog', { name }).getByRole('region', { name: 'Edit lead' });
      await edit.getByLabel('Company').fill('Initech');
      await edit.getByRole('button', { name: 'Save' }).click();
      await expectToastInBox(page, new RegExp(`^Lead ${name} saved\\.$`));
      await record('long-lead-toast');
      // The drawer's title and "Who can see this lead" keep the name inside it.
      const drawer = page.getByRole('dialog', { name });
      await drawer.getByText('Active members who see').waitFor();
      const spill = await drawer.evaluate((content) => {
        const box = content.getBoundingClientRect();
        return [...content.querySelectorAll('.ant-drawer-title, .ant-drawer-title *, p, p *')]
          .filter((element) => element.getBoundingClientRect().right > box.right + 1)
          .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
      });
      assert.deepEqual(spill, [], 'the lead\'s name runs out of its drawer');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name }).waitFor({ state: 'hidden' });
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('"Move all leads to…" gives the focus back to the row\'s Action button on Escape and Cancel', async () => {
    await page.locator('.ant-table-tbody').getByRole('link', { name: 'Outbound EU' }).first().click();
    await page.getByRole('heading', { name: 'Outbound EU' }).waitFor();
    await waitForTableIdle(page);
    const move = page.getByRole('dialog', { name: 'Move all of Bea Buyer\'s leads' });
    await rowAction(page, 'Bea Buyer', 'Move all leads to…');
    await move.getByText('Bea Buyer owns', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await move.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Bea Buyer');
    await menuClosed(page);
    await rowAction(page, 'Bea Buyer', 'Move all leads to…');
    await move.getByText('Bea Buyer owns', { exact: false }).waitFor();
    await move.getByRole('button', { name: 'Cancel' }).click();
    await move.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Bea Buyer');
  });

  step('on a 390 px phone a row\'s Action button on the Users tab is pinned inside the screen and opens its menu', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await menuClosed(page);
      const action = row(page, 'Bea Buyer').getByRole('button', { name: /^Action/ });
      // Where the page shows it, before any click could scroll it into view.
      const box = await action.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `Action for Bea Buyer spans x=${box.x}..${box.x + box.width}, outside 0..390`);
      // Clicked where it is seen: nothing lies over it there.
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.getByRole('menuitem', { name: 'Move all leads to…' }).waitFor();
      await record('assistant-users-action-menu-390');
      await page.keyboard.press('Escape');
      await menuClosed(page);
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('a manager\'s owner filter offers only the people whose leads he sees; on an assistant he does not manage he gets no manager tools', async () => {
    // Hana manages Outbound EU and is a plain user on Inbound US, where Carl
    // owns a lead she cannot see; Nils is on no assistant.
    await api('PATCH', `/orgs/1/assistants/${ids.assistant}/users/${ids.hana}`, { is_manager: true });
    ids.nils = (await api('POST', '/orgs/1/invitations', { email: 'nils@acme.test', name: 'Nils Nobody' })).user_id;
    ids.inbound = (await api('POST', '/orgs/1/assistants', { name: 'Inbound US' })).id;
    for (const who of ['hana', 'carl']) await api('PUT', `/orgs/1/assistants/${ids.inbound}/users/${ids[who]}`, {});
    ids.ivy = (await api('POST', '/orgs/1/leads', { name: 'Ivy Inbound', email: 'ivy@prospect.test', assistant_id: ids.inbound, owner_id: ids.hana })).id;
    await api('POST', '/orgs/1/leads', { name: 'Iris Inbound', email: 'iris@prospect.test', assistant_id: ids.inbound, owner_id: ids.carl });

    hanaBrowser = await launch();
    hana = await hanaBrowser.context.newPage();
    await signIn(hana, base, 'hana@acme.test', await roster.oneTimePasswordFor('hana@acme.test'));
    await hana.waitForURL(/\/password$/);
    await setNewPassword(hana, 'copper-meadow-signal-harbor-731');
    await hana.waitForURL(/\/orgs\/1\/users$/);
    await navigate(hana, 'Leads');
    await hana.getByText('Your own leads, and every lead of the assistants you manage.').waitFor();
    await waitForTableIdle(hana);
    await row(hana, 'Ivy Inbound').waitFor();
    assert.equal(await row(hana, 'Iris Inbound').count(), 0, 'Carl\'s lead on Inbound US is not hers to see');

    await hana.getByLabel('Filter by owner').click();
    const options = hana.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    const offered = (await options.allInnerTexts()).map((text) => text.replace(/ \(.*$/, ''));
    await hana.keyboard.press('Escape');
    assert.deepEqual(offered, ['Bea Buyer', 'Carl Closer', 'Hana Heir'], 'the users of Outbound EU, not Ada, Nils or Eve');

    // Her own lead on Inbound US has no tick box (she may not reassign it).
    assert.equal(await row(hana, 'Ivy Inbound').getByRole('checkbox').count(), 0);
    assert.equal(await row(hana, 'Zoe Zulu').getByRole('checkbox', { name: 'Select Zoe Zulu' }).count(), 1);
    await scene.record(hana, 'manager-leads');

    await hana.locator('.ant-table-tbody').getByRole('link', { name: 'Inbound US' }).first().click();
    await hana.getByRole('heading', { name: 'Inbound US' }).waitFor();
    await hana.getByRole('tab', { name: 'Leads' }).click();
    await row(hana, 'Ivy Inbound').waitFor();
    assert.equal(await hana.getByLabel('Filter by owner').count(), 0, 'no owner filter where she is a plain user');
    assert.equal(await hana.getByRole('columnheader', { name: 'Action' }).count(), 0, 'no Action column');
    assert.equal(await row(hana, 'Ivy Inbound').getByRole('checkbox').count(), 0, 'no tick box');
    await scene.record(hana, 'manager-on-plain-assistant');
  });

  step('at 390 px the status filter stays inside the card and a long e-mail wraps inside the lead\'s drawer', async () => {
    const long = (await api('GET', '/orgs/1/leads?limit=200')).items.find((lead) => lead.name.startsWith('Acme Rockets'));
    await hana.setViewportSize({ width: 390, height: 844 });
    try {
      await navigate(hana, 'Leads');
      await waitForTableIdle(hana);
      const past = await hana.evaluate(() => {
        const body = document.querySelector('.page-card .ant-card-body');
        const style = getComputedStyle(body);
        const contentRight = body.getBoundingClientRect().right - parseFloat(style.paddingRight);
        return [...document.querySelectorAll('.toolbar > *')]
          .map((element) => [element.getAttribute('aria-label') ?? element.className, element.getBoundingClientRect().right - contentRight])
          .filter(([, over]) => over > 1);
      });
      assert.deepEqual(past, [], 'the toolbar runs past the card\'s content');
      await scene.record(hana, 'leads-390');
      await hana.goto(`${base}/orgs/1/leads?lead=${long.id}`);
      const drawer = hana.getByRole('dialog', { name: long.name });
      await drawer.getByText(long.email).waitFor();
      const spill = await drawer.evaluate((content) => {
        const box = content.getBoundingClientRect();
        return [...content.querySelectorAll('dd, dd *')]
          .filter((element) => element.getBoundingClientRect().right > box.right + 1)
          .map((element) => element.textContent.slice(0, 40));
      });
      assert.deepEqual(spill, [], 'a detail runs out of the drawer');
      await scene.record(hana, 'drawer-390');
      await hana.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
    } finally {
      await hana.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('a lead reassigned away while its drawer is open: Save says it is no longer visible, and the list drops it', async () => {
    await hana.reload();
    await waitForTableIdle(hana);
    await hana.getByRole('button', { name: 'Ivy Inbound', exact: true }).click();
    const drawer = hana.getByRole('dialog', { name: 'Ivy Inbound' });
    const edit = drawer.getByRole('region', { name: 'Edit lead' });
    await edit.waitFor();
    await api('PATCH', `/orgs/1/leads/${ids.ivy}`, { owner_id: ids.carl });
    await choose(hana, edit.getByLabel('Status'), 'Contacted');
    await edit.getByRole('button', { name: 'Save' }).click();
    await hana.getByRole('alert').filter({ hasText: 'Ivy Inbound is no longer visible to you' }).waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await hana.waitForURL(/\/orgs\/1\/leads$/);
    await row(hana, 'Ivy Inbound').waitFor({ state: 'detached' });
    await waitForTableIdle(hana);
    await scene.record(hana, 'lead-gone-drawer');
  });

  step('a manager who loses the role while Reassign is open is told the lead is no longer visible; the list and subtitle become a user\'s', async () => {
    await hana.getByRole('button', { name: 'Reassign Zoe Zulu', exact: true }).click();
    const dialog = hana.getByRole('dialog', { name: 'Reassign lead' });
    await choose(hana, dialog.getByLabel('New owner'), 'Carl Closer');
    await api('PATCH', `/orgs/1/assistants/${ids.assistant}/users/${ids.hana}`, { is_manager: false });
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await hana.getByRole('alert').filter({ hasText: 'Zoe Zulu is no longer visible to you' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await hana.getByText('The leads you own.').waitFor();
    await waitForRows(hana, ['Mia Mill', 'Anna Alpha', 'Kurt Kunde'].map((name) => `${name}\nlead@prospect.test`));
    assert.equal(await hana.getByLabel('Filter by owner').count(), 0, 'no owner filter for a user');
    assert.equal(await hana.getByRole('columnheader', { name: 'Action' }).count(), 0, 'no Action column for a user');
    await scene.record(hana, 'manager-demoted');
  });

  step('a link to a lead she may not see, or to none, says "Lead not found" alike; the list stays usable', async () => {
    const zoe = (await api('GET', '/orgs/1/leads?limit=200')).items.find((lead) => lead.name === 'Zoe Zulu');
    const notice = hana.getByRole('alert').filter({ hasText: 'Lead not found' });
    const said = [];
    // Zoe Zulu is Carl's on an assistant Hana no longer manages; 999999 is no lead.
    for (const id of [zoe.id, '999999']) {
      await hana.goto(`${base}/orgs/1/leads?lead=${id}`);
      await notice.waitFor();
      said.push((await notice.innerText()).trim());
      await hana.waitForURL(/\/orgs\/1\/leads$/);
      await waitForTableIdle(hana);
      await waitForRows(hana, ['Mia Mill', 'Anna Alpha', 'Kurt Kunde'].map((name) => `${name}\nlead@prospect.test`));
      assert.equal(await hana.getByRole('dialog').count(), 0, 'no drawer opens');
    }
    assert.deepEqual(said, Array(2).fill('Lead not found: it does not exist, or you may not see it.'),
                     'a hidden lead and a missing one read the same');
    await scene.record(hana, 'lead-not-found');
    // A lead of hers still opens from the list, and the notice goes.
    await hana.getByRole('button', { name: 'Anna Alpha', exact: true }).click();
    const drawer = hana.getByRole('dialog', { name: 'Anna Alpha' });
    await drawer.waitFor();
    await notice.waitFor({ state: 'hidden' });
    await hana.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });
});
