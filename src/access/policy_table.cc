// THE authorization table of gongzhi: every permission a route may name, who holds it, how far.
// Adding a route means adding (or reusing) a row here; the census test (src/app/app_test.cc)
// fails for a route whose permission is missing, and the access matrix (tests/access/) checks
// the real server against every row. docs/security.md explains the model.
#include <algorithm>

#include "access/policy.h"

namespace gz::access {
namespace {

constexpr Role V = Role::kVillager, H = Role::kHelper, G = Role::kGridWorker, C = Role::kVillageCadre,
               S = Role::kSupervisor, T = Role::kTownshipOfficial, A = Role::kCountyAdmin, U = Role::kAuditor,
               O = Role::kOperator;
constexpr Reach kAny = Reach::kAny, kScope = Reach::kScope, kSelf = Reach::kSelf;

std::vector<Permission> Build() {
  std::vector<Permission> t = {
      // ---- open to everyone ----
      {"public", Audience::kPublic, {}, false, "Public information: health, divisions, the API description, sign-in, the transparency log"},
      {"system.metrics", Audience::kPublic, {}, false,
       "Prometheus metrics; the route itself admits loopback callers or the metrics token (decision 0006)"},

      // ---- the signed-in person acting on themself ----
      {"me.read", Audience::kSignedIn, {}, true, "Who am I: account, roles, consents"},
      {"me.session", Audience::kSignedIn, {}, false, "Sign out (here or everywhere), change password, set up TOTP"},
      {"me.data", Audience::kSignedIn, {}, true,
       "My data: export everything held about me, who read my personal data, what was done in my name"},
      {"me.corrections", Audience::kSignedIn, {}, true, "Ask for a correction of my data; follow my requests"},

      // ---- accounts and roles ----
      {"accounts.register", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}}, false,
       "Register a person (villager account, invitation code) in my area"},
      {"accounts.read", Audience::kRoles,
       {{G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}, {O, kScope}}, false,
       "List and view accounts (masked) in my area"},
      {"accounts.manage", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}, {O, kScope}}, false,
       "Disable, enable, unlock an account whose roles I could grant"},
      {"accounts.grant", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}, {O, kScope}}, false,
       "Grant or revoke roles below mine, within my area, never to myself"},

      // ---- digital helpers (代办) ----
      {"consents.grant", Audience::kRoles, {{V, kSelf}, {H, kScope}, {C, kScope}}, false,
       "Record a villager's consent for a helper (the villager themself, or in person before a helper or cadre)"},
      {"consents.read", Audience::kRoles,
       {{V, kSelf}, {H, kSelf}, {C, kScope}, {S, kScope}, {T, kScope}, {U, kScope}}, false,
       "Consents: the villager and the helper see their own (owner = either party), staff those of their area"},
      {"consents.revoke", Audience::kRoles, {{V, kSelf}, {H, kSelf}, {C, kScope}, {T, kScope}}, false,
       "Revoke a consent: the villager, the helper giving it up, or a cadre (owner = either party)"},

      // ---- residents and households ----
      {"residents.list", Audience::kRoles,
       {{G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, false,
       "List and search households and residents of a village, masked"},
      {"residents.read", Audience::kRoles,
       {{V, kSelf}, {G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, true,
       "View one household or resident, masked"},
      {"residents.write", Audience::kRoles, {{G, kScope}, {C, kScope}, {T, kScope}}, false,
       "Register and update households and residents"},
      {"residents.reveal", Audience::kRoles, {{V, kSelf}, {G, kScope}, {C, kScope}, {T, kScope}}, true,
       "Show a personal field in full, with a stated purpose (audited)"},
      {"residents.import", Audience::kRoles, {{C, kScope}, {T, kScope}}, false,
       "Import residents from CSV or .xlsx: dry run, then apply"},
      {"residents.export", Audience::kRoles, {{C, kScope}, {T, kScope}}, false,
       "Export a village's register to CSV or .xlsx"},
      {"residents.quality", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}},
       false, "The data-quality report of a village"},
      {"corrections.list", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {U, kScope}}, false,
       "Correction requests of a village"},
      {"corrections.resolve", Audience::kRoles, {{C, kScope}}, false, "Accept or decline a correction request"},

      // ---- appeals (接诉即办) ----
      {"appeals.submit", Audience::kRoles, {{V, kSelf}, {G, kScope}, {C, kScope}}, true,
       "Submit an appeal (a villager for themself; a grid worker or cadre recording what a villager said)"},
      {"appeals.read", Audience::kRoles,
       {{V, kSelf}, {G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, true,
       "Read appeals and their timelines: the submitter their own, staff those of their area"},
      {"appeals.own", Audience::kRoles, {{V, kSelf}}, true, "Withdraw or contest my appeal"},
      {"appeals.join", Audience::kRoles, {{V, kScope}}, true,
       "Join (附议) an open appeal of my own village instead of filing it again"},
      {"appeals.note", Audience::kRoles, {{V, kSelf}, {G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}},
       true, "Add a note to an appeal: the submitter public ones, staff of its area public or internal ones"},
      {"appeals.photo", Audience::kRoles, {{V, kSelf}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}}, true,
       "Add a photo to an appeal: the submitter to their own, staff working on it (as for notes)"},
      {"appeals.rate_own", Audience::kRoles, {{V, kSelf}}, false,
       "Say whether my appeal is solved and rate the answer (never delegated: only the villager decides)"},
      {"appeals.handle", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}}, false,
       "Accept, work on, answer, transfer or reject appeals of my area; internal notes"},
      {"appeals.visit", Audience::kRoles, {{S, kScope}}, false,
       "Record a follow-up visit when the submitter cannot rate in the app"},
      {"appeals.deadlines", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}}, false,
       "Set the answer deadlines per category for my area"},
      {"appeals.unit_rules", Audience::kRoles, {{C, kScope}, {T, kScope}, {A, kScope}}, false,
       "Set which unit handles each category in my area (up to my own level)"},
      {"appeals.rates", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, false,
       "Response, resolution and satisfaction rates, with sample sizes"},

      // ---- village-affairs disclosure (村务公开; published items, questions, the calendar and the
      // verification pages are public by law, and their routes are "public") ----
      // Maker-checker: cadres draft; a DIFFERENT person publishes (the service refuses one's own
      // draft, the database too); finance kinds only by the supervision committee (service rule).
      {"disclosure.draft", Audience::kRoles, {{C, kScope}}, false,
       "Draft disclosure items (and corrections) of my village; set its finance cadence"},
      {"disclosure.publish", Audience::kRoles, {{C, kScope}, {S, kScope}}, false,
       "Check and publish a draft someone else wrote (finances: supervision committee only)"},
      {"disclosure.read_drafts", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}}, false,
       "Read unpublished drafts of my area"},
      {"disclosure.originals", Audience::kRoles, {{C, kScope}}, false,
       "Read a list's recipients unmasked, with a purpose (audited)"},
      {"disclosure.ask", Audience::kRoles, {{V, kScope}}, false, "Ask a public question (质询) about my village's disclosures"},
      {"disclosure.answer", Audience::kRoles, {{C, kScope}}, false, "Answer questions about my village's disclosures"},
      {"disclosure.oversee", Audience::kRoles, {{T, kScope}, {A, kScope}}, false,
       "List the disclosures missing past their deadline in my area"},

      // ---- votes and polls (村民投票; opened and closed votes, their rules, tallies and results are
      // public, and their routes are "public") ----
      // Maker-checker: a cadre drafts; a DIFFERENT cadre or a supervisor opens (service rule, and a
      // database CHECK). Who may cast is decided by the electorate frozen at opening (service).
      // Township officials draft and open the votes of township-wide budget rounds only (service
      // rule: a township vote is a township round's; village votes stay the village's).
      {"votes.draft", Audience::kRoles, {{C, kScope}, {T, kScope}}, false,
       "Draft votes and polls of my village (township: the vote of a township-wide budget round)"},
      {"votes.open", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}}, false,
       "Open a vote someone else drafted: freeze the electorate, publish the rules"},
      {"votes.read_drafts", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}}, false,
       "Read unopened vote drafts of my area"},
      {"votes.cast", Audience::kRoles, {{V, kScope}}, true,
       "Cast my ballot in a vote of my village or township (a helper for a villager under a consent)"},
      {"votes.count", Audience::kRoles, {{C, kScope}, {S, kScope}}, false,
       "Enter, as one of two clerks, the count of a paper vote of my village"},
      {"votes.close", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}}, false,
       "Close a vote of my area after its closing time and publish its tally"},
      // Participatory budgeting: rounds, projects and their review are public to read; villagers
      // (or helpers for them) propose, cadres of the village open rounds and review projects; the
      // round's vote is drafted with votes.draft and opened with votes.open (maker-checker).
      // A township-wide round is managed by township officials of the township; it reaches the
      // villages of the township, whose villagers propose and vote (VoteService::TargetFor).
      {"votes.budget_manage", Audience::kRoles, {{C, kScope}, {T, kScope}}, false,
       "Open participatory-budgeting rounds of my village (township officials: township-wide rounds) and review the projects proposed"},
      {"votes.propose_project", Audience::kRoles, {{V, kScope}}, true,
       "Propose a project for a participatory-budgeting round of my village or township (a helper for a villager under a consent)"},
      // ---- deliberation (四议两公开 for major matters; 村民议事 proposals). The chain in force,
      // proposals, their comments and answers are public; matters (with their minutes) are read
      // by the village's villagers and the staff of its area. Object-level rules the table cannot
      // express (the county sets the county's chain, a village's committee its own; one support
      // per person; not one's own proposal) are the service's. ----
      {"deliberation.read", Audience::kRoles,
       {{V, kScope}, {G, kScope}, {C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, false,
       "Read the major matters of my village or area: steps, meetings, votes, minutes, publications, spending"},
      {"deliberation.manage", Audience::kRoles, {{C, kScope}}, false,
       "Open a major matter, advance it, draft its publications, record spending; proposal settings"},
      {"deliberation.record", Audience::kRoles, {{C, kScope}}, false,
       "Record a meeting of a matter's step as the clerk: attendance, votes, minutes, scans (audited)"},
      // Attendance sheets name villagers: staff of the area only, every read audited with a purpose.
      {"deliberation.read_scans", Audience::kRoles, {{C, kScope}, {S, kScope}, {T, kScope}, {A, kScope}, {U, kScope}}, false,
       "Read the scans of a recorded meeting (attendance sheet photos, minutes) of my area, audited"},
      {"deliberation.chain", Audience::kRoles, {{C, kScope}, {A, kScope}}, false,
       "Set the procedure: the county's default (county admin) or the village's own by its decision (cadre)"},
      {"deliberation.oversee", Audience::kRoles, {{T, kScope}, {A, kScope}}, false,
       "List spending on matters whose resolution was not published first, in my area"},
      {"deliberation.propose", Audience::kRoles, {{V, kScope}}, true, "Raise a proposal (村民议事) in my village"},
      {"deliberation.support", Audience::kRoles, {{V, kScope}}, true, "Support a proposal of my village (once)"},
      {"deliberation.comment", Audience::kRoles, {{V, kScope}, {C, kScope}}, true, "Comment on a proposal of my village"},
      {"deliberation.answer", Audience::kRoles, {{C, kScope}}, false, "Answer a proposal of my village for the committee"},
      {"deliberation.moderate", Audience::kRoles, {{C, kScope}}, false,
       "Hide a comment on a proposal of my village, with a public reason"},

      // ---- Open311 clients (GeoReport v2 over the appeals; the GeoReport routes are public) ----
      // County administrators only: a key lets an application file appeals for the villagers of
      // its scope and read back what it filed, a decision about villagers' data that belongs to
      // the county, not to the operator (who reads no personal data; role.h). The operator issues
      // keys from the server's shell (`gongzhi api-key`), as it creates accounts there.
      {"open311.clients", Audience::kRoles, {{A, kScope}}, false,
       "Issue, list and revoke the api keys of Open311 client applications for my area"},

      // ---- the audit trail ----
      {"audit.search", Audience::kRoles, {{U, kAny}}, false, "Search the audit trail of my area"},
      {"audit.export", Audience::kRoles, {{U, kAny}}, false, "Export the audit trail of my area (CSV)"},
      {"audit.verify", Audience::kRoles, {{U, kAny}, {O, kAny}}, false,
       "Verify the hash chain of the audit trail (reveals no content)"},
  };
  std::sort(t.begin(), t.end(), [](const Permission& a, const Permission& b) { return a.name < b.name; });
  return t;
}

}  // namespace

const std::vector<Permission>& PolicyTable() {
  static const std::vector<Permission> table = Build();
  return table;
}

}  // namespace gz::access
