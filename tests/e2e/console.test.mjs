// The web console end to end, against a real `roster serve`: the six
// operations of SPEC.md section 2 done as a person does them, the forced
// password change, the organization switcher, and the lead visibility rule
// as an admin, a manager and a normal user see it. Every step saves a
// screenshot to test-results/e2e/ and checks the page with axe-core.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, runningMotion, screenshot } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import {
  assertIncludesAll, choose, expectToast, firstColumn, menuClosed, navigate, row, rowAction, setNewPassword, signIn,
  waitForRows, waitForTableIdle,
} from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bea: 'copper-meadow-signal-orchid-731',
  carl: 'glacier-tandem-marble-pickle-904',
};

let roster;
let base;
let adaOtp;
const browsers = {};
const pages = {};
const cspViolations = [];

/** One step of the story: skipped once an earlier step failed. */
const { step, record, recordAtPhoneWidth } = story('console', { pages: () => pages, cspViolations });

/** Screenshot plus accessibility scan of what `page` shows now. */
async function personPage(who) {
  browsers[who] = await launch();
  pages[who] = await browsers[who].context.newPage();
  pages[who].on('pageerror', (error) => console.error(`[${who}] page error: ${error.message}`));
  pages[who].on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`[${who}] ${message.text()}`);
  });
  return pages[who];
}

async function openAssistant(page, name) {
  await navigate(page, 'Assistants');
  await page.getByRole('heading', { name: 'Assistants' }).waitFor();
  await page.locator('.ant-table-tbody').getByRole('link', { name }).click();
  await page.getByRole('heading', { name }).waitFor();
}

async function orgUsers(page) {
  await page.getByRole('heading', { name: 'Org users' }).waitFor();
  await waitForTableIdle(page);
}

/**
 * In `dialog`'s people picker labelled `label`, on a server whose search
 * answers late: types `search` and presses Enter at once, which must choose
 * nobody (never `stale`, first in the list shown before the search), then
 * presses Enter again once `person`'s option is listed.
 */
async function chooseOnSlowSearch(page, dialog, label, search, person, stale) {
  const searches = /\/api\/v1\/orgs\/\d+\/members\?(.*&)?q=/;
  const slowly = async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue().catch(() => {}); // the console may have stopped waiting
  };
  await page.route(searches, slowly);
  try {
    const input = dialog.getByLabel(label);
    const shown = dialog.locator('.ant-select-content', { has: page.getByLabel(label) });
    const answered = page.waitForResponse((response) => searches.test(response.url())
      && new URL(response.url()).searchParams.get('q') === search);
    answered.catch(() => {}); // awaited below, unless a check fails first
    await input.click();
    // The list of everyone is there before anything is typed.
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option',
                       { hasText: stale }).waitFor();
    await input.pressSequentially(search, { delay: 20 });
    await page.keyboard.press('Enter');
    assert.doesNotMatch(await shown.innerText(), new RegExp(stale), 'Enter chose someone the text does not match');
    await answered;
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option',
                                { hasText: person });
    await option.waitFor();
    assert.equal((await shown.innerText()).trim(), '', 'someone was chosen before the search answered');
    assert.equal(await input.inputValue(), search, 'the typed text was lost');
    await page.keyboard.press('Enter');
    await shown.filter({ hasText: person }).waitFor();
  } finally {
    await page.unroute(searches, slowly);
  }
}

describe('web console', () => {
  before(async () => {
    roster = await Roster.start();
    adaOtp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    // A second organization for Ada, so that she has the organization switcher.
    await roster.createOrganization('Globex Trading', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
  });

  after(async () => {
    for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('the sign-in page of a browser without a session asks nothing and logs no error', async () => {
    const page = await personPage('ada');
    const errors = [];
    const asked = [];
    const onConsole = (message) => { if (message.type() === 'error') errors.push(message.text()); };
    const onRequest = (request) => { if (new URL(request.url()).pathname.startsWith('/api/')) asked.push(request.url()); };
    page.on('console', onConsole);
    page.on('request', onRequest);
    try {
      await page.goto(`${base}/login`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.waitForLoadState('networkidle');
    } finally {
      page.off('console', onConsole);
      page.off('request', onRequest);
    }
    // GET /me answered 401 on every visit: "Failed to load resource".
    assert.deepEqual(asked, [], 'the sign-in page asked the API');
    assert.deepEqual(errors, [], 'the sign-in page logged errors');
  });

  step('the sign-in page refuses a wrong password with the server\'s message', async () => {
    const page = pages.ada;
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    // The address changes before the form is drawn: the screenshot waits for it.
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await record(page, 'sign-in');
    await signIn(page, base, 'ada@acme.test', 'not-the-password');
    await page.getByRole('alert').filter({ hasText: /password|credentials/i }).waitFor();
    await record(page, 'sign-in-refused');
  });

  step('a one-time password opens only "set a new password", which shows the policy\'s reasons', async () => {
    const page = pages.ada;
    await signIn(page, base, 'ada@acme.test', adaOtp);
    await page.waitForURL(/\/password$/);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    // Any other page sends the session back here.
    await page.goto(`${base}/orgs/1/users`);
    await page.waitForURL(/\/password$/);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    // The page was reloaded, so the one-time password is asked for again;
    // a wrong one is called by that name, not "the current password".
    await page.getByLabel('One-time password').fill('WRONG-ONE-TIME-PASS');
    await setNewPassword(page, PASSWORDS.ada);
    await page.getByRole('alert').getByText('The one-time password is not correct.', { exact: true }).waitFor();
    assert.equal(await page.getByText(/current password/i).count(), 0);
    await record(page, 'one-time-password-wrong');
    await recordAtPhoneWidth(page, 'one-time-password-wrong');
    await page.getByLabel('One-time password').fill(adaOtp);
    await setNewPassword(page, 'acmesalespassword');
    const alert = page.getByRole('alert').filter({ hasText: /refused|valid|password/i });
    await alert.waitFor();
    assert.ok((await page.getByRole('list', { name: 'Why the password was refused' }).locator('li').count()) >= 1);
    await record(page, 'password-policy-reasons');
    await setNewPassword(page, PASSWORDS.ada);
    // The toast comes with the answer; on a slow machine the page behind it
    // can take longer to load than the toast stays.
    await expectToast(page, 'Your new password is set.');
    await page.waitForURL(/\/orgs\/\d+\/users$/);
    await orgUsers(page);
  });

  step('1. Org users lists members with role, status and leads', async () => {
    const page = pages.ada;
    const ada = row(page, 'ada@acme.test');
    await ada.waitFor();
    assert.match(await ada.innerText(), /Org admin/);
    assert.match(await ada.innerText(), /Active/);
    await record(page, 'org-users-admin');
  });

  step('an admin in two organizations switches between them', async () => {
    const page = pages.ada;
    await choose(page, page.getByLabel('Organization'), 'Globex Trading');
    await page.waitForURL(/\/orgs\/2\/users$/);
    await page.getByText('Everyone in Globex Trading').waitFor();
    await orgUsers(page);
    await waitForRows(page, ['Ada Admin']);
    await record(page, 'org-switcher-globex');
    await choose(page, page.getByLabel('Organization'), 'Acme Sales');
    await page.waitForURL(/\/orgs\/1\/users$/);
    // The address changes first; until Acme's page has replaced Globex's,
    // the menu's links still lead into Globex.
    await page.getByText('Everyone in Acme Sales').waitFor();
    await orgUsers(page);
  });

  step('an admin creates two assistants', async () => {
    const page = pages.ada;
    await navigate(page, 'Assistants');
    await page.getByRole('heading', { name: 'Assistants' }).waitFor();
    for (const name of ['Outbound EU', 'Inbound US']) {
      await page.locator('#main').getByRole('button', { name: 'Create assistant' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create assistant' });
      await dialog.waitFor();
      // The browser asks for reduced motion: the dialog and the toast are
      // there at once, without zooming or fading in.
      assert.deepEqual(await page.evaluate(runningMotion, false), [], 'the dialog moved despite reduced motion');
      await dialog.getByLabel('Name').fill(name);
      if (name === 'Outbound EU') await record(page, 'create-assistant-dialog');
      await dialog.getByRole('button', { name: 'Create assistant' }).click();
      await expectToast(page, `Assistant ${name} created.`);
      assert.deepEqual(await page.evaluate(runningMotion, false), [], 'the toast moved despite reduced motion');
      await row(page, name).waitFor();
    }
    await record(page, 'assistants-admin');
  });

  step('4. Invite: the dialog invites Bea and Carl, who receive a one-time password', async () => {
    const page = pages.ada;
    await navigate(page, 'Org users');
    await orgUsers(page);
    for (const [name, email] of [['Bea Buyer', 'bea@acme.test'], ['Carl Closer', 'carl@acme.test']]) {
      await page.locator('#main').getByRole('button', { name: 'Invite', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite a user' });
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('E-mail').fill(email);
      await choose(page, dialog.getByLabel('Assistants'), 'Outbound EU');
      await page.keyboard.press('Escape'); // closes the option list, not the dialog
      if (name === 'Bea Buyer') await record(page, 'invite-dialog');
      await dialog.getByRole('button', { name: 'Invite user' }).click();
      await expectToast(page, `Invitation sent to ${email}.`);
      await row(page, email).waitFor();
    }
    const bea = await row(page, 'bea@acme.test').innerText();
    assert.match(bea, /Invited/);
    assert.match(bea, /23 h 5\d min left/);
    await record(page, 'invited-members');
    assert.ok(await roster.oneTimePasswordFor('bea@acme.test'));
  });

  step('Bea signs in with her one-time password, must set a password, and sees no admin actions', async () => {
    const page = await personPage('bea');
    const otp = await roster.oneTimePasswordFor('bea@acme.test');
    await signIn(page, base, 'bea@acme.test', otp);
    await page.waitForURL(/\/password$/);
    await record(page, 'invitee-set-password');
    await setNewPassword(page, PASSWORDS.bea);
    await page.waitForURL(/\/orgs\/1\/users$/);
    await orgUsers(page);
    assert.equal(await page.getByRole('button', { name: 'Invite' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Action/ }).count(), 0);
    assert.equal(await page.getByRole('columnheader', { name: 'Leads' }).count(), 0);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).count(), 0);
    await record(page, 'org-users-normal-user');
    // Ada sees the membership active now.
    await pages.ada.reload();
    await orgUsers(pages.ada);
    assert.match(await row(pages.ada, 'bea@acme.test').innerText(), /Active/);
  });

  step('5. Resend invite gives Carl a new one-time password and kills the old one', async () => {
    const page = pages.ada;
    const oldOtp = await roster.oneTimePasswordFor('carl@acme.test');
    const mailsBefore = await roster.mailCount();
    await rowAction(page, 'carl@acme.test', 'Resend invite');
    await expectToast(page, 'Invitation resent to carl@acme.test.');
    await record(page, 'resend-invite');
    const newOtp = await roster.oneTimePasswordFor('carl@acme.test', { after: mailsBefore });
    assert.notEqual(newOtp, oldOtp);

    const carl = await personPage('carl');
    await signIn(carl, base, 'carl@acme.test', oldOtp);
    await carl.getByRole('alert').waitFor();
    assert.match(carl.url(), /\/login/);
    await signIn(carl, base, 'carl@acme.test', newOtp);
    await carl.waitForURL(/\/password$/);
    await setNewPassword(carl, PASSWORDS.carl);
    await carl.waitForURL(/\/orgs\/1\/users$/);
  });

  step('2. Change role: "Make org admin" and, by keyboard, "Remove org admin rights", each confirmed with "Yes"', async () => {
    const page = pages.ada;
    await page.reload();
    await orgUsers(page);
    await rowAction(page, 'carl@acme.test', 'Make org admin');
    await page.getByRole('tooltip').filter({ hasText: 'Make Carl Closer an org admin?' }).waitFor();
    await record(page, 'make-admin-confirm');
    await page.getByRole('button', { name: 'Yes' }).click();
    await expectToast(page, 'Carl Closer is now an org admin.');
    await row(page, 'carl@acme.test').filter({ hasText: 'Org admin' }).waitFor();
    // The reverse by keyboard alone: Enter opens the menu on its first item,
    // Enter chooses it, and the confirmation opens with focus on "Yes".
    await row(page, 'carl@acme.test').getByRole('button', { name: /^Action/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Remove org admin rights' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    await page.keyboard.press('Enter');
    await page.getByRole('tooltip').filter({ hasText: 'Remove Carl Closer\'s org admin rights?' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Yes');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Carl Closer is no longer an org admin.');
    await row(page, 'carl@acme.test').getByText('User', { exact: true }).waitFor();
  });

  step('the last admin\'s "Remove org admin rights" and "Remove" are disabled with the reason', async () => {
    const page = pages.ada;
    await menuClosed(page);  // Carl's menu may still be closing
    await row(page, 'ada@acme.test').getByRole('button', { name: /^Action/ }).click();
    const makeUser = page.getByRole('menuitem', { name: 'Remove org admin rights' });
    const remove = page.getByRole('menuitem', { name: 'Remove from organization' });
    assert.equal(await makeUser.getAttribute('aria-disabled'), 'true');
    assert.equal(await remove.getAttribute('aria-disabled'), 'true');
    await makeUser.locator('span').last().hover();
    await page.getByRole('tooltip').filter({ hasText: 'at least one active admin' }).waitFor();
    await record(page, 'last-admin-disabled');
    await page.keyboard.press('Escape');
  });

  step('leads are created for Bea and Carl on Outbound EU', async () => {
    const page = pages.ada;
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    for (const [lead, email, owner] of [['Lina Lead', 'lina@prospect.test', 'Bea Buyer'],
                                       ['Kurt Kunde', 'kurt@prospect.test', 'Carl Closer']]) {
      await page.locator('#main').getByRole('button', { name: 'New lead' }).click();
      const dialog = page.getByRole('dialog', { name: 'New lead' });
      await dialog.getByLabel('Name').fill(lead);
      await dialog.getByLabel('E-mail').fill(email);
      await dialog.getByLabel('Company').fill('Prospect GmbH');
      await choose(page, dialog.getByLabel('Assistant'), 'Outbound EU');
      await choose(page, dialog.getByLabel('Owner'), owner);
      await dialog.getByRole('button', { name: 'Create lead' }).click();
      await expectToast(page, `Lead ${lead} created.`);
    }
    await row(page, 'Kurt Kunde').waitFor();
    assertIncludesAll(await firstColumn(page), ['Lina Lead', 'Kurt Kunde'], 'admin sees every lead');
    await record(page, 'leads-admin');
  });

  step('before step 6, a normal user sees only his own leads and only himself on the assistant', async () => {
    const page = pages.bea;
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    const leads = await firstColumn(page);
    assert.equal(leads.length, 1);
    assertIncludesAll(leads, ['Lina Lead'], 'Bea sees her lead');
    await record(page, 'leads-normal-user-before');
  });

  step('6. Assistant manager: "Make assistant manager" → "Proceed" shows the manager badge', async () => {
    const page = pages.ada;
    await openAssistant(page, 'Outbound EU');
    await page.getByRole('heading', { name: 'Outbound EU' }).waitFor();
    await page.getByRole('tab', { name: 'Users' }).waitFor();
    await row(page, 'bea@acme.test').waitFor();
    await rowAction(page, 'bea@acme.test', 'Make assistant manager');
    await page.getByRole('tooltip').filter({ hasText: 'manager of Outbound EU' }).waitFor();
    await record(page, 'make-manager-confirm');
    await page.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Bea Buyer now manages Outbound EU.');
    await row(page, 'bea@acme.test').filter({ hasText: 'Manager' }).waitFor();
    await record(page, 'assistant-users-admin');
  });

  step('visibility: the manager sees the assistant\'s users and all its leads', async () => {
    const page = pages.bea;
    await page.reload(); // picks up her new standing from /me
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    assertIncludesAll(await firstColumn(page), ['Lina Lead', 'Kurt Kunde'], 'the manager sees both leads');
    assert.equal(await row(page, 'Kurt Kunde').getByRole('button', { name: 'Reassign Kurt Kunde' }).count(), 1);
    await record(page, 'leads-manager');
    // She manages it: the list counts its users, as the page's header does.
    await navigate(page, 'Assistants');
    await row(page, 'Outbound EU').locator('td').nth(1).filter({ hasText: /^\s*2\s*$/ }).waitFor();
    await openAssistant(page, 'Outbound EU');
    await row(page, 'carl@acme.test').waitFor();
    assertIncludesAll(await firstColumn(page), ['Bea Buyer', 'Carl Closer'], 'the manager sees every user');
    // A manager may move a user's leads within the assistant, nothing an admin does.
    await row(page, 'Carl Closer').getByRole('button', { name: /^Action/ }).click();
    const items = page.locator('.ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-item');
    await items.first().waitFor();
    assert.deepEqual(await items.allInnerTexts(), ['Move all leads to…'], 'no admin actions for a manager');
    await page.keyboard.press('Escape');
    await menuClosed(page);
    await record(page, 'assistant-users-manager');
  });

  step('visibility: a normal user sees only his own lead and only himself', async () => {
    const page = pages.carl;
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    const leads = await firstColumn(page);
    assert.equal(leads.length, 1, `Carl sees ${JSON.stringify(leads)}`);
    assertIncludesAll(leads, ['Kurt Kunde'], 'Carl sees his lead');
    assert.equal(await page.getByRole('button', { name: /^Reassign/ }).count(), 0);
    await record(page, 'leads-normal-user');
    // The server counts only the users he may see, himself: no "1" that
    // reads as "you are alone on it", in the list or in the page's header.
    await navigate(page, 'Assistants');
    const users = row(page, 'Outbound EU').locator('td').nth(1);
    await users.locator('[title="Only its managers see who is on it"]').waitFor();
    assert.doesNotMatch(await users.innerText(), /\d/, 'a plain user is shown a count of users');
    await record(page, 'assistants-normal-user');
    await openAssistant(page, 'Outbound EU');
    await row(page, 'carl@acme.test').waitFor();
    await waitForRows(page, ['Carl Closer']);
    await page.getByText(/^Created /).waitFor();
    assert.equal(await page.getByText(/\d+ users? · created/).count(), 0, 'the header counts the users for a plain user');
    await record(page, 'assistant-users-normal-user');
  });

  step('on a phone the Assistants tables scroll inside their card, not the page', async () => {
    const page = pages.bea;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const fits = async (what) => {
        await waitForTableIdle(page);
        const box = await page.evaluate(() => {
          const card = document.querySelector('#main .page-card');
          const scrollers = [...card.querySelectorAll('.ant-table-content')].filter((element) => element.checkVisibility());
          return {
            page: document.documentElement.scrollWidth,
            card: card.getBoundingClientRect().right,
            tables: scrollers.map((element) => element.getBoundingClientRect().right),
            scrolls: scrollers.map((element) => element.scrollWidth > element.clientWidth),
          };
        });
        assert.ok(box.page <= 390, `${what}: the page scrolls sideways (${box.page} px)`);
        assert.ok(box.tables.length > 0 && box.tables.every((right) => right <= box.card + 1),
                  `${what}: a table runs past its card: ${JSON.stringify(box)}`);
        assert.ok(box.scrolls.every(Boolean), `${what}: the table is cut instead of scrolling: ${JSON.stringify(box)}`);
      };
      await navigate(page, 'Assistants');
      await row(page, 'Outbound EU').waitFor();
      await fits('Assistants');
      await record(page, 'assistants-phone');
      await page.locator('.ant-table-tbody').getByRole('link', { name: 'Outbound EU' }).click();
      await row(page, 'carl@acme.test').waitFor();
      await fits('Users tab');
      await record(page, 'assistant-users-phone');
      await page.getByRole('tab', { name: 'Leads' }).click();
      await row(page, 'Kurt Kunde').waitFor();
      await fits('Leads tab');
      await record(page, 'assistant-leads-phone');
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
    // Leave the leads behind: the next step's rows are the Leads page's.
    await navigate(page, 'Assistants');
    await row(page, 'Outbound EU').waitFor();
  });

  step('a manager reassigns one lead within the assistant', async () => {
    const page = pages.bea;
    await navigate(page, 'Leads');
    await row(page, 'Lina Lead').getByRole('button', { name: 'Reassign Lina Lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign lead' });
    await choose(page, dialog.getByLabel('New owner'), 'Carl Closer');
    await record(page, 'reassign-lead-dialog');
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await expectToast(page, 'Lina Lead now belongs to Carl Closer.');
    await row(page, 'Lina Lead').filter({ hasText: 'Carl Closer' }).waitFor();
  });

  step('3. Remove: the dialog shows Carl\'s leads per assistant; "Proceed" hands them to Bea', async () => {
    const page = pages.ada;
    await navigate(page, 'Org users');
    await orgUsers(page);
    await rowAction(page, 'carl@acme.test', 'Remove from organization');
    const dialog = page.getByRole('dialog', { name: 'Remove Carl Closer from Acme Sales?' });
    await dialog.getByText('owns').filter({ hasText: '2 leads' }).waitFor();
    await dialog.locator('tr', { hasText: 'Outbound EU' }).filter({ hasText: '2' }).waitFor();
    // "Proceed" with nobody chosen removes nobody: the field says what is missing.
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await dialog.getByText('Choose who receives the leads, or set an offboarding policy in Settings.').waitFor();
    assert.equal(await row(page, 'carl@acme.test').count(), 1);
    await chooseOnSlowSearch(page, dialog, 'Give the leads to', 'bea', 'Bea Buyer', 'Ada Admin');
    await dialog.getByText('Choose who receives the leads, or set an offboarding policy in Settings.').waitFor({ state: 'detached' });
    // The dialog says what "Proceed" will do; Bea is on Outbound EU already.
    await dialog.getByText('Carl Closer\'s 2 leads go to Bea Buyer.', { exact: true }).waitFor();
    await record(page, 'remove-dialog');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Carl Closer was removed from Acme Sales; 2 leads went to Bea Buyer.');
    await row(page, 'carl@acme.test').waitFor({ state: 'detached' });
    // Carl's row goes at once; Bea's count comes with the list read again.
    await page.waitForFunction(() => /\b2\b/.test([...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')]
      .find((tableRow) => tableRow.textContent.includes('bea@acme.test'))?.innerText ?? ''));
    await record(page, 'after-removal');

    // Carl's next request to the organization is refused: the console says
    // he lost access to it (not "not found") and offers to sign out.
    const carl = pages.carl;
    await navigate(carl, 'Leads');
    await carl.getByRole('heading', { name: 'You no longer have access to Acme Sales' }).waitFor();
    await record(carl, 'removed-member-view');
    await carl.getByRole('button', { name: 'Sign out' }).click();
    await carl.waitForURL(/\/login/);
    await carl.getByRole('status').filter({ hasText: 'You signed out.' }).waitFor();
  });

  step('"Assign users" adds Ada; "Unassign" Bea is one dialog with her lead count and their receiver', async () => {
    const page = pages.ada;
    // Bea has the assistant's Leads tab open meanwhile (see the next step).
    await openAssistant(pages.bea, 'Outbound EU');
    await pages.bea.getByRole('tab', { name: 'Leads' }).click();
    await row(pages.bea, 'Kurt Kunde').waitFor();
    await openAssistant(page, 'Outbound EU');
    await page.getByRole('button', { name: 'Assign users' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign users to Outbound EU' });
    await choose(page, assign.getByLabel('Members'), 'Ada Admin', 'ada');
    await page.keyboard.press('Escape'); // closes the option list, not the dialog
    await record(page, 'assign-users-dialog');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await expectToast(page, '1 user assigned to Outbound EU.');
    await row(page, 'ada@acme.test').waitFor();

    await page.getByText(/^2 users · created/).waitFor();  // the header counts Ada at once

    await rowAction(page, 'bea@acme.test', 'Unassign');
    const dialog = page.getByRole('dialog', { name: 'Unassign Bea Buyer from Outbound EU?' });
    await dialog.getByText('owns 2 leads on it').waitFor();
    await choose(page, dialog.getByLabel('Give the leads to'), 'Ada Admin', 'ada');
    await dialog.getByText('Bea Buyer\'s 2 leads go to Ada Admin.', { exact: true }).waitFor();
    await record(page, 'unassign-dialog');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Bea Buyer was unassigned from Outbound EU; 2 leads went to Ada Admin.');
    await row(page, 'bea@acme.test').waitFor({ state: 'detached' });
    await page.getByText(/^1 user · created/).waitFor();
    await row(page, 'ada@acme.test').getByText('Member', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Leads' }).click();
    await row(page, 'Kurt Kunde').filter({ hasText: 'Ada Admin' }).waitFor();
    await row(page, 'Lina Lead').filter({ hasText: 'Ada Admin' }).waitFor();
    await record(page, 'assistant-leads-tab');
  });

  step('taken off the assistant with its page open, Bea is told so, not "assign users to it first"', async () => {
    const page = pages.bea;
    await page.locator('#main').getByRole('button', { name: 'New lead' }).click();
    await page.getByText('You are no longer on Outbound EU', { exact: true }).waitFor();
    assert.equal(await page.getByText('No one is on this assistant yet').count(), 0);
    await record(page, 'no-longer-on-assistant');
    await page.getByRole('link', { name: 'Back to assistants' }).click();
    await page.getByText('You are not assigned to any assistant yet.').waitFor();
  });

  step('every change is in the audit log, which only admins see', async () => {
    const page = pages.ada;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const body = page.locator('.ant-table-tbody');
    for (const label of ['Invited', 'Invitation resent', 'Role changed', 'Member removed', 'Made assistant manager',
                         'Lead reassigned', 'Assigned to assistant', 'Unassigned from assistant']) {
      await body.getByText(label, { exact: true }).first().waitFor({ timeout: 10000 })
        .catch(() => assert.fail(`audit log lacks "${label}"`));
    }
    // Each row says who and whom by name, also Carl, who is no longer a
    // member, and its details name the assistant and the receiver.
    assertIncludesAll([await row(page, 'Member removed').innerText()],
      ['Ada Admin', 'Carl Closer', 'carl@acme.test', 'leads went to: Bea Buyer'], 'the removal');
    assertIncludesAll([await row(page, 'Unassigned from assistant').innerText()],
      ['Bea Buyer', 'assistant: Outbound EU', 'leads went to: Ada Admin'], 'the unassignment');
    await record(page, 'audit-log');
    // A From after To is said on the fields, not asked of the server.
    const from = page.getByLabel('From', { exact: true });
    const to = page.getByLabel('To', { exact: true });
    await from.fill('2030-01-08');
    await waitForTableIdle(page);
    await page.getByText('No events match these filters.').waitFor();
    await to.fill('2030-01-01');
    const rangeError = page.getByRole('alert').filter({ hasText: 'To must be on or after From.' });
    await rangeError.waitFor();
    assert.equal(await to.getAttribute('aria-invalid'), 'true');
    await waitForTableIdle(page);
    assert.equal(await page.getByText('Could not load this list').count(), 0);
    assert.equal(await page.getByText('must not be before').count(), 0);
    await record(page, 'audit-inverted-range');
    await to.fill('2030-01-09');
    await rangeError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForTableIdle(page);
    await page.locator('.ant-table-tbody').getByText('Member removed', { exact: true }).waitFor();
    assert.equal(await from.inputValue(), '');
    // Someone who is no admin is told so without a request the server
    // refuses (each was a 403 in the browser's console).
    const refused = [];
    const onResponse = (response) => { if (response.status() === 403) refused.push(response.url()); };
    pages.bea.on('response', onResponse);
    try {
      for (const section of ['audit', 'webhooks', 'api-keys']) {
        await pages.bea.goto(`${base}/orgs/1/${section}`);
        await pages.bea.getByText('Admins only').waitFor();
        await pages.bea.waitForLoadState('networkidle');
      }
    } finally {
      pages.bea.off('response', onResponse);
    }
    assert.deepEqual(refused, [], 'an admin-only page asked the server before saying "Admins only"');
  });

  step('sign-out ends the session', async () => {
    const page = pages.bea;
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('status').filter({ hasText: 'You signed out.' }).waitFor();
    await record(page, 'signed-out-page');
    await page.goto(`${base}/orgs/1/leads`);
    await page.waitForURL(/\/login\?next=/);
    await record(page, 'signed-out');
  });
});
