// How the console is delivered: the strict CSP holds (no inline script, no
// violation while the console runs), hashed assets come gzip-compressed and
// immutable, client-side routes get index.html, and the sign-in page stays
// within its transfer budget of 400 KB compressed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch } from './lib/browser.mjs';
import { encodedBytes, resources } from './lib/measure.mjs';
import { Roster } from './lib/roster.mjs';

const SIGN_IN_BUDGET = 400 * 1024;

let roster;
let base;
let browser;

describe('console delivery', () => {
  before(async () => {
    roster = await Roster.start();
    await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    browser = await launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (roster) await roster.stop();
  });

  it('index.html has no inline script and loads its hashed bundle from /assets/', async () => {
    const response = await fetch(`${base}/`);
    const html = await response.text();
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /src="\/assets\/[^"]+\.js"/, 'every script is a file under /assets/');
      assert.equal(body.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });

  it('hashed assets are served gzip-compressed and immutable', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
    const response = await fetch(`${base}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
  });

  it('a client-side route such as /orgs/1/users answers index.html', async () => {
    const response = await fetch(`${base}/orgs/1/users`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<div id="root">/);
  });

  it(`the sign-in page transfers at most ${SIGN_IN_BUDGET / 1024} KB and breaks no CSP rule`, async () => {
    const page = await browser.context.newPage();
    const violations = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const bytes = await encodedBytes(page);
    const detail = (await resources(page)).map((entry) => `${entry.name} ${entry.encoded}`).join('\n');
    console.log(`sign-in page: ${(bytes / 1024).toFixed(1)} KB compressed\n${detail}`);
    assert.ok(bytes <= SIGN_IN_BUDGET, `sign-in page transferred ${bytes} bytes:\n${detail}`);
    assert.deepEqual(violations, []);
    await page.close();
  });
});
