// What the access matrix sends to each route, and where the target objects live.
//
// ROUTE_SPECS["METHOD /pattern"] = {
//   targets(objects) -> [{ position, params, target }]   (omit: function-level only, one case)
//       target = { division, owner_account, owner_resident, owner_household } as the handler
//       builds it for its gate.Require() call (null: no object-level check)
//   path(params) -> the request target
//   body: the JSON body (default: {"__probe":1} for POST/PATCH/PUT, none for GET/DELETE)
//   allowedNotFound: problem types that, with a 404, still mean "admitted" (the object looked for
//       after the check is missing, e.g. a grant id that does not exist on an admitted account)
//   allowedForbidden: problem types that, with a 403, mean "admitted, then refused by a business
//       rule" (separation of duties), not by the policy
// }
// SKIPPED_ROUTES["METHOD /pattern"] = "why the matrix does not call it" (covered elsewhere).

const VILLAGE_OWN = '420114001205';
const VILLAGE_SIBLING = '420114001206';
const TOWNSHIP_OWN = '420114001000';
const COUNTY = '420114000000';

const fixed = (p) => () => p;
const TLOG_MISSING = ['/problems/tlog/tile-not-found', '/problems/tlog/not-included-yet'];

// Villages at the three village positions.
function villages(o) {
  return [
    { position: 'own-village', params: { code: VILLAGE_OWN }, target: { division: VILLAGE_OWN } },
    { position: 'sibling-village', params: { code: VILLAGE_SIBLING }, target: { division: VILLAGE_SIBLING } },
    { position: 'other-township-village', params: { code: o.otherVillage }, target: { division: o.otherVillage } },
  ];
}

function residents(o, owners = ['resident']) {
  return o.residents.map((r) => ({
    position: r.position,
    params: { id: r.id },
    target: {
      division: r.village,
      owner_resident: owners.includes('resident') ? r.id : 0,
      owner_household: owners.includes('household') ? r.household_id : 0,
    },
  }));
}

function households(o) {
  return o.households.map((h) => ({
    position: h.position, params: { id: h.id }, target: { division: h.village, owner_household: h.id },
  }));
}

function accounts(o) {
  return o.accounts.map((a) => ({
    position: a.position, params: { id: a.id }, target: { division: a.home, owner_account: a.id },
  }));
}

function consents(o) {
  // Either party owns a consent: the matrix models it as owned by the villager and lists the
  // helper separately (routes.mjs `consentOwners`).
  return o.consents.map((c) => ({
    position: c.position, params: { id: c.id },
    target: { division: c.village, owner_account: c.villager_account, also_owner_account: c.helper_account },
  }));
}

function corrections(o) {
  return o.corrections.map((c) => ({
    position: c.position, params: { id: c.id }, target: { division: c.village, owner_account: c.account },
  }));
}

function imports(o) {
  return o.imports.map((i) => ({ position: i.position, params: { id: i.id }, target: { division: i.village } }));
}

function appeals(o) {
  // AppealService::TargetOf: the village, the submitter's account and resident record.
  return o.appeals.map((a) => ({
    position: a.position, params: { id: a.id },
    target: { division: a.village, owner_account: a.account || 0, owner_resident: a.resident || 0 },
  }));
}

const disclosureRoute = (suffix) => ({
  path: fixed(`/api/v1/disclosure/items/999999999${suffix}`),
  allowedNotFound: ['/problems/disclosure/item-not-found'],
});
const voteRoute = (suffix) => ({
  path: fixed(`/api/v1/votes/999999999${suffix}`),
  allowedNotFound: ['/problems/votes/vote-not-found'],
});
const budgetRoundRoute = (suffix) => ({
  path: fixed(`/api/v1/budget-rounds/999999999${suffix}`),
  allowedNotFound: ['/problems/votes/round-not-found'],
});
const deliberationRoute = (kind, suffix) => ({
  path: fixed(`/api/v1/deliberation/${kind}/999999999${suffix}`),
  allowedNotFound: [`/problems/deliberation/${kind.slice(0, -1)}-not-found`],
});
const appealRoute = (suffix) => ({ targets: appeals, path: (p) => `/api/v1/appeals/${p.id}${suffix}` });

function open311Clients(o) {
  // The client routes' gate.Require target: the client's scope.
  return o.open311Clients.map((c) => ({ position: c.position, params: { id: c.id }, target: { division: c.scope } }));
}

export const ROUTE_SPECS = {
  // ---- system and public data: everyone ----
  'GET /healthz': { path: fixed('/healthz') },
  'GET /readyz': { path: fixed('/readyz') },
  'GET /api/openapi.json': { path: fixed('/api/openapi.json') },
  'GET /api/v1/access-policy': { path: fixed('/api/v1/access-policy') },
  'GET /api/v1/divisions': { path: fixed('/api/v1/divisions') },
  'GET /api/v1/divisions/{code}': { path: fixed(`/api/v1/divisions/${VILLAGE_OWN}`) },
  'GET /api/v1/divisions/{code}/children': { path: fixed(`/api/v1/divisions/${TOWNSHIP_OWN}/children`) },
  'POST /api/v1/divisions/lookup': { path: fixed('/api/v1/divisions/lookup'), body: { codes: [VILLAGE_OWN] } },

  // ---- the signed-in person ----
  'GET /api/v1/me': { path: fixed('/api/v1/me') },
  'POST /api/v1/me/password': { path: fixed('/api/v1/me/password') },
  'POST /api/v1/me/totp': { path: fixed('/api/v1/me/totp') },
  'POST /api/v1/me/totp/confirm': { path: fixed('/api/v1/me/totp/confirm') },
  'GET /api/v1/me/data': { path: fixed('/api/v1/me/data') },
  'GET /api/v1/me/data.html': { path: fixed('/api/v1/me/data.html') },
  'GET /api/v1/me/data-reads': { path: fixed('/api/v1/me/data-reads') },
  'GET /api/v1/me/acted-for': { path: fixed('/api/v1/me/acted-for') },
  'GET /api/v1/me/consents': { path: fixed('/api/v1/me/consents') },
  'GET /api/v1/me/corrections': { path: fixed('/api/v1/me/corrections') },
  'POST /api/v1/me/corrections': { path: fixed('/api/v1/me/corrections') },

  // ---- accounts ----
  'POST /api/v1/accounts': { path: fixed('/api/v1/accounts') },
  'GET /api/v1/accounts': { path: fixed('/api/v1/accounts') },
  'GET /api/v1/accounts/{id}': { targets: accounts, path: (p) => `/api/v1/accounts/${p.id}` },
  'POST /api/v1/accounts/{id}/disable': { targets: accounts, path: (p) => `/api/v1/accounts/${p.id}/disable` },
  'POST /api/v1/accounts/{id}/enable': { targets: accounts, path: (p) => `/api/v1/accounts/${p.id}/enable` },
  'POST /api/v1/accounts/{id}/unlock': { targets: accounts, path: (p) => `/api/v1/accounts/${p.id}/unlock` },
  'POST /api/v1/accounts/{id}/grants': { targets: accounts, path: (p) => `/api/v1/accounts/${p.id}/grants` },
  'DELETE /api/v1/accounts/{id}/grants/{grant_id}': {
    targets: accounts, path: (p) => `/api/v1/accounts/${p.id}/grants/999999999`,
    allowedNotFound: ['/problems/identity/grant-not-found'],
    // Admitted, then refused by separation of duties: nobody changes their own roles.
    allowedForbidden: ['/problems/identity/self-grant'],
  },

  // ---- consents ----
  'POST /api/v1/consents': { path: fixed('/api/v1/consents') },
  'GET /api/v1/consents': { path: fixed('/api/v1/consents') },
  'GET /api/v1/consents/{id}': { targets: consents, path: (p) => `/api/v1/consents/${p.id}` },
  'GET /api/v1/consents/{id}/evidence': { targets: consents, path: (p) => `/api/v1/consents/${p.id}/evidence` },
  'POST /api/v1/consents/{id}/revoke': { targets: consents, path: (p) => `/api/v1/consents/${p.id}/revoke` },
  // A code request exists only for the account that made it (404 for everyone else, the gate then
  // checks its village): function level here; tests/api/consents/helper_by_sms_code.apitest
  // walks the objects.
  'POST /api/v1/consents/sms-challenges': { path: fixed('/api/v1/consents/sms-challenges') },
  'GET /api/v1/consents/sms-challenges/{id}': {
    path: fixed('/api/v1/consents/sms-challenges/999999999'),
    allowedNotFound: ['/problems/consents/sms-challenge-not-found'],
  },
  'POST /api/v1/consents/sms-challenges/{id}/confirm': {
    path: fixed('/api/v1/consents/sms-challenges/999999999/confirm'),
    allowedNotFound: ['/problems/consents/sms-challenge-not-found'],
  },

  // ---- residents ----
  'GET /api/v1/villages/{code}/households': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/households` },
  'GET /api/v1/villages/{code}/residents': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/residents` },
  'POST /api/v1/villages/{code}/households': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/households` },
  'GET /api/v1/villages/{code}/data-quality': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/data-quality` },
  'GET /api/v1/villages/{code}/corrections': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/corrections` },
  'GET /api/v1/households/{id}': { targets: households, path: (p) => `/api/v1/households/${p.id}` },
  'POST /api/v1/households/{id}/members': { targets: households, path: (p) => `/api/v1/households/${p.id}/members` },
  'GET /api/v1/residents/{id}': { targets: residents, path: (p) => `/api/v1/residents/${p.id}` },
  'PATCH /api/v1/residents/{id}': { targets: residents, path: (p) => `/api/v1/residents/${p.id}` },
  'POST /api/v1/residents/{id}/reveal': { targets: residents, path: (p) => `/api/v1/residents/${p.id}/reveal` },
  'POST /api/v1/corrections/{id}/resolve': { targets: corrections, path: (p) => `/api/v1/corrections/${p.id}/resolve` },
  'POST /api/v1/villages/{code}/imports': { targets: villages, path: (p) => `/api/v1/villages/${p.code}/imports` },
  'GET /api/v1/imports/{id}': { targets: imports, path: (p) => `/api/v1/imports/${p.id}` },
  'POST /api/v1/imports/{id}/apply': { targets: imports, path: (p) => `/api/v1/imports/${p.id}/apply` },
  'GET /api/v1/villages/{code}/residents/export': {
    targets: villages, path: (p) => `/api/v1/villages/${p.code}/residents/export`,
  },

  // ---- appeals ----
  // A submission's target depends on the body (for_account / for_resident), which the probe
  // leaves out: function level only here; tests/api/appeals/ covers recording for others.
  'POST /api/v1/appeals': { path: fixed('/api/v1/appeals') },
  'GET /api/v1/appeals': { path: fixed('/api/v1/appeals') },
  'GET /api/v1/appeals/categories': { path: fixed('/api/v1/appeals/categories') },
  'GET /api/v1/appeals/rates': { path: fixed('/api/v1/appeals/rates') },
  'GET /api/v1/me/appeal-inbox': { path: fixed('/api/v1/me/appeal-inbox') },
  'GET /api/v1/appeals/{id}': appealRoute(''),
  'GET /api/v1/appeals/{id}/timeline': appealRoute('/timeline'),
  'POST /api/v1/appeals/{id}/accept': appealRoute('/accept'),
  'POST /api/v1/appeals/{id}/start': appealRoute('/start'),
  'POST /api/v1/appeals/{id}/answer': appealRoute('/answer'),
  'POST /api/v1/appeals/{id}/transfer': appealRoute('/transfer'),
  'POST /api/v1/appeals/{id}/reject': appealRoute('/reject'),
  'POST /api/v1/appeals/{id}/rating': appealRoute('/rating'),
  'POST /api/v1/appeals/{id}/withdraw': appealRoute('/withdraw'),
  'POST /api/v1/appeals/{id}/contest': appealRoute('/contest'),
  'POST /api/v1/appeals/{id}/visit': appealRoute('/visit'),
  'POST /api/v1/appeals/{id}/uphold': appealRoute('/uphold'),
  'POST /api/v1/appeals/{id}/overturn': appealRoute('/overturn'),
  'POST /api/v1/appeals/{id}/notes': appealRoute('/notes'),
  // Like POST /api/v1/appeals: where the caller would file (self or helper), function level here.
  'POST /api/v1/appeals/similar': { path: fixed('/api/v1/appeals/similar') },
  // Joining is for villagers of the appeal's village (its place is the target, not its owner);
  // the service then refuses one's own appeal (409 cannot-join), which is not a policy refusal.
  'POST /api/v1/appeals/{id}/join': {
    targets: (o) => appeals(o).map((t) => ({ ...t, target: { division: t.target.division } })),
    path: (p) => `/api/v1/appeals/${p.id}/join`,
  },
  'GET /api/v1/appeals/ranking': { path: fixed('/api/v1/appeals/ranking') },
  'GET /api/v1/appeals/deadlines': { targets: villages, path: (p) => `/api/v1/appeals/deadlines?village=${p.code}` },
  // The rule's place is the gate's target; the service then applies who may loosen what (cadres
  // only tighten): the probe body is refused before that.
  'PUT /api/v1/appeals/deadline-rules/{scope}/{category}': {
    targets: villages, path: (p) => `/api/v1/appeals/deadline-rules/${p.code}/street_lights`,
  },
  'DELETE /api/v1/appeals/deadline-rules/{scope}/{category}': {
    targets: villages, path: (p) => `/api/v1/appeals/deadline-rules/${p.code}/street_lights`,
    allowedNotFound: ['/problems/appeals/deadline-rule-not-found'],
  },
  'GET /api/v1/appeals/unit-rules': { targets: villages, path: (p) => `/api/v1/appeals/unit-rules?village=${p.code}` },
  'PUT /api/v1/appeals/unit-rules/{scope}/{category}': {
    targets: villages, path: (p) => `/api/v1/appeals/unit-rules/${p.code}/street_lights`,
  },
  'DELETE /api/v1/appeals/unit-rules/{scope}/{category}': {
    targets: villages, path: (p) => `/api/v1/appeals/unit-rules/${p.code}/street_lights`,
    allowedNotFound: ['/problems/appeals/unit-rule-not-found'],
  },
  'POST /api/v1/me/appeal-inbox/{id}/read': {
    path: fixed('/api/v1/me/appeal-inbox/999999999/read'),
    allowedNotFound: ['/problems/appeals/notification-not-found'],
  },
  // Suggestions: the POST names its village in the body, which the probe leaves out (function
  // level here; tests/api/appeals/suggestion.apitest covers other villages and tenants).
  'POST /api/v1/appeals/suggestion': { path: fixed('/api/v1/appeals/suggestion') },
  'GET /api/v1/appeals/{id}/suggestion': appealRoute('/suggestion'),

  // ---- Open311: GeoReport v2 is public (the api_key is its credential); keys are the county's ----
  'GET /open311/v2/discovery.json': { path: fixed('/open311/v2/discovery.json') },
  'GET /open311/v2/discovery.xml': { path: fixed('/open311/v2/discovery.xml') },
  'GET /open311/v2/services.json': { path: fixed(`/open311/v2/services.json?jurisdiction_id=${VILLAGE_OWN}`) },
  'GET /open311/v2/services.xml': { path: fixed('/open311/v2/services.xml') },
  'GET /open311/v2/services/{file}': { path: fixed('/open311/v2/services/water_supply.json') },
  'GET /open311/v2/requests.json': { path: fixed(`/open311/v2/requests.json?jurisdiction_id=${VILLAGE_OWN}`) },
  'GET /open311/v2/requests.xml': { path: fixed(`/open311/v2/requests.xml?jurisdiction_id=${TOWNSHIP_OWN}`) },
  // The probe body is JSON: every caller gets 415 (form encoding required), nothing is filed.
  'POST /open311/v2/requests.json': { path: fixed('/open311/v2/requests.json') },
  'POST /open311/v2/requests.xml': { path: fixed('/open311/v2/requests.xml') },
  'GET /open311/v2/requests/{file}': { targets: appeals, path: (p) => `/open311/v2/requests/${p.id}.json` },
  'GET /open311/v2/tokens/{file}': { targets: (o) => [{ position: 'none', params: { token: o.open311Token }, target: null }],
                                     path: (p) => `/open311/v2/tokens/${p.token}.xml` },
  // A new client's target depends on the body (its scope), which the probe leaves out: function
  // level only here; tests/api/open311/key_administration.apitest covers the scope check.
  'POST /api/v1/open311/clients': { path: fixed('/api/v1/open311/clients') },
  'GET /api/v1/open311/clients': { path: fixed('/api/v1/open311/clients') },
  'POST /api/v1/open311/clients/{id}/revoke': { targets: open311Clients, path: (p) => `/api/v1/open311/clients/${p.id}/revoke` },
  // Photos: the probe's JSON body meets the Content-Type check (415) once the gate admits the
  // caller; the photo id does not exist, so an admitted read ends in attachment-not-found.
  'GET /api/v1/appeals/{id}/photos': appealRoute('/photos'),
  'POST /api/v1/appeals/{id}/photos': appealRoute('/photos'),
  'GET /api/v1/appeals/{id}/photos/{photo_id}': {
    targets: appeals, path: (p) => `/api/v1/appeals/${p.id}/photos/999999999`,
    allowedNotFound: ['/problems/attachments/attachment-not-found'],
  },

  // ---- transparency log: public by design (anyone audits it); the matrix's demo log may be
  // empty, so a missing tile or entry (404 with these types) still means "admitted" ----
  'GET /tlog/checkpoint': { path: fixed('/tlog/checkpoint') },
  'GET /tlog/verifier-key': { path: fixed('/tlog/verifier-key') },
  'GET /tlog/tile/{level}/{n0}': { path: fixed('/tlog/tile/0/000'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/entries/{n0}': { path: fixed('/tlog/tile/entries/000'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/{level}/{n0}/{n1}': { path: fixed('/tlog/tile/0/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/entries/{n0}/{n1}': { path: fixed('/tlog/tile/entries/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/{level}/{n0}/{n1}/{n2}': { path: fixed('/tlog/tile/0/x001/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/entries/{n0}/{n1}/{n2}': { path: fixed('/tlog/tile/entries/x001/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/{level}/{n0}/{n1}/{n2}/{n3}': { path: fixed('/tlog/tile/0/x001/x000/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/entries/{n0}/{n1}/{n2}/{n3}': { path: fixed('/tlog/tile/entries/x001/x000/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/{level}/{n0}/{n1}/{n2}/{n3}/{n4}': { path: fixed('/tlog/tile/0/x001/x000/x000/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /tlog/tile/entries/{n0}/{n1}/{n2}/{n3}/{n4}': { path: fixed('/tlog/tile/entries/x001/x000/x000/000.p/1'), allowedNotFound: TLOG_MISSING },
  'GET /api/v1/tlog/inclusion': { path: fixed('/api/v1/tlog/inclusion?index=0'), allowedNotFound: TLOG_MISSING },
  'GET /api/v1/tlog/consistency': { path: fixed('/api/v1/tlog/consistency?from=0&to=0') },
  'GET /api/v1/tlog/entries/{index}': { path: fixed('/api/v1/tlog/entries/0'), allowedNotFound: TLOG_MISSING },
  // ---- disclosure (村务公开) ----
  // Published items, questions, the calendar and the pages are public; the item ids below do not
  // exist, so an admitted caller ends in item-not-found (question-not-found). The draft's village
  // is in its body, which the probe leaves out: function level only here;
  // tests/api/disclosure/ covers other villages, tenants and maker-checker.
  'GET /api/v1/disclosure/kinds': { path: fixed('/api/v1/disclosure/kinds') },
  'POST /api/v1/disclosure/items': { path: fixed('/api/v1/disclosure/items') },
  'GET /api/v1/disclosure/items': { path: fixed(`/api/v1/disclosure/items?village=${VILLAGE_OWN}`) },
  'GET /api/v1/disclosure/drafts': { targets: villages, path: (p) => `/api/v1/disclosure/drafts?village=${p.code}` },
  'GET /api/v1/disclosure/items/{id}': disclosureRoute(''),
  'PUT /api/v1/disclosure/items/{id}': disclosureRoute(''),
  'DELETE /api/v1/disclosure/items/{id}': disclosureRoute(''),
  'GET /api/v1/disclosure/items/{id}/entry': disclosureRoute('/entry'),
  'GET /api/v1/disclosure/items/{id}/preview': disclosureRoute('/preview'),
  'POST /api/v1/disclosure/items/{id}/publish': disclosureRoute('/publish'),
  'POST /api/v1/disclosure/items/{id}/originals': disclosureRoute('/originals'),
  'GET /api/v1/disclosure/items/{id}/questions': disclosureRoute('/questions'),
  'POST /api/v1/disclosure/items/{id}/questions': disclosureRoute('/questions'),
  'POST /api/v1/disclosure/questions/{id}/answer': {
    path: fixed('/api/v1/disclosure/questions/999999999/answer'),
    allowedNotFound: ['/problems/disclosure/question-not-found'],
  },
  'GET /api/v1/disclosure/calendar': { path: fixed(`/api/v1/disclosure/calendar?village=${VILLAGE_OWN}`) },
  'PUT /api/v1/disclosure/villages/{code}/cadence': {
    targets: villages, path: (p) => `/api/v1/disclosure/villages/${p.code}/cadence`,
  },
  'GET /api/v1/disclosure/missing': { path: fixed('/api/v1/disclosure/missing') },
  // The probe's JSON body meets the Content-Type check (415) once the gate admits the caller.
  'POST /api/v1/disclosure/villages/{code}/scans': {
    targets: villages, path: (p) => `/api/v1/disclosure/villages/${p.code}/scans`,
  },
  'GET /api/v1/disclosure/items/{id}/scans/{sha256}': {
    path: fixed(`/api/v1/disclosure/items/999999999/scans/${'0'.repeat(64)}`),
    allowedNotFound: ['/problems/disclosure/item-not-found'],
  },
  'GET /v/{village}/{id}': {
    path: fixed(`/v/${VILLAGE_OWN}/999999999`), allowedNotFound: ['/problems/disclosure/item-not-found'],
  },
  'GET /v/verify.js': { path: fixed('/v/verify.js') },
  'GET /print/disclosure/{id}': {
    path: fixed('/print/disclosure/999999999'), allowedNotFound: ['/problems/disclosure/item-not-found'],
  },
  'GET /print/disclosure/{village}/{month}': { path: fixed(`/print/disclosure/${VILLAGE_OWN}/2026-01`) },

  // ---- votes and polls (村民投票) ----
  // Opened and closed votes and their results are public; the vote ids below do not exist, so an
  // admitted caller ends in vote-not-found. The draft's village is in its body, which the probe
  // leaves out: function level only here; tests/api/votes/ covers other villages, tenants,
  // maker-checker, the electorate and paper counts.
  'GET /api/v1/votes': { path: fixed(`/api/v1/votes?village=${VILLAGE_OWN}`) },
  'POST /api/v1/votes': { path: fixed('/api/v1/votes') },
  'GET /api/v1/votes/{id}': voteRoute(''),
  'POST /api/v1/votes/{id}/open': voteRoute('/open'),
  'POST /api/v1/votes/{id}/ballots': voteRoute('/ballots'),
  'GET /api/v1/votes/{id}/my-ballot': voteRoute('/my-ballot'),
  'POST /api/v1/votes/{id}/paper-counts': voteRoute('/paper-counts'),
  'GET /api/v1/votes/{id}/paper-counts': voteRoute('/paper-counts'),
  'POST /api/v1/votes/{id}/close': voteRoute('/close'),
  'GET /api/v1/votes/{id}/results': voteRoute('/results'),
  // Participatory budgeting: rounds, projects and budget results are public; the round, project
  // and vote ids below do not exist (admitted callers end in *-not-found). A new round's village is
  // in its body: function level only here; tests/api/votes/budget*.apitest covers the villages,
  // tenants, helpers and the review.
  'GET /api/v1/votes/{id}/budget-results': voteRoute('/budget-results'),
  'GET /api/v1/votes/{id}/pabulib': voteRoute('/pabulib'),
  'GET /api/v1/budget-rounds': { path: fixed(`/api/v1/budget-rounds?village=${VILLAGE_OWN}`) },
  'POST /api/v1/budget-rounds': { path: fixed('/api/v1/budget-rounds') },
  'GET /api/v1/budget-rounds/{id}': budgetRoundRoute(''),
  'POST /api/v1/budget-rounds/{id}/projects': budgetRoundRoute('/projects'),
  'POST /api/v1/budget-rounds/{id}/vote': budgetRoundRoute('/vote'),
  'POST /api/v1/budget-projects/{id}/review': {
    path: fixed('/api/v1/budget-projects/999999999/review'),
    allowedNotFound: ['/problems/votes/project-not-found'],
  },
  // ---- deliberation (四议两公开, 村民议事) ----
  // The chain, the settings and proposals are public. Matters, proposals and comments below do
  // not exist, so an admitted caller ends in *-not-found. A new matter's or proposal's village is
  // in its body, which the probe leaves out: function level only here; the village-keyed routes
  // are checked at the three village positions. tests/api/deliberation/ covers the rest.
  'GET /api/v1/deliberation/chain': { path: fixed(`/api/v1/deliberation/chain?village=${VILLAGE_OWN}`) },
  'PUT /api/v1/deliberation/chains/{code}': {
    targets: villages, path: (p) => `/api/v1/deliberation/chains/${p.code}`,
  },
  'GET /api/v1/deliberation/settings': { path: fixed(`/api/v1/deliberation/settings?village=${VILLAGE_OWN}`) },
  'PUT /api/v1/deliberation/villages/{code}/settings': {
    targets: villages, path: (p) => `/api/v1/deliberation/villages/${p.code}/settings`,
  },
  'POST /api/v1/deliberation/matters': { path: fixed('/api/v1/deliberation/matters') },
  'GET /api/v1/deliberation/matters': {
    targets: villages, path: (p) => `/api/v1/deliberation/matters?village=${p.code}`,
  },
  'GET /api/v1/deliberation/matters/{id}': deliberationRoute('matters', ''),
  'GET /api/v1/deliberation/matters/{id}/meetings/{meeting_id}/scans/{sha256}': deliberationRoute('matters', '/meetings/999999999/scans/' + '0'.repeat(64) + '?purpose=audit'),
  'POST /api/v1/deliberation/matters/{id}/meetings': deliberationRoute('matters', '/meetings'),
  'POST /api/v1/deliberation/matters/{id}/advance': deliberationRoute('matters', '/advance'),
  'POST /api/v1/deliberation/matters/{id}/withdraw': deliberationRoute('matters', '/withdraw'),
  'POST /api/v1/deliberation/matters/{id}/publication': deliberationRoute('matters', '/publication'),
  'POST /api/v1/deliberation/matters/{id}/spending': deliberationRoute('matters', '/spending'),
  'GET /api/v1/deliberation/flags': { path: fixed('/api/v1/deliberation/flags') },
  'POST /api/v1/deliberation/proposals': { path: fixed('/api/v1/deliberation/proposals') },
  'GET /api/v1/deliberation/proposals': { path: fixed(`/api/v1/deliberation/proposals?village=${VILLAGE_OWN}`) },
  'GET /api/v1/deliberation/proposals/{id}': deliberationRoute('proposals', ''),
  'POST /api/v1/deliberation/proposals/{id}/support': deliberationRoute('proposals', '/support'),
  'POST /api/v1/deliberation/proposals/{id}/comments': deliberationRoute('proposals', '/comments'),
  'POST /api/v1/deliberation/proposals/{id}/answer': deliberationRoute('proposals', '/answer'),
  'POST /api/v1/deliberation/proposals/{id}/matter': deliberationRoute('proposals', '/matter'),
  'POST /api/v1/deliberation/comments/{id}/hide': deliberationRoute('comments', '/hide'),

  // ---- audit ----
  'GET /api/v1/audit': { path: fixed('/api/v1/audit') },
  'GET /api/v1/audit/export': { path: fixed('/api/v1/audit/export') },
  'GET /api/v1/audit/verify': { path: fixed('/api/v1/audit/verify') },
};

export const SKIPPED_ROUTES = {
  'GET /metrics': 'not role-based: loopback or the metrics token (decision 0006); tests/api/system/metrics*.apitest',
  'POST /api/v1/auth/sign-in': 'public by design; every subject signs in through it to take part at all',
  'POST /api/v1/auth/sign-out': 'ends the subject\'s own session; tests/api/identity/',
  'POST /api/v1/auth/sign-out-everywhere': 'ends every session of the subject; tests/api/identity/',
  'POST /api/v1/invitations/accept': 'public by design (the one-time code is the credential); tests/api/identity/',
};

// Finds the objects at each position, as the county administrator and the subjects themselves
// see them. Returns { otherVillage, residents, households, accounts, consents, corrections,
// imports, appeals }.
export async function harvestObjects({ request, subjects }) {
  const by = (name) => subjects.find((s) => s.name === name);
  const admin = by('county admin');
  const v1 = by('villager (self)');
  const v2 = by('villager (other household)');
  const v12 = by('villager (sibling village)');
  const cadre13 = by('cadre (other township)');
  const township = by('township official');
  const helper = by('helper (as itself)');

  const otherVillage = cadre13.person.grants.find((g) => g.role === 'village_cadre').scope;
  const get = async (subject, target) => {
    const res = await request('GET', target, { token: subject.token });
    if (res.status !== 200) throw new Error(`harvest: GET ${target} as ${subject.name}: ${res.status} ${res.text.slice(0, 200)}`);
    return res.json;
  };

  // A resident and household of the other township's village, as the county admin sees them.
  const far = await get(admin, `/api/v1/villages/${otherVillage}/residents?limit=1`);
  const farResident = (far.items || [])[0];
  if (!farResident) throw new Error(`harvest: no resident in ${otherVillage}`);

  const residents = [
    { position: 'own-village (self)', id: v1.person.resident_id, household_id: v1.person.household_id, village: VILLAGE_OWN },
    { position: 'own-village (other household)', id: v2.person.resident_id, household_id: v2.person.household_id, village: VILLAGE_OWN },
    { position: 'sibling-village', id: v12.person.resident_id, household_id: v12.person.household_id, village: VILLAGE_SIBLING },
    { position: 'other-township-village', id: farResident.id, household_id: farResident.household_id, village: otherVillage },
  ];
  const households = residents.map((r) => ({ position: r.position, id: r.household_id, village: r.village }));
  const accounts = [
    { position: 'own-village (self)', id: v1.person.account_id, home: VILLAGE_OWN },
    { position: 'own-village (other household)', id: v2.person.account_id, home: VILLAGE_OWN },
    { position: 'sibling-village', id: v12.person.account_id, home: VILLAGE_SIBLING },
    { position: 'other-township-village', id: cadre13.person.account_id, home: otherVillage },
    { position: 'own-township', id: township.person.account_id, home: TOWNSHIP_OWN },
    { position: 'county', id: admin.person.account_id, home: COUNTY },
  ];
  const mine = await get(helper, '/api/v1/me/consents');
  const consents = (mine.items || []).map((c) => ({
    position: 'own-village', id: c.id, village: c.village, villager_account: c.villager, helper_account: c.helper,
  }));

  // Correction requests, one per villager, made now.
  const corrections = [];
  for (const [v, position, village] of [[v1, 'own-village (self)', VILLAGE_OWN], [v2, 'own-village (other household)', VILLAGE_OWN],
                                         [v12, 'sibling-village', VILLAGE_SIBLING]]) {
    const res = await request('POST', '/api/v1/me/corrections', {
      token: v.token, body: { field: 'phone', proposed_value: '15400009999', reason: 'access matrix probe' },
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`harvest: POST /api/v1/me/corrections as ${v.name}: ${res.status} ${res.text.slice(0, 200)}`);
    corrections.push({ position, id: res.json.id, village, account: v.person.account_id });
  }
  // Import jobs (dry runs: nothing is written to the register), one per village position, each
  // made by a subject who may import there.
  const cadre = by('village cadre');
  const imports = [];
  const csv = '户号,姓名,公民身份号码,与户主关系\r\n1,测试,110101190001011234,户主\r\n';
  for (const [s, position, village] of [[cadre, 'own-village', VILLAGE_OWN], [township, 'sibling-village', VILLAGE_SIBLING],
                                         [cadre13, 'other-township-village', otherVillage]]) {
    const res = await request('POST', `/api/v1/villages/${village}/imports`, {
      token: s.token, body: csv, headers: { 'Content-Type': 'text/csv' },
    });
    if (res.status !== 201 && res.status !== 202)
      throw new Error(`harvest: POST imports in ${village} as ${s.name}: ${res.status} ${res.text.slice(0, 200)}`);
    imports.push({ position, id: res.json.import_id, village });
  }
  // Appeals, one per village position: villager 1 files one in the own village, villager 12 in
  // the sibling village, and the other township's cadre records one for a resident of theirs.
  const appeals = [];
  for (const [s, position, village, extra] of [[v1, 'own-village (self)', VILLAGE_OWN, {}],
                                                [v12, 'sibling-village', VILLAGE_SIBLING, {}],
                                                [cadre13, 'other-township-village', otherVillage, { for_resident: String(farResident.id) }]]) {
    const res = await request('POST', '/api/v1/appeals', {
      token: s.token, body: { category: 'roads', text: 'access matrix probe', ...extra },
    });
    if (res.status !== 201)
      throw new Error(`harvest: POST /api/v1/appeals as ${s.name}: ${res.status} ${res.text.slice(0, 200)}`);
    appeals.push({ position, id: res.json.id, village, account: res.json.submitter_account, resident: res.json.submitter_resident });
  }
  // Open311 clients, one per village position, issued by the county admin; with the own village's
  // key, one GeoReport POST for villager 1 gives a token.
  const open311Clients = [];
  let open311Key = null;
  for (const [position, scope] of [['own-village', VILLAGE_OWN], ['sibling-village', VILLAGE_SIBLING],
                                   ['other-township-village', otherVillage]]) {
    const res = await request('POST', '/api/v1/open311/clients', {
      token: admin.token, body: { name: `access matrix ${position}`, scope },
    });
    if (res.status !== 201)
      throw new Error(`harvest: POST /api/v1/open311/clients as the county admin: ${res.status} ${res.text.slice(0, 200)}`);
    open311Clients.push({ position, id: res.json.id, scope: res.json.scope });
    if (!open311Key) open311Key = res.json.key;
  }
  const form = new URLSearchParams({
    api_key: open311Key, jurisdiction_id: VILLAGE_OWN, service_code: 'roads', description: 'access matrix probe',
    phone: '15400000001',
  }).toString();
  const filed = await request('POST', '/open311/v2/requests.json', {
    body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (filed.status !== 201 || !filed.json || !filed.json[0] || !filed.json[0].token)
    throw new Error(`harvest: POST /open311/v2/requests.json: ${filed.status} ${filed.text.slice(0, 200)}`);
  const open311Token = filed.json[0].token;
  return { otherVillage, residents, households, accounts, consents, corrections, imports, appeals, open311Clients,
           open311Token };
}
