// Exports and "who can see this lead" in the web console, against a real
// `roster serve`: an admin downloads the Org users, Leads (with the list's
// filters) and Audit exports through the Export menus and the files are
// parsed and checked row by row; a manager's member export is cut like his
// list; the lead-access dialog lists each person with each reason. Every
// step saves a screenshot to test-results/e2e/ and checks the page with
// axe-core. The steps build on each other; after a failure the rest are
// skipped.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { apiAs, navigate, row, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORDS = { ada: 'violet-harbor-quantum-lantern-58', bea: 'copper-meadow-signal-orchid-731' };
const FORMULA = '=HYPERLINK("http://evil.test","click")';

let roster;
let base;
const browsers = {};
const pages = {};
const ids = {};

const { step, record } = story('exports', { pages: () => pages });

async function personPage(who) {
  browsers[who] = await launch();
  pages[who] = await browsers[who].context.newPage();
  pages[who].on('pageerror', (error) => console.error(`[${who}] page error: ${error.message}`));
  return pages[who];
}

const api = (page, method, path, body) => apiAs(page, base, method, path, body);

/** RFC 4180 records of `text` (quoted fields, "" for a quote, CRLF). */
function parseCsv(text) {
  const records = [];
  let fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { fields.push(field); records.push(fields); fields = []; field = ''; i += 1; }
    else field += c;
  }
  assert.equal(field, '', 'the CSV must end with CRLF');
  return records;
}

/** Opens the Export menu named `button`, clicks `format`, returns the saved file's name and text. */
async function download(page, button, format) {
  await page.getByRole('button', { name: button }).click();
  const link = page.locator(`.ant-dropdown:not(.ant-dropdown-hidden) a[data-format="${format}"]`);
  await link.waitFor();
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

describe('exports and lead access in the console', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    const page = await personPage('ada');
    await signIn(page, base, 'ada@acme.test', otp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/orgs\/\d+\/users$/);
    ids.ada = (await api(page, 'GET', '/me')).user.id;
    // Bea joins and manages the assistant; Ada owns three leads on it.
    const bea = await api(page, 'POST', '/orgs/1/invitations', { email: 'bea@acme.test', name: 'Bea Manager' });
    ids.bea = bea.user_id;
    const beaPage = await personPage('bea');
    await signIn(beaPage, base, 'bea@acme.test', await roster.oneTimePasswordFor('bea@acme.test'));
    await beaPage.waitForURL(/\/password$/);
    await setNewPassword(beaPage, PASSWORDS.bea);
    await beaPage.waitForURL(/\/orgs\/\d+\/users$/);
    ids.assistant = (await api(page, 'POST', '/orgs/1/assistants', { name: 'Outbound EU' })).id;
    await api(page, 'PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids.ada}`, {});
    await api(page, 'PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids.bea}`, { is_manager: true });
    for (const [name, company] of [['Grace Hopper', 'Globex'], ['Alan Turing', 'Initech'], [FORMULA, '@Globex']]) {
      await api(page, 'POST', '/orgs/1/leads', { name, email: 'lead@prospect.test', company, assistant_id: ids.assistant });
    }
  });

  after(async () => {
    for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('an admin exports the Org users as CSV with every column of his list', async () => {
    const page = pages.ada;
    await page.reload();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    await page.getByRole('button', { name: 'Export members' }).click();
    await page.locator('.ant-dropdown:not(.ant-dropdown-hidden) a[data-format="csv"]').waitFor();
    await record(page, 'org-users-export-menu');
    await page.keyboard.press('Escape');
    const { name, text } = await download(page, 'Export members', 'csv');
    assert.match(name, /^members-1-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, ['user_id', 'name', 'email', 'role', 'status', 'invited_at', 'invite_expires_at',
                              'invite_undelivered', 'joined_at', 'last_login_at', 'lead_count', 'mfa',
                              'assistants']);
    const leads = header.indexOf('lead_count');
    assert.deepEqual(rows.map((r) => [r[1], r[3], r[4], r[leads]]),
                     [['Ada Admin', 'admin', 'active', '3'], ['Bea Manager', 'user', 'active', '0']]);
  });

  step('the Leads export follows the list\'s search and prefixes formula cells', async () => {
    const page = pages.ada;
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await record(page, 'leads-with-export');
    const all = parseCsv((await download(page, 'Export leads', 'csv')).text);
    assert.equal(all.length, 4);
    assert.ok(all.some((r) => r[1] === `'${FORMULA}` && r[3] === "'@Globex"), 'formula cells must start with an apostrophe');
    await page.getByLabel('Search leads').fill('globex');
    await page.waitForResponse((response) => /\/leads\?.*q=globex/.test(response.url()));
    await waitForTableIdle(page);
    const { name, text } = await download(page, 'Export leads', 'ndjson');
    assert.match(name, /^leads-1-.*\.ndjson$/);
    const lines = text.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((lead) => lead.company).sort(), ['@Globex', 'Globex']);
    assert.equal(lines.find((lead) => lead.company === '@Globex').name, FORMULA, 'NDJSON keeps values as stored');
    await screenshot(page, 'exports-leads-filtered');
  });

  step('the audit log exports every event', async () => {
    const page = pages.ada;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const [header, ...rows] = parseCsv((await download(page, 'Export the audit log', 'csv')).text);
    const column = header.indexOf('action');
    assert.ok(column >= 0, `no action column in ${header}`);
    const actions = rows.map((r) => r[column]);
    for (const action of ['organization_created', 'invited', 'assistant_created', 'assistant_user_assigned']) {
      assert.ok(actions.includes(action), `missing ${action} in ${actions}`);
    }
    await record(page, 'audit-log');
  });

  step('"Who can see" lists each person with each reason', async () => {
    const page = pages.ada;
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await row(page, 'Grace Hopper').getByRole('button', { name: 'Who can see Grace Hopper' }).click();
    const dialog = page.getByRole('dialog', { name: 'Who can see this lead and why' });
    await dialog.waitFor();
    await dialog.locator('.lead-access .ant-table-row').first().waitFor();
    const rows = await dialog.locator('.lead-access .ant-table-row').allInnerTexts();
    const seen = rows.map((text) => text.replace(/\s+/g, ' ').trim()).sort();
    assert.deepEqual(seen, [
      'Ada Admin ada@acme.test Org admin',
      'Ada Admin ada@acme.test Owner',
      'Bea Manager bea@acme.test Manager of the assistant',
    ]);
    await record(page, 'lead-access');
    await page.keyboard.press('Escape');
  });

  step('a manager\'s member export has only the fields of his list', async () => {
    const page = pages.bea;
    await page.reload();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    const [header, ...rows] = parseCsv((await download(page, 'Export members', 'csv')).text);
    assert.deepEqual(header, ['user_id', 'name', 'email', 'role', 'status']);
    assert.equal(rows.length, 2);
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await row(page, 'Alan Turing').getByRole('button', { name: 'Who can see Alan Turing' }).click();
    await page.getByRole('dialog', { name: 'Who can see this lead and why' })
      .locator('.lead-access .ant-table-row').first().waitFor();
    await record(page, 'lead-access-manager');
  });
});
