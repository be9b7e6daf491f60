// What every browser test shares: its command line, the Chromium and axe-core it drives (from
// web/node_modules, Debian's /usr/bin/chromium), the server on a copy of the demo data, signing in
// through the form (staff with a TOTP code), pages with their errors watched, the axe-core scan, the
// server's state read with a page's own session, and the verdict: every problem (a failed step with
// its screenshot and HTML, an axe finding, an uncaught page error or CSP violation, a server error
// line, an unclean exit) fails the test. A test is
//
//   const h = await openHarness(process.argv.slice(2));
//   await h.run('browser.name', async ({ server, base, browser, at, dataDir }) => { at.step = '...'; at.page = page; ... }, 'ok text');
//
//   --binary B --template-dir D --work-dir W [--web-root DIR] [--chromium PATH]
//   [--screenshots DIR] [--timeout-factor F] [--keep] [--postgres STATE_DIR]
// With --postgres the server runs on a copy of the demo database of the ctest PostgreSQL cluster
// (tests/support/postgres.mjs); --template-dir is then the folder made with that database.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, freshTotp, startServer } from '../support/gzclient.mjs';
import { pgDatabaseFor, readPgCluster } from '../support/postgres.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv) {
  const o = {
    binary: null, templateDir: null, workDir: null, webRoot: path.join(REPO, 'web', 'dist'),
    chromium: '/usr/bin/chromium', screenshots: null, timeoutFactor: 1, keep: false, postgres: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a === '--binary') o.binary = path.resolve(val());
    else if (a === '--template-dir') o.templateDir = path.resolve(val());
    else if (a === '--work-dir') o.workDir = path.resolve(val());
    else if (a === '--web-root') o.webRoot = path.resolve(val());
    else if (a === '--chromium') o.chromium = val();
    else if (a === '--screenshots') o.screenshots = path.resolve(val());
    else if (a === '--timeout-factor') o.timeoutFactor = Number(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--postgres') o.postgres = readPgCluster(path.resolve(val()));
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.binary || !o.templateDir || !o.workDir) throw new Error('--binary, --template-dir and --work-dir are required');
  return o;
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export async function openHarness(argv) {
  const opts = parseArgs(argv);
  const T = (ms) => ms * opts.timeoutFactor;
  const { chromium } = await import(path.join(REPO, 'web', 'node_modules', 'playwright-core', 'index.mjs'));
  const AXE = fs.readFileSync(path.join(REPO, 'web', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const problems = [];
  const pageErrors = [];
  const axeReports = [];

  function watch(page, who) {
    page.on('console', (msg) => {
      const text = msg.text();
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(text)) pageErrors.push(`${who}: CSP: ${text}`);
    });
    page.on('pageerror', (e) => pageErrors.push(`${who}: uncaught: ${e.message}`));
    page.setDefaultTimeout(T(15000));
  }

  // axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern, so
  // the app keeps its real CSP during the scan.
  async function axe(page, name) {
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    axeReports.push(`${name}: ${result.length} violations, ${bad.length} serious/critical`);
    for (const v of bad) problems.push(`axe on ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  }

  // --screenshots DIR keeps pictures of the main pages (docs/screenshots/).
  async function shot(page, name, fullPage = false) {
    if (!opts.screenshots) return;
    fs.mkdirSync(opts.screenshots, { recursive: true });
    await page.screenshot({ path: path.join(opts.screenshots, `${name}.png`), fullPage });
  }

  // account: { phone, totp? } (the demo accounts' public TOTP secrets, README.md).
  async function signInThroughForm(page, base, account, password = DEMO_PASSWORD) {
    await page.goto(`${base}/sign-in`);
    await page.locator('input[name=phone]').fill(account.phone);
    await page.locator('input[name=password]').fill(password);
    if (account.totp) await page.locator('input[name=totp]').fill(await freshTotp(account.totp));
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }

  // A fresh context (its own cookies and storage: one person) with one watched page.
  async function newPage(browser, who, viewport, locale = 'zh-CN') {
    const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
    const page = await context.newPage();
    watch(page, who);
    return { context, page };
  }

  // A call with the page's own session (cookie and CSRF token): staff sign in once per test (their
  // TOTP codes are single use), so their API calls go through their browser page.
  async function apiIn(page, method, target, body) {
    return page.evaluate(async ([m, t, b]) => {
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('gz.csrf') || '' };
      const res = await fetch(t, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: res.status, json: await res.json().catch(() => null) };
    }, [method, target, body]);
  }

  async function expectOk(promise, what) {
    const r = await promise;
    check(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    return r.json;
  }

  // A Vant field carries data-test on its wrapper; the input (or textarea) is inside.
  const field = (page, test) => page.locator(`[data-test="${test}"] input, [data-test="${test}"] textarea, input[data-test="${test}"]`).first();

  async function waitUntil(fn, what, ms = 10000) {
    const end = Date.now() + T(ms);
    for (;;) {
      if (await fn()) return;
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // Elder mode on the page: at least 18 px body text, the target at least 44 px high, axe clean.
  async function elderChecks(page, name, targetSelector) {
    await page.locator('[data-test=elder-toggle]').check();
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    check(size >= 18, `${name}: elder mode body text is ${size}px`);
    const box = await page.locator(targetSelector).first().boundingBox();
    check(box && box.height >= 44, `${name}: elder mode target ${targetSelector} is ${box?.height}px high`);
    await axe(page, `${name} (elder mode)`);
    await page.locator('[data-test=elder-toggle]').uncheck();
  }

  // The server on a fresh copy of the demo data serving the built app, a headless Chromium, the
  // scenario, then the verdict. `at.step` names what the scenario is doing and `at.page` the page
  // to photograph if it fails. Exits 1 on any problem (the work folder kept), else 0.
  async function run(name, scenario, okText) {
    const at = { step: 'start', page: null };
    fs.rmSync(opts.workDir, { recursive: true, force: true });
    fs.mkdirSync(opts.workDir, { recursive: true });
    const dataDir = path.join(opts.workDir, 'data');
    fs.cpSync(opts.templateDir, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, '.apitest-template'), { force: true });
    const env = opts.postgres ? { GONGZHI_DATABASE: pgDatabaseFor(opts.postgres, name, true) } : {};
    const server = await startServer(opts.binary, dataDir, ['--demo', '--web-root', opts.webRoot], { cwd: REPO, env, timeoutMs: T(120000) });
    const base = `http://127.0.0.1:${server.port}`;
    const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: ['--no-sandbox'] });
    try {
      await scenario({ server, base, browser, at, dataDir });
    } catch (e) {
      problems.push(`${at.step}: ${e.stack || e.message}`);
      if (at.page) {
        const file = path.join(opts.workDir, `failure-${at.step.replace(/\W+/g, '-')}.png`);
        await at.page.screenshot({ path: file, fullPage: true }).catch(() => null);
        fs.writeFileSync(file.replace(/\.png$/, '.html'), await at.page.content().catch(() => ''));
        problems.push(`screenshot: ${file}`);
      }
    } finally {
      await browser.close();
      const exit = await server.kill('SIGTERM');
      if (exit.code !== 0) problems.push(`the server did not exit 0 after SIGTERM: ${JSON.stringify(exit)}`);
      const errors = server.logLines.filter((l) => /"level":"error"/.test(l));
      if (errors.length) problems.push(`server error lines:\n    ${errors.slice(0, 5).join('\n    ')}`);
    }
    problems.push(...pageErrors);
    console.log(`axe:\n  ${axeReports.join('\n  ')}`);
    if (problems.length) {
      console.log(`FAIL ${name}\n  ${problems.join('\n  ')}`);
      console.log(`  work folder kept: ${opts.workDir}`);
      process.exit(1);
    }
    console.log(`ok ${name}: ${okText}`);
    if (!opts.keep) fs.rmSync(opts.workDir, { recursive: true, force: true });
  }

  return {
    opts, T, chromium, problems, pageErrors, axeReports, watch, axe,
    shot, signInThroughForm, newPage, apiIn, expectOk, field, waitUntil, elderChecks, run,
  };
}
