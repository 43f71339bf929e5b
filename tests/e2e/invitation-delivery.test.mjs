// An invitation the mail server refuses, in the console (docs/invitations.md):
// the admin invites an address the company's relay does not know; once the
// sender gives the e-mail up, the open Org users shows "Not delivered" with
// the mail server's reason beside the invitation, without a reload and
// without disturbing the page, and "Resend invite" clears it. Against a real relay (tests/support/smtp_tls_server.py: TLS, a
// login, and one address it refuses with 550).
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { launch } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { expectToast, row, rowAction, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const RELAY_SCRIPT = new URL('../support/smtp_tls_server.py', import.meta.url).pathname;
const REFUSED = 'refused@example.com';

let roster;
let base;
let browser;
let relay;
let relayDir;
const pages = {};

const { step, record } = story('invitation-delivery', { pages: () => pages });

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on `port`. */
async function listening(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`the relay did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an invitation e-mail the mail server refuses, in the console', () => {
  before(async () => {
    relayDir = await mkdtemp(path.join(os.tmpdir(), 'roster-relay-'));
    const port = await freePort();
    relay = spawn(process.env.ROSTER_TEST_PYTHON ?? '/usr/bin/python3',
      [RELAY_SCRIPT, relayDir, String(port), 'starttls', 'roster', 'relay pass'],
      { stdio: 'ignore' });
    await listening(port);
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    // The organization's first e-mail went to a file; the server's go to the relay.
    roster.env.ROSTER_MAIL = `smtp://roster:relay%20pass@localhost:${port}`;
    roster.env.ROSTER_MAIL_CA = path.join(relayDir, 'ca.pem');
    roster.env.ROSTER_MAIL_RETRY_MAX = '1';
    base = await roster.serve();
    browser = await launch();
    pages.ada = await browser.context.newPage();
    await signIn(pages.ada, base, 'ada@acme.test', otp);
    await pages.ada.waitForURL(/\/password$/);
    await setNewPassword(pages.ada, 'violet-harbor-quantum-lantern-58');
    await pages.ada.waitForURL(/\/orgs\/\d+\/users$/);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
    relay?.kill();
    if (relayDir) await rm(relayDir, { recursive: true, force: true });
  });

  step('Org users says the invitation e-mail was not delivered, and why, without a reload', async () => {
    const page = pages.ada;
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    // Gone with the first reload: the page finds the mark by itself.
    await page.evaluate(() => { window.notReloaded = true; });
    await page.locator('#main').getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Name').fill('Ray Refused');
    await dialog.getByLabel('E-mail').fill(REFUSED);
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await expectToast(page, `Invitation sent to ${REFUSED}.`);
    await waitForTableIdle(page);
    // The sender tries five times (a second apart here) before it gives up;
    // meanwhile the page reads its rows again (every 3 s for 30 s, then every 10 s).
    await row(page, REFUSED).getByText('Not delivered').waitFor({ timeout: 30000 });
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was reloaded');
    const text = await row(page, REFUSED).innerText();
    assert.match(text, /Invited/);
    assert.match(text, /The mail server refused the address \(550\)\./);
    await record(page, 'not-delivered');
  });

  step('Resend invite sends a new e-mail and the row no longer says it failed', async () => {
    const page = pages.ada;
    await rowAction(page, REFUSED, 'Resend invite');
    await expectToast(page, `Invitation resent to ${REFUSED}.`);
    await waitForTableIdle(page);
    assert.doesNotMatch(await row(page, REFUSED).innerText(), /Not delivered/);
    await record(page, 'resent');
  });

  step('the resent e-mail, refused again, is marked on the open page quietly: no spinner, the selection and the open menu stay', async () => {
    const page = pages.ada;
    await row(page, REFUSED).getByRole('checkbox').check();
    await page.evaluate(() => {
      window.spinnerSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('.ant-table .ant-spin-spinning')) window.spinnerSeen = true;
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await row(page, REFUSED).getByRole('button', { name: /^Action/ }).click();
    const resend = page.getByRole('menuitem', { name: 'Resend invite' });
    await resend.waitFor();
    await row(page, REFUSED).getByText('Not delivered').waitFor({ timeout: 30000 });
    assert.ok(await resend.isVisible(), 'the open Action menu closed');
    assert.ok(await row(page, REFUSED).getByRole('checkbox').isChecked(), 'the row was unselected');
    assert.equal(await page.evaluate(() => window.spinnerSeen), false, 'the table showed its spinner');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was reloaded');
    await record(page, 'not-delivered-again');
    await page.keyboard.press('Escape');
  });
});
