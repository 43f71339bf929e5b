// A real Roster for the browser tests: a fresh SQLite database and mail
// directory in a temporary folder, `roster migrate`, `roster org create`, and
// `roster serve` on a free port serving the built console.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The build directory: $ROSTER_BUILD_DIR, else <repo>/build. */
export function buildDir() {
  const fromEnv = process.env.ROSTER_BUILD_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.resolve(new URL('../../../build', import.meta.url).pathname);
}

export class Roster {
  /** @param {{ webRoot?: string, env?: Record<string,string> }} options */
  static async start(options = {}) {
    const build = buildDir();
    const binary = path.join(build, 'roster');
    const webRoot = options.webRoot ?? process.env.ROSTER_WEB_ROOT ?? path.join(build, 'web');
    if (!existsSync(binary)) throw new Error(`no roster executable at ${binary}`);
    if (!existsSync(path.join(webRoot, 'index.html'))) {
      throw new Error(`no built console at ${webRoot} (build it with cmake -DROSTER_BUILD_WEB=ON or set ROSTER_WEB_ROOT)`);
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'roster-e2e-'));
    const roster = new Roster(binary, dir, webRoot, options.env ?? {});
    await roster.#cli(['migrate']);
    return roster;
  }

  constructor(binary, dir, webRoot, extraEnv) {
    this.binary = binary;
    this.dir = dir;
    this.webRoot = webRoot;
    this.mailDir = path.join(dir, 'mail');
    this.dbPath = path.join(dir, 'roster.db');
    this.env = {
      ...process.env,
      ROSTER_DB: `sqlite:${this.dbPath}`,
      ROSTER_MAIL: `file:${this.mailDir}`,
      ROSTER_WEB_ROOT: webRoot,
      ROSTER_LISTEN: '127.0.0.1:0',
      ROSTER_LOG_LEVEL: process.env.ROSTER_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    };
    this.process = null;
    this.url = null;
    this.log = '';
  }

  async #cli(args) {
    const { stdout } = await run(this.binary, args, { env: this.env, cwd: this.dir });
    return stdout;
  }

  /** `roster org create`; returns the admin's one-time password. */
  async createOrganization(name, adminEmail, adminName) {
    const out = await this.#cli(['org', 'create', '--name', name, '--admin-email', adminEmail, '--admin-name', adminName]);
    const match = out.match(/one-time password:\s*(\S+)/i);
    if (!match) throw new Error(`org create printed no one-time password:\n${out}`);
    return match[1];
  }

  async serve() {
    this.process = spawn(this.binary, ['serve'], { env: this.env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stderr.on('data', (chunk) => { this.log += chunk; });
    this.url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`roster serve did not start:\n${out}\n${this.log}`)), 15000);
      this.process.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (http:\/\/[^\s]+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      });
      this.process.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`roster serve exited with ${code}:\n${out}\n${this.log}`));
      });
    });
    return this.url;
  }

  /** The one-time password of the newest e-mail to `recipient` (waits for delivery). */
  async oneTimePasswordFor(recipient, { after = 0, timeoutMs = 10000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mails = await this.mailsTo(recipient);
      const fresh = mails.filter((mail) => mail.index >= after);
      const latest = fresh[fresh.length - 1];
      const match = latest?.text.match(/^One-time password: (\S+)\s*$/m);
      if (match) return match[1];
      if (Date.now() > deadline) throw new Error(`no e-mail with a one-time password reached ${recipient}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Delivered .eml files addressed to `recipient`, oldest first. */
  async mailsTo(recipient) {
    if (!existsSync(this.mailDir)) return [];
    const names = (await readdir(this.mailDir)).filter((name) => name.endsWith('.eml')).sort(byNumber);
    const mails = [];
    for (const [index, name] of names.entries()) {
      const raw = await readFile(path.join(this.mailDir, name), 'utf8');
      const text = decodeQuotedPrintable(raw);
      // A long name folds the To: header onto more lines (RFC 5322 2.2.3).
      const to = raw.replace(/\r?\n[ \t]+/g, ' ').match(/^To:(.*)$/im)?.[1] ?? '';
      if (to.toLowerCase().includes(recipient.toLowerCase())) mails.push({ index, name, text });
    }
    return mails;
  }

  async mailCount() {
    if (!existsSync(this.mailDir)) return 0;
    return (await readdir(this.mailDir)).filter((name) => name.endsWith('.eml')).length;
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.ROSTER_E2E_KEEP) await rm(this.dir, { recursive: true, force: true });
  }
}

function byNumber(a, b) {
  const number = (name) => Number(name.match(/-(\d+)\.eml$/)?.[1] ?? 0);
  return number(a) - number(b) || a.localeCompare(b);
}

/** Enough of RFC 2045 quoted-printable for reading the text part's lines. */
function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}
