#!/usr/bin/env node
// The verification page's script (/v/verify.js, src/modules/disclosure/api/notice_pages.cc) against
// an independent RFC 6962 Merkle tree built here with node:crypto: every leaf of trees of 1..13
// entries must verify (已验证) with a checkpoint signed by the log key (Ed25519), and a changed
// entry, a changed proof hash, a wrong root, a checkpoint signed by another key or of another size,
// or none, must not.
// The script runs with stubbed document and fetch; WebCrypto is Node's (18+).
// Usage: node verify_script.test.mjs REPO_ROOT
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = process.argv[2] || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const src = fs.readFileSync(path.join(root, 'src/modules/disclosure/api/notice_pages.cc'), 'utf8');
const js = src.slice(src.indexOf('R"js(') + 5, src.indexOf(')js"'));

const H = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (e) => H(Buffer.from([0]), Buffer.from(e));
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
const mth = (ls) => (ls.length === 1 ? ls[0] : H(Buffer.from([1]), mth(ls.slice(0, split(ls.length))), mth(ls.slice(split(ls.length)))));
const auditPath = (m, ls) => {
  if (ls.length === 1) return [];
  const k = split(ls.length);
  return m < k ? [...auditPath(m, ls.slice(0, k)), mth(ls.slice(k))] : [...auditPath(m - k, ls.slice(k)), mth(ls.slice(0, k))];
};

// The log's key and signed checkpoints (C2SP signed note, Ed25519), made here independently of
// the server: key id = first 4 bytes of SHA-256(name || "\n" || 0x01 || public key).
const NAME = 'gongzhi.example/420114';
function newKey() {
  // A key whose base64 has a '+' half the time: try until it does, the parsing case that matters.
  for (;;) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const data = Buffer.concat([Buffer.from([1]), pub]).toString('base64');
    if (!data.includes('+')) continue;
    const id = H(Buffer.from(NAME + '\n'), Buffer.from([1]), pub).subarray(0, 4);
    return { privateKey, id, verifierKey: `${NAME}+${id.toString('hex')}+${data}` };
  }
}
const KEY = newKey();
const OTHER = newKey();
function checkpoint(size, rootB64, key = KEY) {
  const text = `${NAME}\n${size}\n${rootB64}\n`;
  const sig = crypto.sign(null, Buffer.from(text), key.privateKey);
  return `${text}\n\u2014 ${NAME} ${Buffer.concat([key.id, sig]).toString('base64')}\n`;
}

async function run(entry, proof, proofResponse, verifierKey = KEY.verifierKey) {
  const box = { dataset: { index: proof.index, entry: '/entry' }, className: '', textContent: '' };
  const detail = { textContent: '' };
  globalThis.document = { getElementById: (id) => (id === 'result' ? box : detail) };
  globalThis.window = globalThis;
  globalThis.fetch = async (url) => {
    if (url === '/entry') return { ok: true, status: 200, arrayBuffer: async () => new TextEncoder().encode(entry).buffer };
    if (url === '/tlog/verifier-key') return { ok: true, status: 200, text: async () => verifierKey + '\n' };
    return proofResponse || { ok: true, status: 200, json: async () => proof };
  };
  (0, eval)(js);
  for (let i = 0; i < 500 && (box.className === '' || box.className === 'wait'); i++) await new Promise((r) => setTimeout(r, 2));
  return box.className;
}

let failures = 0, checks = 0;
const expect = (got, want, what) => { checks++; if (got !== want) { failures++; console.error(`FAIL ${what}: ${got} (want ${want})`); } };
for (let n = 1; n <= 13; n++) {
  const entries = Array.from({ length: n }, (_, i) => `{"id":"${i}","title":"村务公开 ${i}"}`);
  const leaves = entries.map(leafHash);
  const rootHash = mth(leaves).toString('base64');
  for (let m = 0; m < n; m++) {
    const proof = {
      index: String(m), tree_size: String(n), leaf_hash: leaves[m].toString('base64'), root_hash: rootHash,
      proof: auditPath(m, leaves).map((b) => b.toString('base64')), checkpoint: checkpoint(n, rootHash),
    };
    expect(await run(entries[m], proof), 'ok', `n=${n} m=${m}`);
    // The signature is checked: another key's checkpoint, a key that did not sign it, a checkpoint
    // of another root, no checkpoint at all: each is a failure.
    expect(await run(entries[m], { ...proof, checkpoint: checkpoint(n, rootHash, OTHER) }), 'bad', `other signer n=${n} m=${m}`);
    expect(await run(entries[m], proof, undefined, OTHER.verifierKey), 'bad', `other verifier key n=${n} m=${m}`);
    expect(await run(entries[m], { ...proof, checkpoint: checkpoint(n + 1, rootHash) }), 'bad', `checkpoint of another size n=${n} m=${m}`);
    expect(await run(entries[m], { ...proof, checkpoint: null }), 'bad', `no checkpoint n=${n} m=${m}`);
    expect(await run(entries[m] + ' ', { ...proof, leaf_hash: undefined }), 'bad', `changed entry n=${n} m=${m}`);
    if (n > 1) {
      const p = [...proof.proof];
      p[p.length - 1] = H(Buffer.from('x')).toString('base64');
      expect(await run(entries[m], { ...proof, proof: p }), 'bad', `changed proof n=${n} m=${m}`);
      expect(await run(entries[m], { ...proof, root_hash: proof.leaf_hash }), 'bad', `wrong root n=${n} m=${m}`);
      expect(await run(entries[m], { ...proof, proof: proof.proof.slice(1) }), 'bad', `short proof n=${n} m=${m}`);
    }
  }
}
// Not yet in a signed checkpoint: the page waits, it does not cry failure; other errors fail.
const notYet = { ok: false, status: 409, json: async () => ({ type: '/problems/tlog/not-included-yet', status: 409 }) };
expect(await run('{}', { index: '7' }, notYet), 'wait', 'not included yet');
const broken = { ok: false, status: 500, json: async () => { throw new Error('not json'); } };
expect(await run('{}', { index: '7' }, broken), 'bad', 'server error');
console.log(failures === 0 ? `ok: ${checks} checks` : `${failures} of ${checks} checks failed`);
process.exit(failures === 0 ? 0 : 1);
