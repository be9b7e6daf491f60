#!/usr/bin/env node
// apitest: runs DuckDB/sqllogictest-style `.apitest` scripts against the real gongzhi binary.
//
// Each script gets its own server process (`gongzhi serve --listen 127.0.0.1:0`) with its own data
// folder, speaks HTTP to it over loopback, then stops it with SIGTERM and requires exit code 0.
// Besides the script's own `expect` lines, every response must carry the security headers and an
// X-Request-Id, no response may be a 5xx the script did not expect, the server's stderr must hold
// only JSON log lines, none at level "error" unless the script allows it, none with a sanitizer
// report, and no stdout/stderr line may contain a `# canary:` string of the script.
//
// The format is documented in docs/testing.md. Node 18 or later, no npm packages.
//
// Binary bodies and answers (uploads, images):
//   POST /path @file tests/fixtures/x.jpg image/jpeg   the body is the file's bytes (path relative to
//                                                      the repository), sent with that Content-Type
//                                                      (none when the type is left out)
//   expect bytes length OP N | sha256 OP HEX | prefix OP HEX | contains TEXT | !contains TEXT
//                                                      the answer's raw bytes (TEXT as UTF-8 bytes)
//   expect image PATH OP VALUE                         the answer read as an image by this runner's
//                                                      own JPEG/PNG/WebP walker: {format, width, height,
//                                                      metadata: [...]} (EXIF/XMP/ICC/IPTC/comment
//                                                      segments, PNG text/eXIf/iCCP/tIME chunks, ...)
//   expect exiftool OP VALUE                           the text `exiftool -a -G1 -s -` prints for the
//                                                      answer's bytes (Debian libimage-exiftool-perl)
//
// Usage:
//   node tests/support/apitest.mjs --binary build/gongzhi [options] FILE.apitest...
//   node tests/support/apitest.mjs --binary build/gongzhi --make-template DIR
// Options:
//   --work-dir DIR        where per-script data folders go (default: the OS temp folder)
//   --template-dir DIR    demo data folder made once (`serve --demo`) and copied for each script
//                         whose `# server:` line has --demo (made on first use, under a lock)
//   --cwd DIR             working directory of the server (default: the repository root)
//   --timeout-factor F    multiply every timeout (the sanitizer build uses 3)
//   --keep                keep data folders even when the script passes
//   --must-fail           negative controls: each script must fail, with a failure text that
//                         matches its `# must-fail-with: REGEX` line
//   --verbose             print every step
//   --postgres STATE_DIR  run the server on PostgreSQL: the throwaway cluster that
//                         `gz_pg_test_cluster start STATE_DIR` recorded; each script gets a database
//                         of its own (a copy of the demo database for --demo scripts), passed to
//                         the server as GONGZHI_DATABASE
//   --self-test           check the runner's own TOTP code against RFC 6238 appendix B, its
//                         @file request bodies and its image walker (on the attachment fixtures)
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_TEMPLATE_DB, readPgCluster, pgUrl as pgUrlOf, pgSql as pgSqlOn, pgDatabaseFor as pgDatabaseOn } from './postgres.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEMPLATE_MARKER = '.apitest-template';

// ---------------------------------------------------------------------------------------------
// Small helpers

class TestFailure extends Error {
  constructor(message, line) {
    super(message);
    this.line = line;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Turns "(?i)abc" into /abc/i; anything else into a plain RegExp. Flags: `m` for body matches.
function makeRegex(text, extraFlags = '') {
  let flags = extraFlags;
  if (text.startsWith('(?i)')) {
    text = text.slice(4);
    flags += 'i';
  }
  try {
    return new RegExp(text, flags);
  } catch (e) {
    throw new TestFailure(`bad regular expression /${text}/: ${e.message}`);
  }
}

// Escapes of raw blocks and quoted strings: \r \n \t \0 \\ \" \xNN \uNNNN.
function unescape(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const n = text[++i];
    if (n === 'r') out += '\r';
    else if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === '0') out += '\0';
    else if (n === 'x') {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u') {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += n;
  }
  return out;
}

// Parses a value written in a script: JSON if it parses as JSON, else the text itself.
function parseLiteral(text) {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

function deepEqual(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = canonical(v[k]);
    return o;
  }
  return v;
}

function show(v, max = 300) {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  if (s === undefined) return 'undefined';
  return s.length > max ? s.slice(0, max) + `... (${s.length} chars)` : s;
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

// Splits a `# server:` line into arguments; double and single quotes group words.
function splitArgs(text) {
  const out = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(text))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238 over RFC 4226 HOTP): what an authenticator app shows, so that scripts can sign in
// as staff. HMAC-SHA1, 30-second steps, 6 digits, the parameters every common app assumes.

const TOTP_STEP_SECONDS = 30;

// RFC 4648 base32, upper or lower case, '=' padding and spaces ignored.
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = String(text).replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new TestFailure(`not a base32 TOTP secret: ${show(text)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (out.length === 0) throw new TestFailure('empty TOTP secret');
  return Buffer.from(out);
}

function hotp(key, counter, digits = 6, algorithm = 'sha1') {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

// The map key of a secret: the same secret written in another case or with spaces is the same.
function totpKey(secret) {
  return String(secret).replace(/[\s=]/g, '').toUpperCase();
}

function totpStep(timeMs = Date.now()) {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

// RFC 6238 appendix B (SHA-1 rows, 8 digits) plus the 6-digit form the server uses.
function totpSelfTest() {
  const key = Buffer.from('12345678901234567890', 'ascii');
  const rows = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  const bad = [];
  for (const [t, want] of rows) {
    const got8 = hotp(key, totpStep(t * 1000), 8);
    const got6 = hotp(key, totpStep(t * 1000), 6);
    if (got8 !== want || got6 !== want.slice(2)) bad.push(`T=${t}: got ${got8}/${got6}, want ${want}/${want.slice(2)}`);
  }
  // The same key written in base32, as the server hands it out.
  const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  if (!base32Decode(b32).equals(key)) bad.push('base32 decoding of the RFC key differs');
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Images: an independent reader of what the server serves (it shares no code with the server's
// own container walk), listing dimensions and every block that could carry metadata.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// PNG chunks that say how to display the pixels and nothing about the photo or its owner.
const PNG_DISPLAY_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs']);

function inspectJpeg(b) {
  const out = { format: 'jpeg', width: null, height: null, metadata: [] };
  let pos = 2;
  for (;;) {
    if (pos >= b.length) throw new TestFailure(`JPEG: no end marker (cut at ${b.length} bytes)`);
    if (b[pos] !== 0xff) throw new TestFailure(`JPEG: no marker at offset ${pos}`);
    while (pos < b.length && b[pos] === 0xff) pos++;
    const m = b[pos++];
    if (m === 0xd9) break;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue;
    if (pos + 2 > b.length) throw new TestFailure('JPEG: cut inside a segment header');
    const len = b.readUInt16BE(pos);
    if (len < 2 || pos + len > b.length) throw new TestFailure(`JPEG: bad segment length ${len} at ${pos}`);
    const data = b.subarray(pos + 2, pos + len);
    pos += len;
    const starts = (text) => data.subarray(0, text.length).equals(Buffer.from(text, 'latin1'));
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      out.height = data.readUInt16BE(1);
      out.width = data.readUInt16BE(3);
    } else if (m === 0xe0) {
      if (!starts('JFIF\0') && !starts('JFXX\0')) out.metadata.push('APP0');
    } else if (m === 0xe1) {
      out.metadata.push(starts('Exif\0') ? 'exif' : starts('http://ns.adobe.com/xap/1.0/') ? 'xmp' : 'APP1');
    } else if (m === 0xe2) {
      out.metadata.push(starts('ICC_PROFILE\0') ? 'icc' : 'APP2');
    } else if (m >= 0xe3 && m <= 0xef) {
      out.metadata.push(m === 0xed ? 'iptc' : `APP${m - 0xe0}`);
    } else if (m === 0xfe) {
      out.metadata.push('comment');
    } else if (m === 0xda) {
      while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0 && b[pos + 1] !== 0xff && !(b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7))) pos++;
    }
  }
  if (pos < b.length) out.trailing = b.length - pos;
  return out;
}

function inspectPng(b) {
  const out = { format: 'png', width: null, height: null, metadata: [] };
  let pos = 8;
  for (;;) {
    if (pos + 12 > b.length) throw new TestFailure(`PNG: cut at ${b.length} bytes`);
    const len = b.readUInt32BE(pos);
    const type = b.subarray(pos + 4, pos + 8).toString('latin1');
    if (type === 'IHDR') {
      out.width = b.readUInt32BE(pos + 8);
      out.height = b.readUInt32BE(pos + 12);
    }
    if (!PNG_DISPLAY_CHUNKS.has(type)) out.metadata.push(type);
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  if (pos < b.length) out.trailing = b.length - pos;
  return out;
}

function inspectWebp(b) {
  const out = { format: 'webp', width: null, height: null, metadata: [] };
  const end = Math.min(b.length, 8 + b.readUInt32LE(4));
  for (let pos = 12; pos + 8 <= end;) {
    const type = b.subarray(pos, pos + 4).toString('latin1');
    const size = b.readUInt32LE(pos + 4);
    const d = b.subarray(pos + 8, pos + 8 + size);
    if (type === 'VP8X') {
      out.width = d.readUIntLE(4, 3) + 1;
      out.height = d.readUIntLE(7, 3) + 1;
    } else if (type === 'VP8 ' && out.width === null) {
      out.width = d.readUInt16LE(6) & 0x3fff;
      out.height = d.readUInt16LE(8) & 0x3fff;
    } else if (type === 'VP8L' && out.width === null) {
      const bits = d.readUInt32LE(1);
      out.width = (bits & 0x3fff) + 1;
      out.height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (type === 'EXIF' || type === 'XMP ' || type === 'ICCP') {
      out.metadata.push(type.trim().toLowerCase());
    }
    pos += 8 + size + (size & 1);
  }
  return out;
}

function inspectImage(bytes) {
  const b = Buffer.from(bytes);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return inspectJpeg(b);
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return inspectPng(b);
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return inspectWebp(b);
  throw new TestFailure(`not a JPEG, PNG or WebP image (starts with ${b.subarray(0, 8).toString('hex')})`);
}

function imageSelfTest() {
  const bad = [];
  const fixture = (name) => fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'attachments', name));
  const expect = (what, got, want) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  try {
    const jpeg = inspectImage(fixture('gps.jpg'));
    expect('gps.jpg size', [jpeg.format, jpeg.width, jpeg.height], ['jpeg', 320, 240]);
    for (const m of ['exif', 'xmp', 'icc', 'iptc', 'comment']) if (!jpeg.metadata.includes(m)) bad.push(`gps.jpg: ${m} not found in ${jpeg.metadata}`);
    const png = inspectImage(fixture('gps.png'));
    expect('gps.png size', [png.format, png.width, png.height], ['png', 320, 240]);
    if (!png.metadata.includes('eXIf')) bad.push(`gps.png: eXIf not found in ${png.metadata}`);
    const webp = inspectImage(fixture('gps.webp'));
    expect('gps.webp', [webp.format, webp.width, webp.height, webp.metadata.includes('exif')], ['webp', 320, 240, true]);
    expect('alpha.png metadata', inspectImage(fixture('alpha.png')).metadata, []);
    expect('polyglot-zip.jpg trailing', inspectImage(fixture('polyglot-zip.jpg')).trailing > 0, true);
    let threw = false;
    try {
      inspectImage(fixture('truncated.jpg'));
    } catch {
      threw = true;
    }
    expect('truncated.jpg refused', threw, true);
  } catch (e) {
    bad.push(`image walker: ${e.message}`);
  }
  // An @file request line: the file's bytes as the body, with the given Content-Type.
  try {
    const { steps } = parseScript('POST /x @file tests/fixtures/attachments/gps.jpg image/jpeg\nPOST /y @file tests/fixtures/attachments/empty.jpg\n', 'self-test');
    expect('@file parse', [steps[0].bodyFile, steps[0].bodyType, steps[1].bodyFile, steps[1].bodyType],
           ['tests/fixtures/attachments/gps.jpg', 'image/jpeg', 'tests/fixtures/attachments/empty.jpg', null]);
    expect('@file bytes', readBodyFile(steps[0].bodyFile).equals(fixture('gps.jpg')), true);
  } catch (e) {
    bad.push(`@file: ${e.message}`);
  }
  return bad;
}

function readBodyFile(file) {
  const full = path.resolve(REPO_ROOT, file);
  if (!fs.existsSync(full)) throw new TestFailure(`@file: no file ${file} (paths are relative to the repository)`);
  return fs.readFileSync(full);
}

// ---------------------------------------------------------------------------------------------
// JSON paths: ".", ".a", ".a.b", ".a[0]", ".a[-1]", ".a[*].b", '.["odd key"]', '."odd key"'

function parsePath(text) {
  const p = text.trim();
  if (!p.startsWith('.') && !p.startsWith('[')) throw new TestFailure(`a JSON path starts with '.': ${p}`);
  const parts = [];
  let i = 0;
  while (i < p.length) {
    if (p[i] === '.') {
      i++;
      if (i >= p.length) break;
      if (p[i] === '"') {
        const end = p.indexOf('"', i + 1);
        parts.push({ key: p.slice(i + 1, end) });
        i = end + 1;
      } else if (p[i] !== '[') {
        let j = i;
        while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
        parts.push({ key: p.slice(i, j) });
        i = j;
      }
    } else if (p[i] === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new TestFailure(`unclosed [ in JSON path ${p}`);
      const inner = p.slice(i + 1, end).trim();
      if (inner === '*' || inner === '') parts.push({ all: true });
      else if (/^-?\d+$/.test(inner)) parts.push({ index: parseInt(inner, 10) });
      else parts.push({ key: JSON.parse(inner.replace(/^'|'$/g, '"')) });
      i = end + 1;
    } else {
      throw new TestFailure(`bad JSON path ${p} at ${i}`);
    }
  }
  return parts;
}

// Returns { values: [...], wildcard: bool }: every value the path selects (missing ones are skipped).
function selectPath(doc, pathText) {
  const parts = parsePath(pathText);
  let current = [doc];
  let wildcard = false;
  for (const part of parts) {
    const next = [];
    for (const v of current) {
      if (part.all) {
        wildcard = true;
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else if (part.index !== undefined) {
        if (Array.isArray(v)) {
          const idx = part.index < 0 ? v.length + part.index : part.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, part.key)) {
        next.push(v[part.key]);
      }
    }
    current = next;
  }
  return { values: current, wildcard };
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1 response parsing, for `raw` blocks and `fuzz` (Node's client would hide mistakes).

// The methods of the requests in `bytes`, in order, so that the answer to a HEAD (which has a
// Content-Length but no body) is parsed as such. A heuristic: request lines anywhere in the bytes
// (a pipelined request may follow a body directly).
function requestMethods(bytes) {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('latin1') : String(bytes);
  return [...text.matchAll(/([A-Z]+) [^\r\n ]* HTTP\/\d\.\d\r?\n/g)].map((m) => m[1]);
}

// Parses as many complete responses as `buf` holds. `closed`: the peer closed, so a body without
// Content-Length ends here. `methods`: the request methods in order (see requestMethods).
// Returns { responses, error, rest }.
function parseRawResponses(buf, closed, methods = []) {
  const responses = [];
  let pos = 0;
  while (pos < buf.length) {
    let headRequest = methods[responses.length] === 'HEAD';
    const headEnd = buf.indexOf('\r\n\r\n', pos, 'latin1');
    if (headEnd < 0) {
      return { responses, error: closed ? `incomplete response head: ${show(buf.slice(pos, pos + 200).toString('latin1'))}` : null, rest: buf.slice(pos) };
    }
    const head = buf.slice(pos, headEnd).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) return { responses, error: `bad status line ${show(lines[0])}`, rest: buf.slice(pos) };
    const headers = {};
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      if (c <= 0 || /[\s]/.test(l.slice(0, c))) return { responses, error: `bad header line ${show(l)}`, rest: buf.slice(pos) };
      const name = l.slice(0, c).toLowerCase();
      const value = l.slice(c + 1).trim();
      headers[name] = name in headers ? headers[name] + ', ' + value : value;
    }
    const status = parseInt(m[1], 10);
    let bodyStart = headEnd + 4;
    // A request the server rejected as malformed may have looked like a HEAD to us but not to the
    // server, which then rightly sends a body: bytes after the head that do not start another
    // response are that body.
    if (headRequest && bodyStart < buf.length && !buf.slice(bodyStart, bodyStart + 7).toString('latin1').startsWith('HTTP/1.')) headRequest = false;
    let body;
    if (headRequest || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = Buffer.alloc(0);
    } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
      const chunks = [];
      let p = bodyStart;
      for (;;) {
        const le = buf.indexOf('\r\n', p, 'latin1');
        if (le < 0) return { responses, error: closed ? 'truncated chunked body' : null, rest: buf.slice(pos) };
        const size = parseInt(buf.slice(p, le).toString('latin1'), 16);
        if (Number.isNaN(size)) return { responses, error: 'bad chunk size', rest: buf.slice(pos) };
        if (size === 0) {
          const end = buf.indexOf('\r\n\r\n', le - 2 < p ? le : le - 2, 'latin1');
          if (end < 0) return { responses, error: closed ? 'truncated chunked trailer' : null, rest: buf.slice(pos) };
          bodyStart = end + 4;
          break;
        }
        if (le + 2 + size + 2 > buf.length) return { responses, error: closed ? 'truncated chunk' : null, rest: buf.slice(pos) };
        chunks.push(buf.slice(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      body = Buffer.concat(chunks);
      responses.push({ status, reason: m[2] || '', headers, body: body.toString('utf8') });
      pos = bodyStart;
      continue;
    } else if (headers['content-length'] !== undefined) {
      const len = parseInt(headers['content-length'], 10);
      if (!/^\d+$/.test(headers['content-length'])) return { responses, error: `bad Content-Length ${show(headers['content-length'])}`, rest: buf.slice(pos) };
      if (bodyStart + len > buf.length) return { responses, error: closed ? `body shorter than Content-Length ${len}` : null, rest: buf.slice(pos) };
      body = buf.slice(bodyStart, bodyStart + len);
      bodyStart += len;
    } else {
      if (!closed) return { responses, error: null, rest: buf.slice(pos) };
      body = buf.slice(bodyStart);
      bodyStart = buf.length;
    }
    responses.push({ status, reason: m[2] || '', headers, body: body.toString('utf8') });
    pos = bodyStart;
  }
  return { responses, error: null, rest: Buffer.alloc(0) };
}

// Sends `bytes` on a fresh connection and collects what comes back. Ends when the server closes,
// or `idleMs` after the last byte once at least `wantResponses` complete responses arrived, or at
// `timeoutMs`. `halfClose`: send FIN after the bytes (so a server waiting for more sees EOF).
function rawExchange(port, bytes, { halfClose = false, timeoutMs = 5000, idleMs = 300, wantResponses = 1 } = {}) {
  const methods = requestMethods(bytes);
  return new Promise((resolve) => {
    const chunks = [];
    let closed = false;
    let done = false;
    let idleTimer = null;
    let resetError = null;
    const sock = net.connect({ host: '127.0.0.1', port });
    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(idleTimer);
      sock.destroy();
      const buf = Buffer.concat(chunks);
      const parsed = parseRawResponses(buf, closed, methods);
      resolve({ ...parsed, closed, why, bytes: buf.length, resetError });
    };
    const overall = setTimeout(() => finish('timeout'), timeoutMs);
    sock.on('connect', () => {
      sock.write(bytes, () => {
        if (halfClose) sock.end();
      });
    });
    sock.on('data', (d) => {
      chunks.push(d);
      clearTimeout(idleTimer);
      const parsed = parseRawResponses(Buffer.concat(chunks), false, methods);
      if (parsed.responses.length >= wantResponses && parsed.rest.length === 0) {
        idleTimer = setTimeout(() => finish('idle'), idleMs);
      }
    });
    sock.on('end', () => {
      closed = true;
      finish('closed');
    });
    sock.on('error', (e) => {
      // A reset after the server answered (it closed with unread input) is normal for garbage.
      resetError = e.code || e.message;
      closed = true;
      finish('error');
    });
    sock.on('close', () => {
      closed = true;
      finish('closed');
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The script parser

const METHOD_RE = /^[A-Z][A-Z0-9_-]*$/;

function parseScript(text, file) {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const meta = { name: file, description: '', server: [], canaries: [], allowLogError: [], timeout: 120 };
  const steps = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const m = /^#\s*([a-z][a-z-]*):\s?(.*)$/.exec(trimmed);
      if (m) {
        const [, key, value] = m;
        if (key === 'name') meta.name = value.trim();
        else if (key === 'description') meta.description = value.trim();
        else if (key === 'server') meta.server.push(...splitArgs(value));
        else if (key === 'canary') meta.canaries.push(value.trim());
        else if (key === 'allow-log-error') meta.allowLogError.push(makeRegex(value.trim()));
        else if (key === 'timeout') meta.timeout = parseFloat(value);
        else if (key === 'must-fail-with') meta.mustFailWith = makeRegex(value.trim());
      }
      continue;
    }
    const word = trimmed.split(/\s+/, 1)[0];
    const rest = trimmed.slice(word.length).trim();
    if (word === 'raw') {
      const opts = rest.split(/\s+/).filter(Boolean);
      let bytes = '';
      let j = i + 1;
      for (; j < lines.length && lines[j] !== 'end'; j++) {
        let l = lines[j];
        // A line ending in an unescaped backslash is sent without its CRLF.
        let trailing = 0;
        for (let k = l.length - 1; k >= 0 && l[k] === '\\'; k--) trailing++;
        if (trailing % 2 === 1) bytes += unescape(l.slice(0, -1));
        else bytes += unescape(l) + '\r\n';
      }
      if (j >= lines.length) throw new TestFailure(`raw block without 'end'`, lineNo);
      steps.push({ kind: 'raw', line: lineNo, bytes, opts });
      i = j;
    } else if (METHOD_RE.test(word) && word !== 'end') {
      const sp = rest.search(/\s/);
      const target = sp < 0 ? rest : rest.slice(0, sp);
      let body = sp < 0 ? null : rest.slice(sp + 1).trim();
      if (!target) throw new TestFailure(`request without a target`, lineNo);
      if (body !== null && body.startsWith('<<')) {
        const tag = body.slice(2).trim() || 'END';
        const bodyLines = [];
        let j = i + 1;
        for (; j < lines.length && lines[j] !== tag; j++) bodyLines.push(lines[j]);
        if (j >= lines.length) throw new TestFailure(`body without closing '${tag}'`, lineNo);
        body = bodyLines.join('\n');
        i = j;
      }
      const file = body !== null ? /^@file\s+(\S+)(?:\s+(\S+))?\s*$/.exec(body) : null;
      if (file) {
        steps.push({ kind: 'request', line: lineNo, method: word, target, body: null, bodyFile: file[1], bodyType: file[2] || null, headers: [] });
      } else {
        steps.push({ kind: 'request', line: lineNo, method: word, target, body: body === '' ? null : body, headers: [] });
      }
    } else if (word === 'header') {
      const c = rest.indexOf(':');
      if (c <= 0) throw new TestFailure(`header needs 'Name: value'`, lineNo);
      steps.push({ kind: 'header', line: lineNo, name: rest.slice(0, c).trim(), value: rest.slice(c + 1).trim() });
    } else if (word === 'body-fill') {
      const [n, ch] = rest.split(/\s+/);
      steps.push({ kind: 'body-fill', line: lineNo, size: parseInt(n, 10), ch: ch ? unescape(ch) : 'x' });
    } else if (word === 'expect') {
      steps.push({ kind: 'expect', line: lineNo, text: rest });
    } else if (['let', 'check', 'sleep', 'sigterm', 'fuzz', 'hold', 'echo', 'signin', 'signout', 'anonymous', 'bearer'].includes(word)) {
      steps.push({ kind: word, line: lineNo, text: rest });
    } else {
      throw new TestFailure(`unknown statement '${word}'`, lineNo);
    }
  }
  return { meta, steps };
}

// ---------------------------------------------------------------------------------------------
// The server under test

class Server {
  constructor({ binary, dataDir, args, cwd, canaries, allowLogError, timeoutFactor, label, env }) {
    this.binary = binary;
    this.env = env || {};
    this.dataDir = dataDir;
    this.args = args;
    this.cwd = cwd;
    this.canaries = canaries;
    this.allowLogError = allowLogError;
    this.timeoutFactor = timeoutFactor;
    this.label = label;
    this.logLines = []; // { text, json }
    this.stdout = [];
    this.problems = []; // log problems found (error lines, sanitizer reports, canaries)
    this.exit = null;
    this.exitWaiters = [];
    this.port = null;
    this.expectedExit = false;
  }

  start() {
    const argv = ['serve', '--listen', '127.0.0.1:0', '--data-dir', this.dataDir, ...this.args];
    this.argv = argv;
    this.proc = spawn(this.binary, argv, { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    const onLines = (stream, sink, isStderr) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (d) => {
        partial += d;
        let nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
          const text = partial.slice(0, nl);
          partial = partial.slice(nl + 1);
          this.onLine(text, sink, isStderr);
        }
      });
      stream.on('end', () => {
        if (partial) this.onLine(partial, sink, isStderr);
      });
    };
    onLines(this.proc.stderr, this.logLines, true);
    onLines(this.proc.stdout, this.stdout, false);
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.proc.on('error', (e) => {
        this.exit = { code: null, signal: null, error: e.message };
        resolve(this.exit);
      });
    });
    return this.waitListening();
  }

  onLine(text, sink, isStderr) {
    let json = null;
    if (isStderr && text.startsWith('{')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    sink.push({ text, json });
    for (const c of this.canaries) {
      if (c && text.includes(c)) this.problems.push(`the ${isStderr ? 'log' : 'stdout'} contains the canary ${show(c)}: ${show(text, 400)}`);
    }
    if (/AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|ThreadSanitizer/.test(text)) {
      this.problems.push(`sanitizer report: ${text}`);
      return;
    }
    if (!isStderr) return;
    const allowed = this.allowLogError.some((re) => re.test(text));
    if (json === null) {
      if (text.trim() !== '' && !allowed) this.problems.push(`stderr line that is not a JSON log line: ${show(text, 400)}`);
      return;
    }
    if (json.level === 'error' && !allowed) this.problems.push(`log line at level error: ${text}`);
    if (json.event === 'listening' && this.port === null) this.port = json.port;
  }

  async waitListening() {
    const deadline = Date.now() + 120000 * this.timeoutFactor;
    while (this.port === null) {
      if (this.exit) throw new TestFailure(`the server exited before listening (${this.describeExit()})`);
      if (Date.now() > deadline) throw new TestFailure(`no "listening" log line within ${(120 * this.timeoutFactor).toFixed(0)} s`);
      await sleep(20);
    }
    if (typeof this.port !== 'number' || this.port <= 0) throw new TestFailure(`bad port in the listening line: ${show(this.port)}`);
    return this.port;
  }

  describeExit() {
    if (!this.exit) return 'still running';
    if (this.exit.error) return `could not start: ${this.exit.error}`;
    return this.exit.signal ? `killed by ${this.exit.signal}` : `exit code ${this.exit.code}`;
  }

  sigterm() {
    this.expectedExit = true;
    if (!this.exit) this.proc.kill('SIGTERM');
  }

  // SIGTERM and wait; returns the exit record, or null after `ms` (then the process is killed).
  async stop(ms) {
    this.sigterm();
    const timer = sleep(ms).then(() => null);
    const result = await Promise.race([this.exited, timer]);
    if (result === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
      return null;
    }
    // Let the last output drain.
    await sleep(50);
    return result;
  }

  tail(n = 40) {
    return this.logLines.slice(-n).map((l) => '    ' + l.text).join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client (Node's own; strict parser, keep-alive on one socket like a browser tab)

function httpRequest(port, agent, { method, target, headers, body }, timeoutMs) {
  return new Promise((resolve, reject) => {
    const hdrs = {};
    for (const [k, v] of headers) hdrs[k] = k in hdrs ? [].concat(hdrs[k], v) : v;
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: hdrs, agent, timeout: timeoutMs });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== null && body !== undefined) req.write(body);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Checks that hold for every response

const UNIVERSAL_HEADERS = [
  ['content-security-policy', /\S/],
  ['x-content-type-options', /^nosniff$/i],
  ['referrer-policy', /\S/],
  ['x-request-id', /^[A-Za-z0-9._:-]{8,128}$/],
];

function universalChecks(res, where) {
  const out = [];
  for (const [name, re] of UNIVERSAL_HEADERS) {
    const v = res.headers[name];
    if (v === undefined) out.push(`${where}: response ${res.status} lacks the ${name} header`);
    else if (!re.test(String(v))) out.push(`${where}: response ${res.status} has ${name}: ${show(v)} (want ${re})`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fuzz: garbage, truncated and mutated requests, each on its own connection

function makeRng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function fuzzCases(count, seed) {
  const rng = makeRng(seed);
  const pick = (a) => a[Math.floor(rng() * a.length)];
  const int = (n) => Math.floor(rng() * n);
  const post = (path, body) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const valid = [
    post('/api/v1/divisions/lookup', '{"codes":["420114","420114001205","42"]}'),
    post('/api/v1/divisions/lookup', '{"codes":["蔡甸",1,null,{"a":[]}],"x":"\\u0000"}'),
    'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/divisions/420114 HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n',
    'GET /api/v1/divisions/420114001/children?limit=5 HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST /api/v1/divisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"code":"42"}',
    'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n',
    'HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  const fixed = [
    'GET / HTTP/1.1\r\n\r\n',
    'GET\r\n\r\n',
    ' / HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /healthz\r\n\r\n',
    'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n',
    'GET /%00%ff%c0%af HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/divisions/%2e%2e%2f%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n',
    'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n',
    'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n',
    'G\x00T /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /healthz HTTP/1.1\nHost: x\n\n',
    `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40000)}\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\n${'X-A: 1\r\n'.repeat(3000)}\r\n`,
    `${'M'.repeat(10000)} / HTTP/1.1\r\nHost: x\r\n\r\n`,
    'POST /api/v1/divisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{',
    'POST /api/v1/divisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{"a"',
    'GET /api/v1/divisions/420114 HTTP/1.1\r\nHost: x\r\nAccept-Language: ;;;q=abc,*;q=9,zh-CN;q=-1\r\n\r\n',
    'GET /api/v1/divisions/420114?limit=-1&offset=99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  const cases = [];
  for (let i = 0; i < count; i++) {
    const kind = i < fixed.length ? 'fixed' : pick(['random', 'truncate', 'flip', 'insert', 'pipeline']);
    let bytes;
    if (kind === 'fixed') bytes = Buffer.from(fixed[i], 'latin1');
    else if (kind === 'random') {
      bytes = Buffer.alloc(1 + int(600));
      for (let k = 0; k < bytes.length; k++) bytes[k] = int(256);
    } else if (kind === 'truncate') {
      const v = Buffer.from(pick(valid), 'latin1');
      bytes = v.slice(0, 1 + int(v.length - 1));
    } else if (kind === 'flip') {
      bytes = Buffer.from(pick(valid), 'latin1');
      const flips = 1 + int(4);
      for (let k = 0; k < flips; k++) bytes[int(bytes.length)] = int(256);
    } else if (kind === 'insert') {
      const v = pick(valid);
      const at = int(v.length);
      const junk = pick(['\r\n', '\r', '\n', '\0', ':', ' ', '\r\n\r\n', '%', '\xff\xfe', 'Transfer-Encoding: chunked\r\n', 'Content-Length: 10\r\n']);
      bytes = Buffer.from(v.slice(0, at) + junk + v.slice(at), 'latin1');
    } else {
      bytes = Buffer.from(pick(valid) + pick(valid) + pick(fixed).slice(0, 40), 'latin1');
    }
    cases.push({ kind, bytes });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Running one script

class Runner {
  constructor(opts, file, meta, steps) {
    this.opts = opts;
    this.file = file;
    this.meta = meta;
    this.steps = steps;
    this.vars = {};
    this.last = null; // { status, headers, body, json, raw? }
    this.pending = null;
    this.expectedStatuses = new Set();
    this.failures = [];
    this.responses = 0;
    this.held = [];
    // The credential sent on every request after `signin` / `bearer`, until `signout` / `anonymous`:
    // { kind: 'bearer', token } or { kind: 'cookie', cookie: 'name=value', csrf }.
    this.credential = null;
    // Per TOTP secret, the last step a `signin` used: the server accepts each step only once.
    this.totpSteps = new Map();
  }

  t(ms) {
    return ms * this.opts.timeoutFactor;
  }

  // Texts the server queued for PHONE in gammu-smsd's outbox (<data dir>/sms-outbox, where
  // `serve --demo` puts it): {{sms PHONE}} the newest text, {{sms-code PHONE}} the 6-digit code in
  // it, {{sms-count PHONE}} how many there are. Files are UTF-16LE after a byte-order mark.
  smsOutbox(phone, what) {
    const dir = path.join(this.dataDir, 'sms-outbox');
    const files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.startsWith('OUT') && f.includes(`_${phone}_gz`) && f.endsWith('.txt'))
      : [];
    if (what === '-count') return String(files.length);
    if (files.length === 0) throw new TestFailure(`{{sms${what} ${phone}}}: no text for ${phone} in ${dir}`);
    const id = (f) => BigInt(/_gz(\d+)\.txt$/.exec(f)[1]);
    files.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
    const bytes = fs.readFileSync(path.join(dir, files[files.length - 1]));
    if (bytes[0] !== 0xff || bytes[1] !== 0xfe) throw new TestFailure(`{{sms ${phone}}}: no UTF-16LE byte-order mark`);
    const text = bytes.subarray(2).toString('utf16le');
    if (what === '') return text;
    const code = /(?<!\d)\d{6}(?!\d)/.exec(text);
    if (!code) throw new TestFailure(`{{sms-code ${phone}}}: no 6-digit code in the text`);
    return code[0];
  }

  subst(text) {
    return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expr) => {
      if (expr === 'port') return String(this.server.port);
      const totpExpr = /^totp\s+(\S+)(?:\s+([+-]\d+))?$/.exec(expr);
      if (totpExpr) {
        const secret = Object.prototype.hasOwnProperty.call(this.vars, totpExpr[1]) ? this.vars[totpExpr[1]] : totpExpr[1];
        const step = totpStep() + parseInt(totpExpr[2] || '0', 10);
        // Remembered, so that a later `signin` with this secret picks a step the server has not seen.
        const key = totpKey(secret);
        this.totpSteps.set(key, Math.max(this.totpSteps.get(key) ?? -Infinity, step));
        return hotp(base32Decode(secret), step);
      }
      const smsExpr = /^sms(-code|-count)?\s+(\d{11})$/.exec(expr);
      if (smsExpr) return this.smsOutbox(smsExpr[2], smsExpr[1] || '');
      const rep = /^repeat\s+(\d+)\s+(.+)$/.exec(expr);
      if (rep) return unescape(rep[2]).repeat(parseInt(rep[1], 10));
      if (expr.startsWith('last.')) {
        if (!this.last) throw new TestFailure(`{{${expr}}}: no response yet`);
        const rest = expr.slice(5);
        if (rest === 'status') return String(this.last.status);
        if (rest === 'body') return this.last.body;
        if (rest.startsWith('header.')) return String(this.last.headers[rest.slice(7).toLowerCase()] ?? '');
        if (rest.startsWith('json')) {
          if (this.last.json === undefined) throw new TestFailure(`{{${expr}}}: the last response is not JSON`);
          let p = rest.slice(4);
          if (p === '') p = '.';
          else if (!p.startsWith('.') && !p.startsWith('[')) p = '.' + p;
          const { values } = selectPath(this.last.json, p);
          if (values.length === 0) throw new TestFailure(`{{${expr}}}: no value at ${p} in ${show(this.last.json)}`);
          const v = values[0];
          return typeof v === 'string' ? v : JSON.stringify(v);
        }
        throw new TestFailure(`unknown substitution {{${expr}}}`);
      }
      if (Object.prototype.hasOwnProperty.call(this.vars, expr)) return this.vars[expr];
      throw new TestFailure(`unknown substitution {{${expr}}}`);
    });
  }

  async flush() {
    if (!this.pending) return;
    const p = this.pending;
    this.pending = null;
    const headers = p.headers.map(([k, v]) => [k, this.subst(v)]);
    this.addCredential(p.method, headers);
    let body = p.body;
    if (p.bodyFile) {
      try {
        body = readBodyFile(p.bodyFile);
      } catch (e) {
        throw new TestFailure(e.message, p.line);
      }
      if (p.bodyType && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', p.bodyType]);
      // An empty file is still a body: say so, as a browser would (Node sends none for no bytes).
      headers.push(['Content-Length', String(body.length)]);
    } else if (body !== null && !headers.some(([k]) => k.toLowerCase() === 'content-type') && !p.filled) {
      headers.push(['Content-Type', 'application/json']);
    }
    const req = { method: p.method, target: this.subst(p.target), headers, body: body === null ? null : p.filled || p.bodyFile ? body : this.subst(body) };
    this.lastRequest = req;
    if (this.opts.verbose) console.log(`  line ${p.line}: ${req.method} ${req.target}`);
    let res;
    try {
      res = await httpRequest(this.server.port, this.agent, req, this.t(15000));
    } catch (e) {
      throw new TestFailure(`${req.method} ${req.target}: ${e.message}`, p.line);
    }
    this.record(res, `line ${p.line} (${req.method} ${req.target.slice(0, 80)})`, p.method === 'HEAD');
  }

  // The signed-in credential, unless the script set that header itself (to test a forged or stale
  // one). Cookie sessions also send the CSRF token on unsafe methods, as the web client does.
  addCredential(method, headers) {
    const c = this.credential;
    if (!c) return;
    const has = (name) => headers.some(([k]) => k.toLowerCase() === name);
    if (c.kind === 'bearer') {
      if (!has('authorization')) headers.push(['Authorization', `Bearer ${c.token}`]);
      return;
    }
    if (!has('cookie')) headers.push(['Cookie', c.cookie]);
    const safe = ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method);
    if (!safe && c.csrf && !has('x-csrf-token')) headers.push(['X-CSRF-Token', c.csrf]);
  }

  // A TOTP code the server has not seen yet for this secret: the current step, else the next one
  // (the server accepts one step either side), else wait for the clock.
  async freshTotp(secret) {
    const key = base32Decode(secret);
    const used = this.totpSteps.get(totpKey(secret));
    let step = totpStep();
    if (used !== undefined && used >= step) step = used + 1;
    while (step > totpStep() + 1) await sleep(250);
    this.totpSteps.set(totpKey(secret), step);
    return hotp(key, step);
  }

  // signin PHONE PASSWORD [TOTP-SECRET] [cookie]
  async doSignin(step) {
    await this.flush();
    const words = splitArgs(this.subst(step.text));
    const cookie = words[words.length - 1] === 'cookie';
    if (cookie) words.pop();
    if (words.length < 2 || words.length > 3) this.fail(step, 'signin PHONE PASSWORD [TOTP-SECRET] [cookie]');
    const [phone, password, secret] = words;
    const payload = { phone, password, client: cookie ? 'cookie' : 'bearer' };
    if (secret) payload.totp = await this.freshTotp(secret);
    const req = { method: 'POST', target: '/api/v1/auth/sign-in', headers: [['Content-Type', 'application/json']], body: JSON.stringify(payload) };
    this.lastRequest = req;
    let res;
    try {
      res = await httpRequest(this.server.port, this.agent, req, this.t(15000));
    } catch (e) {
      this.fail(step, `signin ${phone}: ${e.message}`);
    }
    const rec = this.record(res, `line ${step.line} (signin ${phone})`);
    if (rec.status !== 200) this.fail(step, `signin ${phone}: expected status 200, got ${rec.status}${this.describeLast()}`);
    if (!cookie) {
      const token = rec.json && rec.json.token;
      if (typeof token !== 'string' || token === '') this.fail(step, `signin ${phone}: no "token" in the answer${this.describeLast()}`);
      this.credential = { kind: 'bearer', token };
      return;
    }
    const setCookie = [].concat(res.headers['set-cookie'] || []);
    const session = setCookie.map((c) => /^((?:__Host-)?gz_session)=([^;]*)/.exec(c)).find(Boolean);
    if (!session) this.fail(step, `signin ${phone} cookie: no gz_session cookie in ${show(setCookie)}`);
    const csrf = rec.json && rec.json.csrf_token;
    if (typeof csrf !== 'string' || csrf === '') this.fail(step, `signin ${phone} cookie: no "csrf_token" in the answer${this.describeLast()}`);
    this.credential = { kind: 'cookie', cookie: `${session[1]}=${session[2]}`, csrf };
  }

  // signout: POST /api/v1/auth/sign-out with the current credential, which is then forgotten.
  async doSignout(step) {
    await this.flush();
    if (!this.credential) this.fail(step, 'signout without a signin before it');
    const headers = [];
    this.addCredential('POST', headers);
    const req = { method: 'POST', target: '/api/v1/auth/sign-out', headers, body: null };
    this.lastRequest = req;
    let res;
    try {
      res = await httpRequest(this.server.port, this.agent, req, this.t(15000));
    } catch (e) {
      this.fail(step, `signout: ${e.message}`);
    }
    const rec = this.record(res, `line ${step.line} (signout)`);
    this.credential = null;
    if (rec.status < 200 || rec.status > 299) this.fail(step, `signout: expected a 2xx status, got ${rec.status}${this.describeLast()}`);
  }

  record(res, where, isHead = false) {
    let json;
    const ct = String(res.headers['content-type'] || '');
    if (/json/i.test(ct) && res.body.length > 0) {
      try {
        json = JSON.parse(res.body);
      } catch (e) {
        this.failures.push(`${where}: Content-Type ${ct} but the body is not JSON (${e.message}): ${show(res.body)}`);
      }
    }
    const rec = { ...res, json, where };
    this.last = rec;
    this.responses++;
    this.failures.push(...universalChecks(res, where));
    if (res.status >= 500) {
      this.unexpected5xx = this.unexpected5xx || [];
      this.unexpected5xx.push({ status: res.status, where, checked: false, res: rec });
    }
    return rec;
  }

  fail(step, message) {
    throw new TestFailure(message, step.line);
  }

  expectLast(step) {
    if (!this.last) this.fail(step, 'expect before any request');
    return this.last;
  }

  async doExpect(step) {
    await this.flush(); // so that {{last...}} below means the response this line checks
    const text = this.subst(step.text);
    const words = text.split(/\s+/);
    const head = words[0];

    if (/^\d{3}$/.test(head) || /^[1-5]xx$/.test(head)) {
      await this.flush();
      const last = this.expectLast(step);
      const ok = head.endsWith('xx') ? String(last.status)[0] === head[0] : last.status === parseInt(head, 10);
      if (!ok) this.fail(step, `expected status ${head}, got ${last.status}${this.describeLast()}`);
      if (last.status >= 500 && this.unexpected5xx) for (const u of this.unexpected5xx) if (u.res === last) u.checked = true;
      const rest = text.slice(head.length).trim();
      if (rest.startsWith('problem')) this.checkProblem(step, rest.slice(7).trim());
      else if (rest) this.fail(step, `unexpected words after the status: ${rest}`);
      return;
    }
    if (head === 'problem') {
      await this.flush();
      this.checkProblem(step, text.slice(7).trim());
      return;
    }
    if (head === 'header') {
      await this.flush();
      const last = this.expectLast(step);
      const m = /^header\s+([^\s]+)\s*(.*)$/.exec(text);
      const name = m[1].toLowerCase();
      const v = last.headers[name];
      const value = v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
      this.checkOp(step, `header ${name}`, value, m[2], 'text');
      return;
    }
    if (head === 'json') {
      await this.flush();
      const last = this.expectLast(step);
      if (last.json === undefined) this.fail(step, `the response is not JSON${this.describeLast()}`);
      const m = /^json\s+(\S+)\s*(.*)$/.exec(text);
      if (!m) this.fail(step, 'expect json PATH OP VALUE');
      const { values, wildcard } = selectPath(last.json, m[1]);
      const op = m[2];
      if (/^absent$/.test(op.trim())) {
        if (values.length > 0) this.fail(step, `expected nothing at ${m[1]}, found ${show(values[0])}`);
        return;
      }
      if (values.length === 0) this.fail(step, `no value at ${m[1]} in ${show(last.json, 600)}`);
      for (const v of wildcard ? values : [values[0]]) this.checkOp(step, `json ${m[1]}`, v, op, 'json');
      return;
    }
    if (head === 'body') {
      await this.flush();
      const last = this.expectLast(step);
      this.checkOp(step, 'body', last.body, text.slice(4).trim(), 'body');
      return;
    }
    if (head === 'bytes') {
      await this.flush();
      const last = this.expectLast(step);
      if (!last.bytes) this.fail(step, 'expect bytes: the last answer has no raw bytes (raw blocks keep text only)');
      const m = /^bytes\s+(length|sha256|prefix|contains|!contains)\s*(.*)$/s.exec(text);
      if (!m) this.fail(step, 'expect bytes length OP N | sha256 OP HEX | prefix OP HEX | contains TEXT | !contains TEXT');
      const [, what, rest] = m;
      if (what === 'contains' || what === '!contains') {
        const hit = last.bytes.includes(Buffer.from(rest, 'utf8'));
        if (what === 'contains' && !hit) this.fail(step, `the answer's bytes do not contain ${show(rest)}`);
        if (what === '!contains' && hit) this.fail(step, `the answer's bytes contain ${show(rest)} at offset ${last.bytes.indexOf(Buffer.from(rest, 'utf8'))}`);
        return;
      }
      if (what === 'length') return this.checkOp(step, 'bytes length', last.bytes.length, /^\d+$/.test(rest.trim()) ? `== ${rest}` : rest, 'json');
      if (what === 'sha256') return this.checkOp(step, 'bytes sha256', crypto.createHash('sha256').update(last.bytes).digest('hex'), rest, 'text');
      const want = /^(==|!=)\s*([0-9a-fA-F]+)$/.exec(rest.trim());
      if (!want) this.fail(step, 'expect bytes prefix == HEX');
      return this.checkOp(step, 'bytes prefix', last.bytes.subarray(0, want[2].length / 2).toString('hex'), `${want[1]} ${want[2].toLowerCase()}`, 'text');
    }
    if (head === 'image') {
      await this.flush();
      const last = this.expectLast(step);
      if (!last.bytes) this.fail(step, 'expect image: the last answer has no raw bytes');
      const m = /^image\s+(\S+)\s*(.*)$/.exec(text);
      if (!m) this.fail(step, 'expect image PATH OP VALUE');
      let info;
      try {
        info = inspectImage(last.bytes);
      } catch (e) {
        this.fail(step, `the answer is not a readable image: ${e.message}${this.describeLast()}`);
      }
      const { values } = selectPath(info, m[1]);
      if (/^absent$/.test(m[2].trim())) {
        if (values.length > 0) this.fail(step, `expected nothing at ${m[1]} in ${show(info)}`);
        return;
      }
      if (values.length === 0) this.fail(step, `no value at ${m[1]} in ${show(info)}`);
      return this.checkOp(step, `image ${m[1]}`, values[0], m[2], 'json');
    }
    if (head === 'exiftool') {
      await this.flush();
      const last = this.expectLast(step);
      if (!last.bytes) this.fail(step, 'expect exiftool: the last answer has no raw bytes');
      const run = spawnSync('exiftool', ['-a', '-G1', '-s', '-'], { input: last.bytes, encoding: 'utf8', timeout: this.t(30000) });
      if (run.error) this.fail(step, `cannot run exiftool (${run.error.code || run.error.message}): install Debian's libimage-exiftool-perl (scripts/setup does)`);
      return this.checkOp(step, 'exiftool', `${run.stdout}${run.stderr}`, text.slice(8).trim(), 'body');
    }
    if (head === 'responses') {
      const last = this.expectLast(step);
      const n = last.raw ? last.raw.responses.length : 1;
      const arg = text.slice(9).trim();
      this.checkOp(step, 'responses', n, /^\d+$/.test(arg) ? `== ${arg}` : arg, 'json');
      return;
    }
    if (head === 'closed') {
      const last = this.expectLast(step);
      if (!last.raw || !last.raw.closed) this.fail(step, 'expected the server to close the connection');
      return;
    }
    if (head === 'log' || (head === 'no' && words[1] === 'log')) {
      const negate = head === 'no';
      const m = /log\s+~\s+(.*)$/.exec(text);
      if (!m) this.fail(step, 'expect [no] log ~ REGEX');
      const re = makeRegex(m[1]);
      // Give the server a moment to write the line (logs are written after the response).
      const deadline = Date.now() + this.t(negate ? 300 : 2000);
      for (;;) {
        const found = this.server.logLines.some((l) => re.test(l.text));
        if (!negate && found) return;
        if (negate && found) this.fail(step, `a log line matches ${re}:\n${this.server.logLines.filter((l) => re.test(l.text)).map((l) => '    ' + l.text).join('\n')}`);
        if (Date.now() > deadline) break;
        await sleep(50);
      }
      if (!negate) this.fail(step, `no log line matches ${re}; last lines:\n${this.server.tail(20)}`);
      return;
    }
    if (head === 'exit') {
      // expect exit CODE [within SECONDS]
      const code = parseInt(words[1], 10);
      const within = words[2] === 'within' ? parseFloat(words[3]) : 15;
      const result = await Promise.race([this.server.exited, sleep(this.t(within * 1000)).then(() => null)]);
      if (result === null) this.fail(step, `the server did not exit within ${within} s after SIGTERM`);
      if (result.code !== code) this.fail(step, `expected exit code ${code}, got ${this.server.describeExit()}\n${this.server.tail(20)}`);
      return;
    }
    this.fail(step, `unknown expectation '${text}'`);
  }

  describeLast() {
    const l = this.last;
    if (!l) return '';
    const req = this.lastRequest ? `\n    request: ${this.lastRequest.method} ${this.lastRequest.target}` : '';
    return `${req}\n    response: ${l.status} ${show(l.headers['content-type'] || '')}\n    body: ${show(l.body, 800)}`;
  }

  checkProblem(step, typeSpec) {
    const last = this.expectLast(step);
    const ct = String(last.headers['content-type'] || '');
    if (!/^application\/problem\+json/i.test(ct)) this.fail(step, `expected Content-Type application/problem+json, got ${show(ct)}${this.describeLast()}`);
    const j = last.json;
    if (!j || typeof j !== 'object') this.fail(step, `problem body is not a JSON object: ${show(last.body)}`);
    for (const k of ['type', 'title']) if (typeof j[k] !== 'string' || j[k] === '') this.fail(step, `problem body lacks a string "${k}": ${show(j)}`);
    if (j.status !== last.status) this.fail(step, `problem "status" ${show(j.status)} differs from the HTTP status ${last.status}`);
    if (typeSpec) {
      const ok = typeSpec.startsWith('~') ? makeRegex(typeSpec.slice(1).trim()).test(j.type) : j.type === typeSpec;
      if (!ok) this.fail(step, `expected problem type ${typeSpec}, got ${show(j.type)}${this.describeLast()}`);
    }
  }

  // OP VALUE on a header (text), JSON value, or body. Ops: == != ~ !~ exists absent contains
  // !contains < <= > >= length OP N, type NAME.
  checkOp(step, what, actual, opText, mode) {
    const m = /^(==|!=|!~|~|<=|>=|<|>|exists|absent|!contains|contains|!has|has|length|type)\s*(.*)$/s.exec(opText.trim());
    if (!m) this.fail(step, `unknown check '${opText}' on ${what}`);
    const [, op, arg] = m;
    const asText = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
    const bad = (why) => this.fail(step, `${what}: ${why}${mode === 'json' ? '' : this.describeLast()}`);
    if (op === 'exists') {
      if (actual === undefined) bad('expected it to exist');
      return;
    }
    if (op === 'absent') {
      if (actual !== undefined) bad(`expected it to be absent, got ${show(actual)}`);
      return;
    }
    if (actual === undefined) bad(`missing (wanted ${op} ${arg})`);
    switch (op) {
      case '==':
      case '!=': {
        const want = mode === 'json' ? parseLiteral(arg) : arg;
        const eq = mode === 'json' ? deepEqual(actual, want) : asText(actual) === want;
        if (op === '==' && !eq) bad(`expected ${show(want)}, got ${show(actual)}`);
        if (op === '!=' && eq) bad(`expected anything but ${show(want)}`);
        return;
      }
      case '~':
      case '!~': {
        const re = makeRegex(arg, mode === 'body' ? 'm' : '');
        const hit = re.test(asText(actual));
        if (op === '~' && !hit) bad(`expected to match ${re}, got ${show(actual, 600)}`);
        if (op === '!~' && hit) bad(`expected not to match ${re}, got ${show(actual, 600)}`);
        return;
      }
      case 'contains':
      case '!contains': {
        let hit;
        if (Array.isArray(actual)) hit = actual.some((v) => deepEqual(v, parseLiteral(arg)));
        else hit = asText(actual).includes(mode === 'json' ? String(parseLiteral(arg)) : arg);
        if (op === 'contains' && !hit) bad(`expected to contain ${show(arg)}, got ${show(actual, 600)}`);
        if (op === '!contains' && hit) bad(`expected not to contain ${show(arg)}`);
        return;
      }
      case 'has':
      case '!has': {
        // An object that holds at least these members (or an array with such an element).
        const want = parseLiteral(arg);
        const matches = (v) =>
          want && typeof want === 'object' && !Array.isArray(want)
            ? v && typeof v === 'object' && Object.entries(want).every(([k, w]) => deepEqual(v[k], w))
            : deepEqual(v, want);
        const hit = Array.isArray(actual) ? actual.some(matches) : matches(actual);
        if (op === 'has' && !hit) bad(`expected an element with ${show(want)}, got ${show(actual, 600)}`);
        if (op === '!has' && hit) bad(`expected no element with ${show(want)}`);
        return;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const a = Number(actual);
        const b = Number(arg);
        const ok = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
        if (!ok) bad(`expected ${op} ${b}, got ${show(actual)}`);
        return;
      }
      case 'length': {
        const len = typeof actual === 'string' ? actual.length : Array.isArray(actual) ? actual.length : actual && typeof actual === 'object' ? Object.keys(actual).length : undefined;
        if (len === undefined) bad(`has no length: ${show(actual)}`);
        const mm = /^(==|!=|<=|>=|<|>)?\s*(\d+)$/.exec(arg.trim());
        if (!mm) this.fail(step, `length needs [OP] N, got '${arg}'`);
        const cmp = mm[1] || '==';
        const n = parseInt(mm[2], 10);
        const ok = { '==': len === n, '!=': len !== n, '<': len < n, '<=': len <= n, '>': len > n, '>=': len >= n }[cmp];
        if (!ok) bad(`expected length ${cmp} ${n}, got ${len}`);
        return;
      }
      case 'type':
        if (typeName(actual) !== arg.trim()) bad(`expected type ${arg.trim()}, got ${typeName(actual)} (${show(actual)})`);
        return;
    }
  }

  async doRaw(step) {
    await this.flush();
    const halfClose = step.opts.includes('close');
    const wantOpt = step.opts.find((o) => /^responses=\d+$/.test(o));
    const wantResponses = wantOpt ? parseInt(wantOpt.split('=')[1], 10) : 1;
    const bytes = Buffer.from(this.subst(step.bytes), 'latin1');
    const r = await rawExchange(this.server.port, bytes, { halfClose, timeoutMs: this.t(10000), wantResponses });
    const where = `line ${step.line} (raw)`;
    if (r.error) throw new TestFailure(`malformed HTTP from the server: ${r.error}`, step.line);
    this.lastRequest = { method: 'raw', target: show(bytes.toString('latin1'), 120) };
    if (r.responses.length === 0) {
      this.last = { status: 0, headers: {}, body: '', json: undefined, raw: r, where };
      return;
    }
    // `expect` lines check the first response; `expect responses N` counts them.
    const recorded = r.responses.map((res) => this.record(res, where));
    this.last = recorded[0];
    this.last.raw = r;
  }

  async doFuzz(step) {
    await this.flush();
    const opts = Object.fromEntries(step.text.split(/\s+/).filter((w) => w.includes('=')).map((w) => w.split('=')));
    const count = parseInt(step.text.split(/\s+/)[0], 10) || 200;
    const seed = parseInt(opts.seed || '1', 10);
    const concurrency = parseInt(opts.concurrency || '8', 10);
    const cases = fuzzCases(count, seed);
    const stats = { sent: 0, answered: 0, closedSilently: 0, timedOut: 0, byStatus: {} };
    const problems = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i];
        const r = await rawExchange(this.server.port, c.bytes, { halfClose: true, timeoutMs: this.t(3000), idleMs: 100, wantResponses: 1 });
        stats.sent++;
        if (r.error) problems.push(`case ${i} (${c.kind}): malformed HTTP from the server: ${r.error}; sent ${show(c.bytes.toString('latin1'), 200)}`);
        if (r.why === 'timeout') stats.timedOut++;
        if (r.responses.length === 0) stats.closedSilently++;
        else stats.answered++;
        for (const res of r.responses) {
          stats.byStatus[res.status] = (stats.byStatus[res.status] || 0) + 1;
          if (res.status >= 500 && res.status !== 503) problems.push(`case ${i} (${c.kind}): status ${res.status} for ${show(c.bytes.toString('latin1'), 200)}: ${show(res.body, 300)}`);
          for (const u of universalChecks(res, `fuzz case ${i} (${c.kind})`)) problems.push(u);
        }
        if (this.server.exit) return;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    console.log(`  fuzz: ${stats.sent} requests (seed ${seed}): ${stats.answered} answered, ${stats.closedSilently} closed without an answer, ${stats.timedOut} still open after ${this.t(3000)} ms; statuses ${JSON.stringify(stats.byStatus)}`);
    if (this.server.exit) throw new TestFailure(`the server died during fuzzing (${this.server.describeExit()})\n${this.server.tail(30)}`, step.line);
    if (problems.length) {
      // The same fault usually shows in many cases: report each kind once, with a count.
      const kinds = new Map();
      for (const p of problems) {
        const key = p.replace(/^(fuzz )?case \d+ \([a-z]+\): /, '').replace(/ for ".*$/s, '');
        if (!kinds.has(key)) kinds.set(key, { n: 0, example: p });
        kinds.get(key).n++;
      }
      const lines = [...kinds.values()].slice(0, 15).map((k) => `${k.n}x ${k.example}`);
      throw new TestFailure(`fuzz found ${problems.length} problem(s):\n    ` + lines.join('\n    '), step.line);
    }
  }

  // `hold idle` keeps a keep-alive connection open after one answered request; `hold partial`
  // sends half a request head and waits. Both stay open until the server closes them.
  async doHold(step) {
    await this.flush();
    const kind = step.text.trim() || 'idle';
    const bytes = kind === 'partial' ? 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' : 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    const sock = net.connect({ host: '127.0.0.1', port: this.server.port });
    await new Promise((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    sock.on('error', () => {});
    sock.write(bytes);
    if (kind === 'idle') await new Promise((resolve) => sock.once('data', resolve));
    this.held.push(sock);
  }

  async run() {
    const { opts, meta } = this;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const serverArgs = meta.server.filter((a) => a !== '--demo-template');
    this.server = new Server({
      binary: opts.binary,
      dataDir: this.dataDir,
      args: serverArgs,
      cwd: opts.cwd,
      canaries: meta.canaries,
      allowLogError: meta.allowLogError,
      timeoutFactor: opts.timeoutFactor,
      label: meta.name,
      env: this.databaseEnv || {},
    });
    await this.server.start();
    for (const step of this.steps) {
      if (this.server.exit && !this.server.expectedExit) {
        throw new TestFailure(`the server exited unexpectedly (${this.server.describeExit()})\n${this.server.tail(30)}`, step.line);
      }
      if (opts.verbose && step.kind !== 'request' && step.kind !== 'header') console.log(`  line ${step.line}: ${step.kind} ${step.text || ''}`);
      switch (step.kind) {
        case 'request':
          await this.flush();
          this.pending = { ...step, headers: [] };
          break;
        case 'header':
          if (!this.pending) this.fail(step, 'header without a request before it');
          this.pending.headers.push([step.name, step.value]);
          break;
        case 'body-fill':
          if (!this.pending) this.fail(step, 'body-fill without a request before it');
          this.pending.body = step.ch.repeat(Math.ceil(step.size / step.ch.length)).slice(0, step.size);
          this.pending.filled = true;
          break;
        case 'expect':
          await this.doExpect(step);
          break;
        case 'raw':
          await this.doRaw(step);
          break;
        case 'let': {
          await this.flush();
          const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(step.text);
          if (!m) this.fail(step, 'let NAME = VALUE');
          this.vars[m[1]] = this.subst(m[2]);
          break;
        }
        case 'check': {
          // check VALUE == VALUE | VALUE != VALUE | VALUE ~ REGEX | VALUE !~ REGEX, after substitution
          // (for values that are not in a response: texts in the SMS outbox, counts).
          await this.flush();
          const m = /^(.*?)\s+(==|!=|!~|~)\s+(.*)$/.exec(step.text);
          if (!m) this.fail(step, 'check A == B | A != B | A ~ REGEX | A !~ REGEX');
          const a = this.subst(m[1]);
          const b = this.subst(m[3]);
          const ok = m[2] === '==' ? a === b : m[2] === '!=' ? a !== b : new RegExp(b).test(a) === (m[2] === '~');
          if (!ok) this.fail(step, `check failed: ${show(a)} ${m[2]} ${show(b)}`);
          break;
        }
        case 'sleep':
          await this.flush();
          await sleep(parseInt(step.text, 10));
          break;
        case 'signin':
          await this.doSignin(step);
          break;
        case 'signout':
          await this.doSignout(step);
          break;
        case 'anonymous':
          await this.flush();
          this.credential = null;
          break;
        case 'bearer': {
          await this.flush();
          const token = this.subst(step.text).trim();
          if (!token) this.fail(step, 'bearer TOKEN');
          this.credential = { kind: 'bearer', token };
          break;
        }
        case 'echo':
          await this.flush();
          console.log(`  ${this.subst(step.text)}`);
          break;
        case 'sigterm':
          await this.flush();
          this.agent.destroy();
          this.server.sigterm();
          break;
        case 'fuzz':
          await this.doFuzz(step);
          break;
        case 'hold':
          await this.doHold(step);
          break;
      }
    }
    await this.flush();
  }

  // Stops the server (SIGTERM, graceful exit 0 required) and gathers what the whole run showed:
  // unexpected 5xx responses and the log problems. Runs after a failed step too.
  async finish() {
    if (this.finished || !this.server || !this.server.proc) return;
    this.finished = true;
    for (const u of this.unexpected5xx || []) {
      if (!u.checked) this.failures.push(`${u.where}: status ${u.status} that no 'expect' line asked for: ${show(u.res.body, 400)}`);
    }
    if (this.agent) this.agent.destroy();
    if (!this.server.exit) {
      const grace = 15000 * this.opts.timeoutFactor;
      const result = await this.server.stop(grace);
      if (result === null) this.failures.push(`the server did not exit within ${grace / 1000} s of SIGTERM (killed)`);
      else if (result.code !== 0) this.failures.push(`the server exited with ${this.server.describeExit()} after SIGTERM (want 0: graceful shutdown)`);
    } else if (!this.server.expectedExit) {
      this.failures.push(`the server exited on its own (${this.server.describeExit()})`);
    } else {
      await sleep(50);
    }
    for (const s of this.held) s.destroy();
    this.failures.push(...this.server.problems);
  }
}

// ---------------------------------------------------------------------------------------------
// Data folders: fresh, or a copy of the demo template

function binaryStamp(binary, opts) {
  const st = fs.statSync(binary);
  // On PostgreSQL the template is also a database in the cluster, which is new for each run.
  const pg = opts && opts.postgres ? ` postgres ${opts.postgres.dir} ${opts.postgres.port}` : '';
  return `${path.resolve(binary)} ${st.size} ${st.mtimeMs}${pg}`;
}

// --- PostgreSQL (--postgres): tests/support/postgres.mjs ---
const pgUrl = (opts, db) => pgUrlOf(opts.postgres, db);
const pgSql = (opts, sql) => pgSqlOn(opts.postgres, sql);
const pgDatabaseFor = (opts, base, demo) => pgDatabaseOn(opts.postgres, path.basename(base), demo);

async function makeTemplate(opts, dir) {
  const marker = path.join(dir, TEMPLATE_MARKER);
  const stamp = binaryStamp(opts.binary, opts);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return { made: false };
  const lock = dir + '.lock';
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // mkdir is atomic: the first runner makes the template, the others wait for it.
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - fs.statSync(lock).mtimeMs;
      if (age > 900000 * opts.timeoutFactor) fs.rmSync(lock, { recursive: true, force: true });
      if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return { made: false };
      await sleep(200);
    }
  }
  try {
    if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return { made: false };
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    const started = Date.now();
    let env = {};
    if (opts.postgres) {
      // The demo database, copied (CREATE DATABASE ... TEMPLATE) for each --demo script.
      pgSql(opts, `DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB}`);
      pgSql(opts, `CREATE DATABASE ${PG_TEMPLATE_DB}`);
      env = { GONGZHI_DATABASE: pgUrl(opts, PG_TEMPLATE_DB) };
    }
    const server = new Server({ binary: opts.binary, dataDir: tmp, args: ['--demo'], cwd: opts.cwd, canaries: [], allowLogError: [], timeoutFactor: opts.timeoutFactor * 5, label: 'template', env });
    try {
      await server.start();
    } catch (e) {
      throw new TestFailure(`making the demo data folder: ${e.message}\n${server.tail(40)}`);
    }
    const agent = new http.Agent({ keepAlive: false });
    const ready = await httpRequest(server.port, agent, { method: 'GET', target: '/readyz', headers: [], body: null }, 30000).catch((e) => ({ status: 0, body: e.message }));
    const result = await server.stop(30000 * opts.timeoutFactor);
    const problems = [...server.problems];
    if (ready.status !== 200) problems.push(`GET /readyz answered ${ready.status}: ${show(ready.body)}`);
    if (result === null || result.code !== 0) problems.push(`serve --demo did not exit 0 after SIGTERM (${server.describeExit()})`);
    if (problems.length) throw new TestFailure(`making the demo data folder failed:\n  ${problems.join('\n  ')}\n${server.tail(40)}`);
    fs.writeFileSync(path.join(tmp, TEMPLATE_MARKER), stamp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    return { made: true, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function prepareDataDir(opts, meta, base) {
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(base), { recursive: true });
  if (meta.server.includes('--demo')) {
    const templateDir = opts.templateDir || path.join(path.dirname(base), 'demo-template');
    const t = await makeTemplate(opts, templateDir);
    if (t.made) console.log(`  made the demo data folder ${templateDir} in ${t.seconds.toFixed(1)} s`);
    fs.cpSync(templateDir, base, { recursive: true });
    fs.rmSync(path.join(base, TEMPLATE_MARKER), { force: true });
  }
  // else: a path that does not exist yet, so `serve` creates it as a first start would.
  if (opts.postgres) return { GONGZHI_DATABASE: pgDatabaseFor(opts, base, meta.server.includes('--demo')) };
  return {};
}

// ---------------------------------------------------------------------------------------------
// main

function parseArgs(argv) {
  const opts = { binary: null, workDir: null, templateDir: null, cwd: REPO_ROOT, timeoutFactor: 1, keep: false, verbose: false, files: [], makeTemplate: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--binary') opts.binary = path.resolve(val());
    else if (a === '--work-dir') opts.workDir = path.resolve(val());
    else if (a === '--template-dir') opts.templateDir = path.resolve(val());
    else if (a === '--make-template') opts.makeTemplate = path.resolve(val());
    else if (a === '--cwd') opts.cwd = path.resolve(val());
    else if (a === '--timeout-factor') opts.timeoutFactor = parseFloat(val());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--must-fail') opts.mustFail = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--self-test') opts.selfTest = true;
    else if (a === '--postgres') opts.postgres = readPgCluster(path.resolve(val()));
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 40).join('\n').replace(/^\/\/ ?/gm, ''));
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else opts.files.push(path.resolve(a));
  }
  if (opts.selfTest) return opts;
  if (!opts.binary) throw new Error('--binary is required');
  if (!fs.existsSync(opts.binary)) throw new Error(`no binary at ${opts.binary} (build it first: make build)`);
  return opts;
}

async function runFile(opts, file) {
  const rel = path.relative(REPO_ROOT, file);
  const started = Date.now();
  let parsed;
  try {
    parsed = parseScript(fs.readFileSync(file, 'utf8'), rel);
  } catch (e) {
    console.log(`FAIL ${rel}:${e.line || 0}: ${e.message}`);
    return false;
  }
  const { meta, steps } = parsed;
  const workRoot = opts.workDir || fs.mkdtempSync(path.join(os.tmpdir(), 'gz-apitest-'));
  const dataDir = path.join(workRoot, path.basename(file, '.apitest'));
  let runner;
  let error = null;
  const timeoutMs = meta.timeout * 1000 * opts.timeoutFactor;
  try {
    const databaseEnv = await prepareDataDir(opts, meta, dataDir);
    runner = new Runner(opts, file, meta, steps);
    runner.dataDir = dataDir;
    runner.databaseEnv = databaseEnv;
    let timer;
    await Promise.race([
      runner.run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new TestFailure(`the script took longer than ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    error = e;
  }
  if (runner) {
    try {
      await runner.finish();
    } catch (e) {
      runner.failures.push(`stopping the server: ${e.message}`);
    }
  }
  if (runner && runner.server && runner.server.proc && !runner.server.exit) {
    runner.server.proc.kill('SIGKILL');
    await runner.server.exited;
  }
  const failures = [];
  if (error) failures.push(error instanceof TestFailure ? `${rel}:${error.line || 0}: ${error.message}` : `${rel}: ${error.stack || error}`);
  if (runner) failures.push(...runner.failures.map((f) => `${rel}: ${f}`));
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  if (opts.mustFail) {
    // A negative control: the script must fail, and for the reason it names.
    const text = failures.join('\n');
    const want = meta.mustFailWith;
    if (failures.length > 0 && (!want || want.test(text))) {
      console.log(`ok   ${rel} failed as it must (${seconds} s):\n  ${text.split('\n')[0]}`);
      if (!opts.keep) fs.rmSync(opts.workDir ? dataDir : workRoot, { recursive: true, force: true });
      return true;
    }
    console.log(`FAIL ${rel}: a negative control ${failures.length ? `failed for another reason than ${want}` : 'passed'}`);
    for (const f of failures) console.log('  ' + f.replace(/\n/g, '\n  '));
    return false;
  }
  if (failures.length === 0) {
    console.log(`ok   ${rel} (${runner.responses} responses, ${seconds} s)`);
    if (!opts.keep && !opts.workDir) fs.rmSync(workRoot, { recursive: true, force: true });
    else if (!opts.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    return true;
  }
  console.log(`FAIL ${rel} (${seconds} s)`);
  if (meta.description) console.log(`  what it checks: ${meta.description}`);
  for (const f of failures) console.log('  ' + f.replace(/\n/g, '\n  '));
  if (runner && runner.server) {
    console.log(`  server: ${opts.binary} ${(runner.server.argv || []).join(' ')}`);
    console.log(`  last log lines:\n${runner.server.tail(25)}`);
  }
  console.log(`  data folder kept: ${dataDir}`);
  return false;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`apitest: ${e.message}`);
    process.exit(2);
  }
  if (opts.selfTest) {
    const groups = [['totp', totpSelfTest()], ['files and images', imageSelfTest()]];
    for (const [name, bad] of groups) for (const b of bad) console.log(`FAIL ${name}: ${b}`);
    const failed = groups.filter(([, bad]) => bad.length).length;
    console.log(`${groups.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
  if (opts.makeTemplate) {
    try {
      const t = await makeTemplate(opts, opts.makeTemplate);
      console.log(t.made ? `ok   made the demo data folder ${opts.makeTemplate} in ${t.seconds.toFixed(1)} s` : `ok   demo data folder ${opts.makeTemplate} is up to date`);
      process.exit(0);
    } catch (e) {
      console.log(`FAIL demo data folder: ${e.message}`);
      process.exit(1);
    }
  }
  if (opts.files.length === 0) {
    console.error('apitest: no .apitest files given');
    process.exit(2);
  }
  let failed = 0;
  for (const f of opts.files) if (!(await runFile(opts, f))) failed++;
  if (opts.files.length > 1) console.log(`${opts.files.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
