// The demo's closed budget round, exported as a pabulib .pb file by the server, recomputed offline
// by `gongzhi pb-tally`: the funded projects must equal the published outcome under the round's
// rule (--rule file), and the comparison rule's outcome must equal what the results show beside it.
// Also: the export holds no resident, household or account id (anonymous ballots).
//
// Usage: node tests/votes/pabulib_export_cli_test.mjs GONGZHI_BINARY WORK_DIR
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';

const [binary, workDir] = process.argv.slice(2);
if (!binary || !workDir) {
  console.error('usage: pabulib_export_cli_test.mjs GONGZHI_BINARY WORK_DIR');
  process.exit(2);
}
fs.rmSync(workDir, { recursive: true, force: true });
fs.mkdirSync(workDir, { recursive: true });
const dataDir = path.join(workDir, 'data');

function fail(msg) {
  console.error(`FAIL: ${msg}`);
  process.exitCode = 1;
}

function get(port, target) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: target }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

const server = spawn(binary, ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir],
  { stdio: ['ignore', 'pipe', 'pipe'] });
let port = null;
let stderr = '';
server.stderr.on('data', (d) => {
  stderr += d.toString();
  for (const line of stderr.split('\n')) {
    try {
      const j = JSON.parse(line);
      if (j.event === 'listening' && port === null) port = j.port;
    } catch { /* a partial line */ }
  }
});
server.stdout.on('data', () => {});

try {
  const deadline = Date.now() + 180_000;
  while (port === null) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${stderr.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error('no listening line');
    await new Promise((r) => setTimeout(r, 100));
  }
  const rounds = JSON.parse((await get(port, '/api/v1/budget-rounds?village=420114001205')).body).items;
  const closedRounds = [];
  for (const r of rounds) {
    if (!r.vote) continue;
    const res = JSON.parse((await get(port, `/api/v1/votes/${r.vote}/budget-results`)).body);
    if (res.state === 'closed') closedRounds.push(res);
  }
  if (closedRounds.length === 0) throw new Error('the demo has no closed budget round');
  for (const results of closedRounds) {
    if (results.recount_matches !== true) fail(`vote ${results.vote}: recount_matches is ${results.recount_matches}`);
    const exported = await get(port, `/api/v1/votes/${results.vote}/pabulib`);
    if (exported.status !== 200) throw new Error(`export answered ${exported.status}: ${exported.body}`);
    const file = path.join(workDir, `vote-${results.vote}.pb`);
    fs.writeFileSync(file, exported.body);
    if (/\b\d{7,}\b/.test(exported.body.split('VOTES')[1])) fail('the VOTES section holds a long id (resident/account?)');
    const lines = (args) => execFileSync(binary, ['pb-tally', ...args, file], { encoding: 'utf8' })
      .split('\n').filter((l) => l !== '');
    const sorted = (a) => [...a].map(String).sort();
    const official = lines(['--rule', 'file']);
    const expected = results.outcome.selected.map(String);
    if (JSON.stringify(sorted(official)) !== JSON.stringify(sorted(expected)))
      fail(`--rule file gave ${official} but the published outcome is ${expected}`);
    const otherArgs = results.comparison.rule === 'mes' ? ['--rule', 'mes', '--completion', 'add-one'] : ['--rule', 'greedy'];
    const other = lines(otherArgs);
    const otherExpected = results.comparison.selected.map(String);
    if (JSON.stringify(sorted(other)) !== JSON.stringify(sorted(otherExpected)))
      fail(`${otherArgs.join(' ')} gave ${other} but the results show ${otherExpected}`);
    console.log(`vote ${results.vote}: ${results.rule} ${official.join(',')} | ${results.comparison.rule} ${other.join(',')}`);
  }
} catch (e) {
  fail(e.message);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
if (!process.exitCode) fs.rmSync(workDir, { recursive: true, force: true });
