// gzclient: a small client of a running gongzhi server for programs that are not .apitest scripts
// (the crash test in tests/crash/, the appeal scenario of bench/run). Node 18 or later, no npm
// packages. It starts and kills servers, signs in (staff with TOTP, as an authenticator app would),
// and registers villager accounts the way a village cadre does (POST /api/v1/accounts, then the
// villager accepts the invitation and signs in).
//
// The demo accounts and their public TOTP secrets are those of README.md ("Demo accounts").
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';

export const DEMO_PASSWORD = 'gongzhi-demo-2026';
export const DEMO_VILLAGE = '420114001205';
export const DEMO = {
  villager: { phone: '15400000001' },
  villager2: { phone: '15400000002' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  countyAdmin: { phone: '15400000008', totp: 'EIGQVBIQNOCFRXNE2FTVGYCV74S44DNO' },
  auditor: { phone: '15400000009', totp: 'BBNVDSAHSWCAZBIHP55QNS3VSKTJI47P' },
};

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits). tests/support/apitest.mjs checks the same
// algorithm against the RFC's vectors (--self-test).

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of String(text).replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error('not a base32 TOTP secret');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 1e6).padStart(6, '0');
}

// The server accepts each step of a secret once: remember the last one used per secret.
const usedSteps = new Map();
export async function freshTotp(secret) {
  const now = () => Math.floor(Date.now() / 30000);
  let step = now();
  const used = usedSteps.get(secret);
  if (used !== undefined && used >= step) step = used + 1;
  while (step > now() + 1) await sleep(250);
  usedSteps.set(secret, step);
  return hotp(base32Decode(secret), step);
}

// ---------------------------------------------------------------------------------------------
// HTTP

// One request; resolves { status, headers, body, json } (json undefined if the body is not JSON).
// Rejects on a connection error (a killed server) or after `timeoutMs`.
export function request(port, method, target, { token, body, agent, timeoutMs = 15000, headers: extra = {} } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { ...extra };
    let payload = null;
    if (body !== undefined) {
      payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: agent || false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${target}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// Throws unless the answer has the expected status.
export async function expectStatus(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
  return res;
}

// Signs in with a bearer token (the API client form); `totpSecret` for staff.
export async function signIn(port, phone, password = DEMO_PASSWORD, totpSecret = null) {
  const body = { phone, password, client: 'bearer' };
  if (totpSecret) body.totp = await freshTotp(totpSecret);
  const res = await expectStatus(request(port, 'POST', '/api/v1/auth/sign-in', { body }), 200, `sign-in ${phone}`);
  return { token: res.json.token, accountId: res.json.account && res.json.account.id };
}

// Registers `count` villagers of `village` as its cadre would, lets each accept the invitation with
// a password, and signs each in. Phones are 154 + `phoneBase` + i (the synthetic 154 range).
// The server must allow 2 × count sign-in attempts a minute (--sign-in-per-minute).
export async function createVillagers(port, cadreToken, count, { village = DEMO_VILLAGE, phoneBase = 10000 } = {}) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const phone = `154${String(phoneBase + i).padStart(8, '0')}`;
    const created = await expectStatus(
      request(port, 'POST', '/api/v1/accounts', { token: cadreToken, body: { village, name: `村民${i + 1}号`, phone } }),
      201, `create villager ${phone}`);
    const password = `gongzhi bench villager ${i + 1}`;
    await expectStatus(
      request(port, 'POST', '/api/v1/invitations/accept', { body: { code: created.json.invitation.code, phone, password } }),
      200, `accept the invitation of ${phone}`);
    const session = await signIn(port, phone, password);
    out.push({ phone, token: session.token, accountId: created.json.account.id });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Server processes

// Starts `binary serve --listen 127.0.0.1:0 --data-dir DIR ARGS...`; resolves once it logs its
// port. `wrap` (e.g. ['taskset', '-c', '0']) prefixes the command; `env` is added to this
// process's environment. The object has port, pid, exited (a promise of { code, signal }),
// logLines (stderr) and kill(signal).
export function startServer(binary, dataDir, args = [], { wrap = [], cwd, env = {}, timeoutMs = 120000 } = {}) {
  const argv = [...wrap, binary, 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...args];
  const proc = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const server = { proc, pid: proc.pid, port: null, logLines: [], exit: null };
  server.exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      server.exit = { code, signal };
      resolve(server.exit);
    });
  });
  server.kill = (signal) => {
    if (!server.exit) proc.kill(signal);
    return server.exited;
  };
  let partial = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    partial += d;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      server.logLines.push(line);
      if (server.port === null && line.includes('"listening"')) {
        try {
          const j = JSON.parse(line);
          if (j.event === 'listening') server.port = j.port;
        } catch {
          // not JSON: kept in logLines for the report
        }
      }
    }
  });
  return (async () => {
    const deadline = Date.now() + timeoutMs;
    while (server.port === null) {
      if (server.exit) throw new Error(`the server exited before listening: ${JSON.stringify(server.exit)}\n${server.logLines.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`no "listening" line within ${timeoutMs} ms`);
      await sleep(20);
    }
    return server;
  })();
}
