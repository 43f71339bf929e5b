// Web console figures for BENCHMARKS.md (not part of the test run):
//   1. bytes the sign-in page transfers (compressed response bodies, Resource Timing);
//   2. time to interactive of Org users for an organization of 10,000 members.
//
//   ROSTER_BUILD_DIR=build node tests/e2e/bench-console.mjs [--members 10000] [--runs 5]
//
// The members are seeded with sqlite3 straight into the database before
// `roster serve` starts (inviting 10,000 people through the API would spend
// ~25 ms of argon2 each); a tenth are pending invitations, and every member
// owns two leads on one shared assistant, so lead counts are real.
import os from 'node:os';
import { launch } from './lib/browser.mjs';
import { encodedBytes } from './lib/measure.mjs';
import { Roster } from './lib/roster.mjs';
import { seedMembers } from './lib/seed-members.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const MEMBERS = option('--members', 10000);
const RUNS = option('--runs', 5);
const PASSWORD = 'violet-harbor-quantum-lantern-58';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function signInViaApi(page, base, email, password) {
  const login = await page.request.post(`${base}/api/v1/auth/login`, {
    data: { email, password }, headers: { 'X-Requested-With': 'roster' },
  });
  if (!login.ok()) throw new Error(`login: ${login.status()} ${await login.text()}`);
  return login.json();
}

/** Loads Org users in a fresh tab and times it from navigation start (ms). */
async function timeOrgUsers(context, base) {
  const page = await context.newPage();
  // Long tasks are recorded from the very start of the document.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.startTime + entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${base}/orgs/1/users`);
  await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length >= 50
    && !document.querySelector('.ant-table .ant-spin-spinning'));
  const rowsVisible = await page.evaluate(() => performance.now());
  // Main-thread busy time so far: less sensitive than wall time to other
  // processes competing for the CPU.
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => 1000 * (metrics.find((entry) => entry.name === name)?.value ?? 0);
  // Interactive: the rows are there and the main thread has had no long
  // task for 500 ms (a lightweight stand-in for Lighthouse's TTI).
  await page.waitForTimeout(600);
  const figures = await page.evaluate((rows) => {
    const lastLongTask = Math.max(0, ...window.__longTasks);
    return { rows, interactive: Math.max(rows, lastLongTask), longTasks: window.__longTasks.length };
  }, rowsVisible);
  figures.mainThread = metric('TaskDuration');
  figures.script = metric('ScriptDuration');
  // And a search answered (debounced 300 ms) on the 10,000 rows.
  const searchStart = await page.evaluate(() => performance.now());
  await page.getByLabel('Search members by name or e-mail').fill('Member 09999');
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('.ant-table-tbody tr.ant-table-row');
    return rows.length === 1 && rows[0].textContent.includes('Member 09999');
  });
  figures.search = (await page.evaluate(() => performance.now())) - searchStart;
  await page.close();
  return figures;
}

const roster = await Roster.start();
try {
  const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
  const seedStart = Date.now();
  seedMembers(roster.dbPath, MEMBERS);
  const seedMs = Date.now() - seedStart;
  const base = await roster.serve();
  const browser = await launch({ reducedMotion: 'no-preference' });
  try {
    // 1. The sign-in page, cold cache.
    const signInPage = await browser.context.newPage();
    await signInPage.goto(`${base}/login`, { waitUntil: 'networkidle' });
    await signInPage.getByRole('button', { name: 'Sign in' }).waitFor();
    const signInBytes = await encodedBytes(signInPage);
    const signInTime = await signInPage.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);

    // 2. Ada, with a password, opens Org users repeatedly.
    await signInViaApi(signInPage, base, 'ada@acme.test', otp);
    const change = await signInPage.request.post(`${base}/api/v1/auth/password`, {
      data: { current_password: otp, new_password: PASSWORD }, headers: { 'X-Requested-With': 'roster' },
    });
    if (!change.ok()) throw new Error(`password: ${change.status()} ${await change.text()}`);
    await signInPage.close();

    const apiTimes = [];
    for (let run = 0; run < 20; run += 1) {
      const start = performance.now();
      const answer = await browser.context.request.get(`${base}/api/v1/orgs/1/members?limit=50`);
      if (!answer.ok()) throw new Error(`members: ${answer.status()}`);
      apiTimes.push(performance.now() - start);
    }

    const runs = [];
    // The first load fills the browser cache; the figures are of warm loads.
    const cold = await timeOrgUsers(browser.context, base);
    for (let run = 0; run < RUNS; run += 1) runs.push(await timeOrgUsers(browser.context, base));

    const report = {
      members: MEMBERS,
      seed_ms: seedMs,
      sign_in_bytes_compressed: signInBytes,
      sign_in_kb_compressed: +(signInBytes / 1024).toFixed(1),
      sign_in_load_ms: Math.round(signInTime),
      members_api_first_page_ms_median: +median(apiTimes).toFixed(1),
      org_users_cold_rows_visible_ms: Math.round(cold.rows),
      org_users_cold_interactive_ms: Math.round(cold.interactive),
      org_users_rows_visible_ms_median: Math.round(median(runs.map((r) => r.rows))),
      org_users_interactive_ms_median: Math.round(median(runs.map((r) => r.interactive))),
      org_users_main_thread_busy_ms_median: Math.round(median(runs.map((r) => r.mainThread))),
      org_users_script_ms_median: Math.round(median(runs.map((r) => r.script))),
      org_users_search_ms_median_incl_300ms_debounce: Math.round(median(runs.map((r) => r.search))),
      runs: RUNS,
      load_average: os.loadavg().map((value) => +value.toFixed(1)),
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
  }
} finally {
  await roster.stop();
}
