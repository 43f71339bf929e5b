// "Invite from CSV" on Org users (SPEC 8): an admin chooses a CSV file, sees
// the dry run's result for every row, fixes an invalid file, then presses
// "Invite N people"; the invitees appear in the list and get their e-mails.
// Both dialogs handle the focus: Invite's opens in Name, Escape in the CSV
// one gives it back to its button.
// Every new screen is scanned with axe-core.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { story } from './lib/story.mjs';
import { expectToast, focusOn, row, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';

let roster;
let base;
let browser;
let page;
let files;

const scene = story('bulk-invite', { pages: () => ({ admin: page }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

/** Waits for the focus to be in the form field labelled `label`. */
async function focusOnField(page, label) {
  await page.waitForFunction((name) => document.activeElement?.labels?.[0]?.textContent === name, label, { timeout: 5000 })
    .catch(async () => {
      const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
      throw new Error(`the focus is not in "${label}" but on ${where}`);
    });
}

async function csvFile(name, text) {
  const file = path.join(files, name);
  await writeFile(file, text);
  return file;
}

describe('invite from CSV', () => {
  before(async () => {
    files = await mkdtemp(path.join(tmpdir(), 'roster-bulk-'));
    // Invitations work for 2 hours here, not the default 24.
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD, { env: { ROSTER_INVITE_TTL: '7200' } }));
    const orgId = page.url().match(/\/orgs\/(\d+)\//)[1];
    const created = await page.request.post(`${base}/api/v1/orgs/${orgId}/assistants`, {
      data: { name: 'Aria' }, headers: { 'X-Requested-With': 'roster' },
    });
    assert.equal(created.status(), 201);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
    if (files) await rm(files, { recursive: true, force: true });
  });

  const dialog = () => page.getByRole('dialog', { name: 'Invite from CSV' });

  step('"Invite" says how long the one-time password works, as the server is set', async () => {
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await page.locator('#main').getByRole('button', { name: 'Invite', exact: true }).click();
    const invite = page.getByRole('dialog', { name: 'Invite a user' });
    await invite.getByText('They receive an e-mail with a one-time password that works for 2 hours.').waitFor();
    // The focus is in the first field, not on the dialog's frame (from where Tab went to ×).
    await focusOnField(page, 'Name');
    await page.keyboard.press('Tab');
    await focusOnField(page, 'E-mail');
    await record('invite-lifetime');
    await invite.getByRole('button', { name: 'Cancel' }).click();
    await invite.waitFor({ state: 'hidden' });
  });

  step('"Invite from CSV" sits next to "Invite" and explains the file', async () => {
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await page.getByRole('button', { name: 'Invite from CSV' }).click();
    await dialog().getByText('email,name,role,assistants').waitFor();
    // Escape gives the focus back to the button (it fell to the page's body).
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    await focusOn(page, 'Invite from CSV');
    await page.keyboard.press('Enter');
    await dialog().getByText('email,name,role,assistants').waitFor();
    await record('bulk-01-dialog');
  });

  step('a file with an invalid row shows why, and invites nobody', async () => {
    const file = await csvFile('bad.csv', 'email,name,role,assistants\nbob@acme.test,Bob Seller,user,Aria\nnot-an-email,Nobody,user,\ncleo@acme.test,Cleo Closer,boss,Nonesuch\n');
    await dialog().getByLabel('CSV file').setInputFiles(file);
    await dialog().getByText('2 of 3 rows in bad.csv are invalid').waitFor();
    const rows = dialog().locator('.ant-table-tbody tr.ant-table-row');
    assert.equal(await rows.count(), 3);
    // The good row does not claim it "Will be invited", nor the button a count: nobody is.
    await rows.nth(0).getByText('Valid', { exact: true }).waitFor();
    assert.equal(await dialog().getByText('Will be invited', { exact: true }).count(), 0);
    await rows.nth(1).getByText('Invalid').waitFor();
    await rows.nth(2).getByText('No assistant named "Nonesuch" in this organization.').waitFor();
    assert.ok(await dialog().getByRole('button', { name: 'Invite', exact: true }).isDisabled());
    await record('bulk-02-invalid-preview');
    assert.equal(await roster.mailCount(), 1, 'only the admin\'s own invitation was sent');
  });

  step('on a phone the preview fits its dialog, with why each row is invalid in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const file = await csvFile('phone.csv', 'email,name,role,assistants\n'
        + 'bartholomew.longname-with-many-parts@sales-department.acme.test,Bart Long,user,Aria\n'
        + 'not-an-email,Nobody,user,\ncleo@acme.test,Cleo Closer,boss,Nonesuch\n');
      await dialog().getByLabel('CSV file').setInputFiles(file);
      await dialog().getByText('2 of 3 rows in phone.csv are invalid').waitFor();
      const reasons = ['Enter a valid e-mail address.', 'No assistant named "Nonesuch" in this organization.'];
      for (const reason of reasons) await dialog().getByText(reason).waitFor();
      // Nothing wider than the dialog, and the dialog inside the screen.
      const layout = await dialog().evaluate((modal, texts) => {
        const box = modal.getBoundingClientRect();
        const items = [...modal.querySelectorAll('li'), ...modal.querySelectorAll('td')];
        const outside = items.filter((item) => {
          const rect = item.getBoundingClientRect();
          return rect.left < box.left - 0.5 || rect.right > box.right + 0.5;
        }).map((item) => item.textContent);
        const shown = texts.filter((text) => [...modal.querySelectorAll('li')].some((item) => item.textContent === text));
        return {
          outside, shown, left: box.left, right: box.right, width: window.innerWidth,
          overflow: Math.max(...[modal, ...modal.querySelectorAll('*')].map((item) => item.scrollWidth - item.clientWidth)
            .filter((value) => Number.isFinite(value))),
        };
      }, reasons);
      assert.deepEqual(layout.outside, [], 'cells or reasons drawn outside the dialog');
      assert.deepEqual(layout.shown, reasons);
      assert.ok(layout.left >= 0 && layout.right <= layout.width, `the dialog spans ${layout.left}..${layout.right} of ${layout.width}`);
      assert.ok(layout.overflow <= 0, `the dialog scrolls sideways by ${layout.overflow} px`);
      await record('bulk-02b-invalid-preview-phone');
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('a valid file previews each row, then "Invite 3 people" invites them', async () => {
    const file = await csvFile('team.csv', 'email,name,role,assistants\nbob@acme.test,Bob Seller,user,Aria\ncleo@acme.test,"Cleo, Closer",admin,aria\ndan@acme.test,Dan Dialer,,\nada@acme.test,Ada Again,,\n');
    await dialog().getByLabel('CSV file').setInputFiles(file);
    await dialog().getByText('3 people will be invited; 1 already a member.').waitFor();
    const rows = dialog().locator('.ant-table-tbody tr.ant-table-row');
    assert.equal(await rows.count(), 4);
    await rows.nth(3).getByText('Already a member: skipped').waitFor();
    await record('bulk-03-preview');
    assert.equal(await roster.mailCount(), 1, 'the preview sent nothing');
    await dialog().getByRole('button', { name: 'Invite 3 people' }).click();
    await expectToast(page, '3 people invited; 1 already there.');
    await dialog().waitFor({ state: 'detached' });
    await waitForTableIdle(page);
    await row(page, 'Cleo, Closer').waitFor();
    await row(page, 'Dan Dialer').waitFor();
    await record('bulk-04-invited');
    for (const email of ['bob@acme.test', 'cleo@acme.test', 'dan@acme.test']) {
      assert.ok(await roster.oneTimePasswordFor(email));
    }
  });

  step('an open Org users counts the invitations down, and says when one has expired', async () => {
    // The browser's clock, not the server's, runs two hours on.
    await page.clock.install();
    await page.reload();
    const dan = row(page, 'Dan Dialer');
    await dan.getByText(/^1 h 5\d min left$/).waitFor();
    await page.clock.fastForward('02:00:30');
    await dan.getByText('Invite expired').waitFor();
    await record('bulk-05-expired-on-screen');
  });
});
