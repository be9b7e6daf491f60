// What every browser test shares: its command line, the Chromium and axe-core it drives (from
// web/node_modules, Debian's /usr/bin/chromium), and the collection of page errors and
// accessibility findings that decide whether it passed.
//
//   --binary B --template-dir D --work-dir W [--web-root DIR] [--chromium PATH]
//   [--screenshots DIR] [--timeout-factor F] [--keep]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv) {
  const o = {
    binary: null, templateDir: null, workDir: null, webRoot: path.join(REPO, 'web', 'dist'),
    chromium: '/usr/bin/chromium', screenshots: null, timeoutFactor: 1, keep: false,
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

  return { opts, T, chromium, problems, pageErrors, axeReports, watch, axe };
}
