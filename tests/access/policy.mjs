// The policy, evaluated independently of the server's C++ (src/access/policy.cc), from the table
// the server publishes at GET /api/v1/access-policy. If the two disagree, the matrix reports it.

// True if the canonical 12-digit `code` lies in the subtree of the canonical 12-digit `scope`.
export function scopeContains(scope, code) {
  if (!/^\d{12}$/.test(scope || '') || !/^\d{12}$/.test(code || '') || scope.startsWith('00')) return false;
  let n = 2;
  if (scope.slice(9, 12) !== '000') n = 12;
  else if (scope.slice(6, 9) !== '000') n = 9;
  else if (scope.slice(4, 6) !== '00') n = 6;
  else if (scope.slice(2, 4) !== '00') n = 4;
  return code.slice(0, n) === scope.slice(0, n);
}

// Ids travel as decimal strings or numbers depending on the route; compare them as strings.
const same = (a, b) => a !== undefined && a !== null && a !== 0 && a !== '0' && a !== '' && String(a) === String(b);

function owns(person, t) {
  // also_owner_account: objects with two parties (a consent: villager and helper).
  return same(t.owner_account, person.account_id) || same(t.also_owner_account, person.account_id) ||
         same(t.owner_resident, person.resident_id) || same(t.owner_household, person.household_id);
}

function ownTenant(person, t) {
  return owns(person, t) || person.grants.some((g) => scopeContains(g.scope, t.division));
}

// subject: { token, person, actingFor, actingForPerson, consent: 'valid' | 'none' }
// target: null (function level only) or { division, owner_account, owner_resident, owner_household }
// Returns 'allow' | 'unauthenticated' | 'forbidden' | 'not-found'.
export function decide(policy, permissionName, subject, target) {
  const perm = policy.permissions.find((p) => p.name === permissionName);
  if (!perm) return 'forbidden';
  if (perm.audience === 'public') return 'allow';
  // Beyond public routes, a request that claims to act for a villager without a valid consent is
  // refused outright.
  if (subject.actingFor && subject.consent !== 'valid') return 'forbidden';
  if (!subject.token) return 'unauthenticated';
  const person = subject.actingFor ? subject.actingForPerson : subject.person;
  let attempt = 'allow';
  if (subject.actingFor && !perm.delegable) attempt = 'forbidden';
  else if (perm.audience === 'signed_in') attempt = 'allow';
  else if (!perm.rules.some((r) => person.grants.some((g) => g.role === r.role))) attempt = 'forbidden';
  // Refused at the function level (no role holds the permission): 403 before any object is
  // looked up, wherever the object lives.
  if (!target || attempt !== 'allow' || perm.audience !== 'roles') return attempt;
  for (const r of perm.rules) {
    for (const g of person.grants) {
      if (g.role !== r.role) continue;
      if (r.reach === 'any') return 'allow';
      if (r.reach === 'scope' && scopeContains(g.scope, target.division)) return 'allow';
      if (r.reach === 'self' && owns(person, target)) return 'allow';
    }
  }
  return ownTenant(person, target) ? 'forbidden' : 'not-found';
}
