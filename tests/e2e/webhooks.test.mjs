// The Webhooks page: an admin adds an endpoint pointing at a receiver this
// test runs, copies the secret shown once, sends a test event, sees it
// delivered with the receiver's status code, redelivers it, and deletes the
// endpoint; the receiver checks every signature with the copied secret.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { settled } from './lib/browser.mjs';
import { story } from './lib/story.mjs';
import { apiAs, expectToast, focusOn, navigate, row, waitForTableIdle } from './lib/ui.mjs';

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

  step('disabling and deleting the endpoint ask for nothing more than a confirmation', async () => {
    await page.getByRole('switch', { name: `Disable ${hookUrl()}` }).click();
    await expectToast(page, 'Endpoint disabled.');
    await page.getByRole('button', { name: `Delete ${hookUrl()}` }).click();
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
