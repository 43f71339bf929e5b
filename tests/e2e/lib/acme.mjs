// The opening most e2e files share: a real `roster serve` with one
// organization, Acme Sales, whose admin Ada has signed in with the
// one-time password of `roster org create`, set `password`, and landed on
// Org users in her own browser.
import { launch } from './browser.mjs';
import { Roster } from './roster.mjs';
import { setNewPassword, signIn } from './ui.mjs';

export async function startAcmeWithAda(password, options = {}) {
  const roster = await Roster.start(options);
  const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
  const base = await roster.serve();
  const browser = await launch();
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await signIn(page, base, 'ada@acme.test', otp);
  await page.waitForURL(/\/password$/);
  await setNewPassword(page, password);
  await page.waitForURL(/\/orgs\/\d+\/users$/);
  return { roster, base, browser, page };
}
