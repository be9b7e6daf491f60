// The subjects of the access matrix: the demo accounts of `serve --demo` (README, "Demo accounts"),
// each signed in once, plus anonymous and the two helper cases of security-tests.md 5.4.
import crypto from 'node:crypto';

export const DEMO_PASSWORD = 'gongzhi-demo-2026';

// Positions of a target object relative to the subjects' home village 420114001205 (成功村).
export const POSITIONS = ['own-village', 'sibling-village', 'other-township-village', 'own-township',
                          'other-township', 'county'];

export const SUBJECTS = [
  { name: 'anonymous' },
  { name: 'villager (self)', phone: '15400000001', staff: false },
  { name: 'villager (other household)', phone: '15400000002', staff: false },
  { name: 'helper with consent', phone: '15400000003', staff: true, actingForPhone: '15400000001', consent: 'valid' },
  { name: 'helper without consent', phone: '15400000011', staff: true, actingForPhone: '15400000001', consent: 'none' },
  { name: 'helper (as itself)', phone: '15400000003', staff: true },
  { name: 'grid worker', phone: '15400000004', staff: true },
  { name: 'village cadre', phone: '15400000005', staff: true },
  { name: 'supervisor', phone: '15400000006', staff: true },
  { name: 'township official', phone: '15400000007', staff: true },
  { name: 'county admin', phone: '15400000008', staff: true },
  { name: 'auditor', phone: '15400000009', staff: true },
  { name: 'operator', phone: '15400000010', staff: true },
  { name: 'villager (sibling village)', phone: '15400000012', staff: false },
  { name: 'cadre (other township)', phone: '15400000013', staff: true },
];

// The demo staff accounts' TOTP secrets, derived as src/modules/identity/seed_demo_accounts.h
// documents: base32 of the first 20 bytes of SHA-256("gongzhi demo totp " + phone).
export function demoTotpSecret(phone) {
  const bytes = crypto.createHash('sha256').update(`gongzhi demo totp ${phone}`).digest().subarray(0, 20);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

export function demoTotp(phone, timeMs = Date.now()) {
  const key = base32Decode(demoTotpSecret(phone));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30000)));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1e6).padStart(6, '0');
}
