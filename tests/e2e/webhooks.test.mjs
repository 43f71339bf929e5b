// The Webhooks page: an admin adds an endpoint pointing at a receiver this
// test runs, copies the secret shown once, sends a test event, sees it
// delivered with the receiver's status code, redelivers it, edits it in
// place (keeping its secret and history), and deletes the endpoint; the
// receiver checks every signature with the copied secret.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { settled } from './lib/browser.mjs';
import { story } from './lib/story.mjs';
import { apiAs, choose, expectToast, focusOn, navigate, row, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';

let roster;
let base;
let browser;
let page;
let receiver;
const received = [];

/** One step of the story: skipped once an earlier step failed. */
const scene = story('webhooks', { pages: () => ({ admin: page }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

/** Standard Webhooks: one of the v1 signatures is HMAC-SHA256(key, id.timestamp.body). */
function verifies(request, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  const expected = `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
  return (request.headers['webhook-signature'] ?? '').split(' ').includes(expected);
}

async function waitFor(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks page', () => {
  before(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        received.push({ headers: request.headers, body, url: request.url });
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        response.end('ok');
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD, { env: { ROSTER_WEBHOOK_ALLOW_HTTP: '1', ROSTER_WEBHOOK_ALLOW_PRIVATE: '1' } }));
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
    if (receiver) await new Promise((resolve) => receiver.close(resolve));
  });

  const hookUrl = () => `http://127.0.0.1:${receiver.address().port}/roster-events`;
  const editedUrl = () => `http://127.0.0.1:${receiver.address().port}/crm-events`;
  /** The body of the next PATCH of an endpoint the page sends. */
  const nextPatch = () => page.waitForRequest((request) => request.method() === 'PATCH'
    && /\/webhooks\/\d+$/.test(request.url())).then((request) => request.postDataJSON());
  /** The action buttons of `url`'s row lie inside their cell, and the page
   *  does not scroll sideways. */
  const actionsFit = async (url) => {
    const fit = await row(page, url).locator('td').last().evaluate((cell) => {
      const box = cell.getBoundingClientRect();
      const out = [...cell.querySelectorAll('button')].filter((button) => {
        const inner = button.getBoundingClientRect();
        return inner.left < box.left - 1 || inner.right > box.right + 1;
      });
      return { out: out.map((button) => button.textContent), scroll: document.documentElement.scrollWidth, width: window.innerWidth };
    });
    assert.deepEqual(fit.out, [], `row actions run out of their cell at ${fit.width} px`);
    assert.ok(fit.scroll <= fit.width, `the page scrolls sideways at ${fit.width} px: ${fit.scroll}`);
  };
  let secret;

  step('an admin finds Webhooks in the menu, with an empty list', async () => {
    await navigate(page, 'Webhooks');
    await page.waitForURL(/\/webhooks$/);
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet').waitFor();
    await record('webhooks-empty');
  });

  step('adding an endpoint shows its signing secret once, with a copy button', async () => {
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await dialog.getByLabel('URL').fill(hookUrl());
    await dialog.getByLabel('Description').fill('CRM sync');
    await record('webhooks-add-dialog');
    // Enter in a field submits the form, as in Create API key.
    await dialog.getByLabel('Description').press('Enter');
    const shown = page.getByRole('dialog', { name: 'Signing secret' });
    await shown.waitFor();
    secret = (await shown.getByTestId('webhook-secret').innerText()).trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await shown.getByRole('button', { name: 'Copy secret' }).waitFor();
    await record('webhooks-secret-once');
    // Neither Escape nor a click outside closes it before "I have saved the secret" is ticked.
    const done = shown.getByRole('button', { name: 'Done' });
    assert.equal(await done.isDisabled(), true, '"Done" waits for "I have saved the secret"');
    assert.equal(await shown.getByRole('button', { name: 'Close' }).count(), 0, 'no ✕ before the secret is saved');
    await page.keyboard.press('Escape');
    await page.mouse.click(8, 8);
    await settled(page);
    assert.equal(await shown.isVisible(), true, 'the dialog closed before the secret was saved');
    await shown.getByRole('checkbox', { name: 'I have saved the secret' }).check();
    await done.click();
    await shown.waitFor({ state: 'hidden' });
    await focusOn(page, 'Add endpoint');
    await row(page, hookUrl()).waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  });

  step('a test event is delivered, signed, and shown with the response code', async () => {
    await page.getByRole('button', { name: `Send test event to ${hookUrl()}` }).click();
    await expectToast(page, 'Test event queued.');
    await waitFor(() => received.length >= 1, 'the test event');
    const event = JSON.parse(received[0].body);
    assert.equal(event.type, 'webhook.test');
    assert.equal(received[0].url, '/roster-events');
    assert.ok(verifies(received[0], secret), 'the signature verifies with the secret shown');
    await row(page, hookUrl()).getByRole('button', { name: /expand row/i }).click();
    const delivery = page.locator('.webhook-deliveries tr.ant-table-row', { hasText: 'webhook.test' });
    await delivery.filter({ hasText: 'delivered' }).filter({ hasText: '200' }).waitFor({ timeout: 15000 });
    await record('webhooks-delivered');
  });

  step('"Redeliver" sends the same event again', async () => {
    await page.getByRole('button', { name: /^Redeliver webhook\.test/ }).first().click();
    await expectToast(page, 'queued again');
    await waitFor(() => received.length >= 2, 'the redelivery');
    assert.equal(received[1].headers['webhook-id'], received[0].headers['webhook-id']);
    assert.ok(verifies(received[1], secret));
    await page.getByRole('button', { name: `Reload deliveries of ${hookUrl()}` }).click();
    await page.locator('.webhook-deliveries tr.ant-table-row', { hasText: 'delivered' }).nth(1).waitFor({ timeout: 15000 });
  });

  step('a second rotation within 24 hours says the previous secret stops signing at once', async () => {
    const rotateOnce = async () => {
      await waitForTableIdle(page);
      await page.getByRole('button', { name: `Rotate secret of ${hookUrl()}` }).click();
      const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
      await confirm.waitFor();
      const text = await confirm.innerText();
      await confirm.getByRole('button', { name: 'Rotate secret' }).click();
      const shown = page.getByRole('dialog', { name: 'Signing secret' });
      await shown.getByTestId('webhook-secret').waitFor();
      const note = await shown.innerText();
      await shown.getByRole('checkbox', { name: 'I have saved the secret' }).check();
      await shown.getByRole('button', { name: 'Done' }).click();
      await shown.waitFor({ state: 'hidden' });
      // The focus is back on the row's Rotate secret, not on the body.
      await focusOn(page, `Rotate secret of ${hookUrl()}`);
      return { text, note };
    };
    const first = await rotateOnce();
    assert.match(first.text, /For 24 hours deliveries carry the current secret's signature too/);
    assert.doesNotMatch(first.text, /stops signing at once/, 'no previous secret to stop yet');
    assert.match(first.note, /also carry the old secret's signature/);
    await row(page, hookUrl()).getByText('Previous secret also signs until').waitFor();

    await waitForTableIdle(page);
    await page.getByRole('button', { name: `Rotate secret of ${hookUrl()}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await confirm.getByText('The previous secret stops signing at once.').waitFor();
    await record('webhooks-second-rotation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    const second = await rotateOnce();
    assert.match(second.text, /previous secret stops signing at once/);
    assert.match(second.note, /The secret before that no longer signs/);
  });

  step('an endpoint disabled elsewhere: "Send test event" is refused and the row shows it off', async () => {
    const { items } = await apiAs(page, base, 'GET', '/orgs/1/webhooks');
    const hook = items.find((item) => item.url === hookUrl());
    await apiAs(page, base, 'PATCH', `/orgs/1/webhooks/${hook.id}`, { enabled: false });
    await waitForTableIdle(page);
    // The page still shows it enabled: the test event is refused.
    await page.getByRole('button', { name: `Send test event to ${hookUrl()}` }).click();
    await expectToast(page, 'This webhook is disabled; enable it first.');
    const enable = page.getByRole('switch', { name: `Enable ${hookUrl()}` });
    await enable.waitFor();
    assert.equal(await enable.getAttribute('aria-checked'), 'false', 'the switch shows the server\'s state');
    await record('webhooks-disabled-elsewhere');
    // One click enables it, as the toast asks.
    await waitForTableIdle(page);
    await enable.click();
    await expectToast(page, 'Endpoint enabled.');
    await page.getByRole('switch', { name: `Disable ${hookUrl()}` }).waitFor();
    const after = await apiAs(page, base, 'GET', '/orgs/1/webhooks');
    assert.equal(after.items.find((item) => item.id === hook.id).enabled, true, 'one click enabled it');
  });

  step('"Edit" changes the URL, description and events in place, sending only those', async () => {
    await waitForTableIdle(page);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('button', { name: `Edit ${hookUrl()}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit endpoint' });
    await dialog.waitFor();
    // Pre-filled with the endpoint as it is.
    assert.equal(await dialog.getByLabel('URL').inputValue(), hookUrl());
    assert.equal(await dialog.getByLabel('Description').inputValue(), 'CRM sync');
    const all = dialog.getByRole('checkbox', { name: 'All events, including types added later' });
    assert.equal(await all.isChecked(), true);
    await dialog.getByLabel('URL').fill(editedUrl());
    await dialog.getByLabel('Description').fill('CRM sync (v2)');
    await all.uncheck();
    await choose(page, dialog.getByRole('combobox', { name: 'Events' }), 'member.joined', 'member.joi');
    await choose(page, dialog.getByRole('combobox', { name: 'Events' }), 'lead.created', 'lead.cre');
    await dialog.getByLabel('Description').click();
    await record('webhooks-edit-dialog');
    // Enter in a field saves, as in Add endpoint.
    const patch = nextPatch();
    await dialog.getByLabel('Description').press('Enter');
    assert.deepEqual(await patch, { url: editedUrl(), description: 'CRM sync (v2)', events: ['member.joined', 'lead.created'] });
    await expectToast(page, `Endpoint ${editedUrl()} saved.`);
    await dialog.waitFor({ state: 'hidden' });
    const edited = row(page, editedUrl());
    await edited.getByText('CRM sync (v2)').waitFor();
    await edited.getByText('member.joined').waitFor();
    await edited.getByText('lead.created').waitFor();
    assert.equal(await edited.getByText('All events').count(), 0);
    // The focus is back on the row's Edit, under its new name.
    await focusOn(page, `Edit ${editedUrl()}`);
    await actionsFit(editedUrl());
    await page.setViewportSize({ width: 390, height: 860 });
    await actionsFit(editedUrl());
    await page.setViewportSize({ width: 1366, height: 860 });
  });

  step('an edit survives a reload and keeps the secret and the delivery history', async () => {
    await page.reload();
    const edited = row(page, editedUrl());
    await edited.getByText('CRM sync (v2)').waitFor();
    await edited.getByText('lead.created').waitFor();
    // Still the same endpoint: the rotated secret's predecessor still signs,
    // and the deliveries sent to the old URL are listed.
    await edited.getByText('Previous secret also signs until').waitFor();
    await edited.getByRole('button', { name: /expand row/i }).click();
    await page.locator('.webhook-deliveries tr.ant-table-row', { hasText: 'webhook.test' }).first().waitFor();
    const { items } = await apiAs(page, base, 'GET', '/orgs/1/webhooks');
    assert.deepEqual(items.map(({ url, description, events }) => ({ url, description, events })),
      [{ url: editedUrl(), description: 'CRM sync (v2)', events: ['member.joined', 'lead.created'] }]);
    // A change of the description alone sends the description alone.
    await waitForTableIdle(page);
    await page.getByRole('button', { name: `Edit ${editedUrl()}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit endpoint' });
    assert.equal(await dialog.getByLabel('URL').inputValue(), editedUrl());
    await dialog.getByLabel('Description').fill('CRM sync');
    const patch = nextPatch();
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.deepEqual(await patch, { description: 'CRM sync' });
    await expectToast(page, `Endpoint ${editedUrl()} saved.`);
    await row(page, editedUrl()).getByText('CRM sync', { exact: true }).waitFor();
    await focusOn(page, `Edit ${editedUrl()}`);
  });

  step('a URL the server refuses (422) is shown under URL, and nothing changes', async () => {
    await waitForTableIdle(page);
    await page.getByRole('button', { name: `Edit ${editedUrl()}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit endpoint' });
    const refusedUrl = `http://user:secret@127.0.0.1:${receiver.address().port}/crm-events`;
    await dialog.getByLabel('URL').fill(refusedUrl);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const urlItem = dialog.locator('.ant-form-item', { has: page.getByLabel('URL') });
    await urlItem.getByText('A webhook URL carries no user name or password.').waitFor();
    assert.equal(await dialog.getByLabel('URL').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.locator('.form-alert').count(), 0, 'the field says it, not an alert over the form');
    await record('webhooks-edit-refused');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, `Edit ${editedUrl()}`);
    const { items } = await apiAs(page, base, 'GET', '/orgs/1/webhooks');
    assert.equal(items[0].url, editedUrl(), 'the refused URL was not saved');
    // Opened again, the dialog shows the endpoint, not the refused edit.
    await page.getByRole('button', { name: `Edit ${editedUrl()}` }).click();
    assert.equal(await dialog.getByLabel('URL').inputValue(), editedUrl());
    assert.equal(await urlItem.getByText('A webhook URL carries no user name or password.').count(), 0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, `Edit ${editedUrl()}`);
  });

  step('disabling and deleting the endpoint ask for nothing more than a confirmation', async () => {
    await page.getByRole('switch', { name: `Disable ${editedUrl()}` }).click();
    await expectToast(page, 'Endpoint disabled.');
    await page.getByRole('button', { name: `Delete ${editedUrl()}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete endpoint?' });
    await confirm.waitFor();
    await record('webhooks-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expectToast(page, 'Endpoint deleted.');
    await page.getByText('No endpoints yet').waitFor();
    // Its row is gone: the focus is on the page's main region, not on the body.
    await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 5000 });
  });
});
