// Two builds of the web console compared on Org users of 10,000 members, for
// BENCHMARKS.md (not part of the test run):
//
//   ROSTER_BUILD_DIR=build node tests/e2e/bench-console-compare.mjs WEB_A WEB_B [--members 10000] [--runs 9]
//
// WEB_A and WEB_B are built consoles (e.g. main's and a branch's). Each is
// served by its own `roster serve` on an identical database (seeded as in
// bench-console.mjs), and the loads alternate A, B, B, A, A, B… so that a
// machine whose load changes during the run slows both alike. Besides the
// wall-clock figures of bench-console.mjs, it reports the CPU time of the
// page's main thread from navigation to the 50 rows shown (the thread time
// of its tasks in a Chrome trace): on a shared machine that figure moves
// much less than wall-clock time, which counts the time other processes
// held the CPU.
import os from 'node:os';
import { launch } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { seedMembers } from './lib/seed-members.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const [webA, webB] = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
if (!webA || !webB) throw new Error('usage: bench-console-compare.mjs WEB_A WEB_B [--members N] [--runs N]');
const MEMBERS = option('--members', 10000);
const RUNS = option('--runs', 9);
const PASSWORD = 'violet-harbor-quantum-lantern-58';
const ROWS_SHOWN = () => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length >= 50
  && !document.querySelector('.ant-table .ant-spin-spinning');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A server for one console, its admin signed in with a password in a browser of its own
 *  (cookies do not tell ports apart, so the two need two browsers). */
async function start(webRoot) {
  const roster = await Roster.start({ webRoot });
  const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
  seedMembers(roster.dbPath, MEMBERS);
  const base = await roster.serve();
  const browser = await launch({ reducedMotion: 'no-preference' });
  const page = await browser.context.newPage();
  const headers = { 'X-Requested-With': 'roster' };
  const login = await page.request.post(`${base}/api/v1/auth/login`, { data: { email: 'ada@acme.test', password: otp }, headers });
  if (!login.ok()) throw new Error(`login: ${login.status()}`);
  const change = await page.request.post(`${base}/api/v1/auth/password`,
    { data: { current_password: otp, new_password: PASSWORD }, headers });
  if (!change.ok()) throw new Error(`password: ${change.status()}`);
  // The first load fills the browser cache; the figures are of warm loads.
  await page.goto(`${base}/orgs/1/users`);
  await page.waitForFunction(ROWS_SHOWN);
  await page.close();
  return { roster, base, browser, loads: [] };
}

/** The renderer main thread's CPU time (ms) in a trace: the thread time of its top-level tasks. */
function mainThreadCpu(events) {
  const names = new Map();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') names.set(`${event.pid}:${event.tid}`, event.args.name);
  }
  const perThread = new Map();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph === 'X' && event.name === 'RunTask' && names.get(thread) === 'CrRendererMain') {
      perThread.set(thread, (perThread.get(thread) ?? 0) + (event.tdur ?? 0) / 1000);
    }
  }
  // The page's renderer is the busiest one.
  return Math.max(0, ...perThread.values());
}

async function load(side) {
  const page = await side.browser.context.newPage();
  const cdp = await side.browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
  await page.goto(`${side.base}/orgs/1/users`);
  await page.waitForFunction(ROWS_SHOWN);
  const rows = await page.evaluate(() => performance.now());
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => 1000 * (metrics.find((entry) => entry.name === name)?.value ?? 0);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  let trace = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    trace += chunk.data;
    if (chunk.eof) break;
  }
  const parsed = JSON.parse(trace);
  side.loads.push({
    cpu: mainThreadCpu(parsed.traceEvents ?? parsed),
    rows,
    mainThread: metric('TaskDuration'),
    script: metric('ScriptDuration'),
  });
  await page.close();
}

const sides = { A: await start(webA), B: await start(webB) };
try {
  const loadBefore = os.loadavg()[0];
  for (let run = 0; run < RUNS; run += 1) {
    const order = run % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (const name of order) await load(sides[name]);
  }
  const summary = (side) => ({
    main_thread_cpu_ms_median: Math.round(median(side.loads.map((entry) => entry.cpu))),
    rows_visible_ms_median: Math.round(median(side.loads.map((entry) => entry.rows))),
    main_thread_busy_ms_median: Math.round(median(side.loads.map((entry) => entry.mainThread))),
    script_ms_median: Math.round(median(side.loads.map((entry) => entry.script))),
    main_thread_cpu_ms: side.loads.map((entry) => Math.round(entry.cpu)),
  });
  console.log(JSON.stringify({
    members: MEMBERS,
    runs: RUNS,
    A: { web: webA, ...summary(sides.A) },
    B: { web: webB, ...summary(sides.B) },
    load_average_before: +loadBefore.toFixed(1),
    load_average_after: +os.loadavg()[0].toFixed(1),
    cpus: os.cpus().length,
  }, null, 2));
} finally {
  for (const side of Object.values(sides)) {
    await side.browser.close();
    await side.roster.stop();
  }
}
