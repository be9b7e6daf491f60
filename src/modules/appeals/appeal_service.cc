// Layer: appeals domain (see appeal_service.h).
#include "modules/appeals/appeal_service.h"

#include <algorithm>
#include <chrono>

#include "core/text.h"
#include "crypto/crypto.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/similarity.h"
#include "modules/appeals/relations.h"

namespace gz::appeals {
namespace {

using access::Role;

Status NotAllowed(std::string_view action, std::string_view state) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action)).With("state", std::string(state));
}

Status FieldNotAllowed(const char* field) {
  return InvalidArgument(std::string(problems::kFieldNotAllowed)).With("field", field);
}

bool HoldsOver(const access::Person& p, Role role, std::string_view division) {
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const access::Grant& g) { return g.role == role && access::ScopeContains(g.scope, division); });
}

Status CheckPurpose(std::string_view purpose) {
  if (purpose.empty() || purpose.size() > kMaxPurposeBytes || !CountTextChars(purpose))
    return InvalidArgument(std::string(problems::kBadPurpose)).With("max", std::to_string(kMaxPurposeBytes));
  return Status::Ok();
}

std::vector<Notification> MakeNotifications(const std::vector<Recipient>& to, const Appeal& a, std::string_view kind,
                                            int64_t now_ms) {
  std::vector<Notification> out;
  for (const Recipient& r : to) {
    Notification n;
    n.id = crypto::NewRowId(now_ms);
    n.to = r;
    n.appeal_id = a.id;
    n.village = a.village;
    n.kind = std::string(kind);
    n.created_at_ms = now_ms;
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace

int64_t NowMsOf(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

access::AuditEvent ChangeEvent(access::AuditEvent e, const Appeal& after, const TimelineEntry& entry) {
  e.action = "appeals." + entry.action;
  e.division = after.village;
  e.object_type = "appeal";
  e.object_id = std::to_string(after.id);
  std::string details = "{\"to\":\"";
  details += StateCode(entry.to);
  details += "\"";
  if (entry.from) {
    details += ",\"from\":\"";
    details += StateCode(*entry.from);
    details += "\"";
  }
  details += ",\"version\":" + std::to_string(after.version) + ",\"capacity\":\"" + entry.capacity + "\"}";
  e.details = std::move(details);
  return e;
}

AppealService::AppealService(AppealStore& store, SubmitterLookup& people, const crypto::FieldCipher& cipher,
                             access::AuditSink& audit, const Clock& clock, AppealSettings settings)
    : store_(store), people_(people), cipher_(cipher), audit_(audit), clock_(clock), settings_(settings) {}

int64_t AppealService::NowMs() const { return NowMsOf(clock_); }

access::Target AppealService::TargetOf(const Appeal& a) {
  access::Target t;
  t.division = a.village;
  t.owner_account = a.submitter_account;
  t.owner_resident = a.submitter_resident;
  return t;
}

Result<access::Target> AppealService::SubmitTarget(const access::Principal& by, const SubmitRequest& r) {
  access::Target t;
  if (r.for_account != 0 || r.for_resident != 0) {
    std::optional<std::string> village;
    if (r.for_account != 0) {
      GZ_ASSIGN_OR_RETURN(village, people_.VillageOfAccount(r.for_account));
      if (!village) return InvalidArgument(std::string(problems::kSubmitterNotFound));
    }
    if (r.for_resident != 0) {
      GZ_ASSIGN_OR_RETURN(std::optional<std::string> of_resident, people_.VillageOfResident(r.for_resident));
      if (!of_resident || (village && *village != *of_resident))
        return InvalidArgument(std::string(problems::kSubmitterNotFound));
      village = of_resident;
    }
    t.division = *village;
    t.owner_account = r.for_account;
    t.owner_resident = r.for_resident;
    return t;
  }
  const access::Person& subject = by.subject();
  if (!IsVillageCode(subject.village)) return FailedPrecondition(std::string(problems::kNoHomeVillage));
  t.division = subject.village;
  t.owner_account = subject.account_id;
  t.owner_resident = subject.resident_id;
  return t;
}

Result<Appeal> AppealService::Submit(const access::Principal& by, const SubmitRequest& r, bool* replayed) {
  if (replayed != nullptr) *replayed = false;
  if (by.anonymous()) return NotAllowed("submit", "new");
  GZ_RETURN_IF_ERROR(ValidateAppealText(r.text));
  const Category* category = FindCategory(r.category);
  if (category == nullptr || category->retired) return InvalidArgument(std::string(problems::kUnknownCategory));
  if (r.location) GZ_RETURN_IF_ERROR(ValidateLocation(*r.location));

  // A key the account used before answers before anything else is checked (the open-appeals
  // limit would otherwise refuse the repeat of the very appeal that reached it).
  std::optional<SubmissionKey> key;
  if (!r.idempotency_key.empty()) {
    GZ_RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key));
    key = SubmissionKey{by.self.account_id, r.idempotency_key, SubmissionFingerprint(by, r)};
    GZ_ASSIGN_OR_RETURN(std::optional<Appeal> earlier, FiledUnder(*key));
    if (earlier) {
      if (replayed != nullptr) *replayed = true;
      return *earlier;
    }
  }

  const bool staff_recording = r.for_account != 0 || r.for_resident != 0;
  if (staff_recording && by.acting_for) return FieldNotAllowed(r.for_account != 0 ? "for_account" : "for_resident");
  if (!staff_recording && r.unit) return FieldNotAllowed("unit");
  if (r.for_account < 0 || r.for_resident < 0) return InvalidArgument(std::string(problems::kSubmitterNotFound));

  GZ_ASSIGN_OR_RETURN(access::Target target, SubmitTarget(by, r));
  const int64_t now = NowMs();
  Appeal a;
  a.id = crypto::NewRowId(now);
  a.village = target.division;
  a.submitter_account = target.owner_account;
  a.submitter_resident = target.owner_resident;
  a.recorded_by = by.self.account_id;
  a.category = std::string(category->code);
  a.anonymous_to_public = r.anonymous_to_public;
  a.submitted_at_ms = now;
  Relation capacity = kSubmitter;
  if (staff_recording) {
    if (RecorderRelation(by, a.village) == 0) return NotAllowed("submit", "new");
    a.channel = Channel::kStaff;
    capacity = kRecorder;
  } else if (by.acting_for) {
    a.channel = Channel::kHelper;
    a.consent_id = by.acting_for->consent_id;
  } else {
    a.channel = Channel::kSelf;
  }
  if (a.submitter_account == 0 && a.submitter_resident == 0) return InvalidArgument(std::string(problems::kSubmitterNotFound));
  if (r.unit) {
    a.unit = *r.unit;
  } else {
    GZ_ASSIGN_OR_RETURN(ResolvedUnit unit, UnitFor(category->code, a.village));
    a.unit = unit.unit;
  }
  if (!UnitServes(a.unit, a.village)) return InvalidArgument(std::string(problems::kBadUnit)).With("reason", "not-serving");

  GZ_ASSIGN_OR_RETURN(int64_t open, store_.CountOpenBySubmitter(a.submitter_account, a.submitter_resident));
  if (open >= settings_.max_open_per_submitter)
    return FailedPrecondition(std::string(problems::kTooManyOpen)).With("limit", std::to_string(settings_.max_open_per_submitter));

  GZ_ASSIGN_OR_RETURN(ResolvedDeadlines deadlines, DeadlinesFor(a.category, a.village));
  SealContent(cipher_, a, AppealContent{r.text, r.location});
  PlanContext ctx{now, deadlines.durations, settings_};
  Plan plan = PlanSubmission(std::move(a), capacity, ctx);

  Change change;
  change.entry = plan.entry;
  change.entry.id = crypto::NewRowId(now);
  change.entry.actor_account = by.self.account_id;
  if (by.acting_for) {
    change.entry.acting_for_account = by.acting_for->person.account_id;
    change.entry.consent_id = by.acting_for->consent_id;
  }
  change.notifications = MakeNotifications(plan.notify, plan.next, change.entry.action, now);
  change.audit = ChangeEvent(access::EventFor(by, ""), plan.next, change.entry);
  change.appeal = plan.next;
  change.expected_version = 0;
  change.now_ms = now;
  change.submission_key = key;
  Status inserted = store_.Insert(change);
  if (key && inserted.code() == Code::kAlreadyExists && inserted.slug() == problems::kSubmissionKeyUsed) {
    // Another request with the key (another node, another tab) filed first.
    GZ_ASSIGN_OR_RETURN(std::optional<Appeal> earlier, FiledUnder(*key, /*after_conflict=*/true));
    // The request that used the key failed after all: nothing is filed, and this one may be sent
    // again (503 with Retry-After; the web app's outbox does so).
    if (!earlier) return Unavailable("storage/busy", "the request that used the idempotency key did not commit");
    if (replayed != nullptr) *replayed = true;
    return *earlier;
  }
  GZ_RETURN_IF_ERROR(inserted);
  return change.appeal;
}

Status AppealService::ValidateIdempotencyKey(std::string_view key) {
  if (key.size() < kMinIdempotencyKey || key.size() > kMaxIdempotencyKey)
    return InvalidArgument(std::string(problems::kBadIdempotencyKey)).With("reason", "length");
  for (char c : key) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return InvalidArgument(std::string(problems::kBadIdempotencyKey)).With("reason", "characters");
  }
  return Status::Ok();
}

// Everything that decides what the request files, length-prefixed so that no two requests share
// a text; hashed with the store's blind-index key, so the fingerprint says nothing of the text.
std::string AppealService::SubmissionFingerprint(const access::Principal& by, const SubmitRequest& r) const {
  std::string canonical;
  auto add = [&canonical](std::string_view field) {
    canonical += std::to_string(field.size());
    canonical += ':';
    canonical += field;
  };
  add(r.category);
  add(r.text);
  add(r.location ? std::to_string(r.location->latitude) + "," + std::to_string(r.location->longitude) : "-");
  add(r.location ? r.location->description : "-");
  add(r.anonymous_to_public ? "anonymous" : "named");
  add(std::to_string(r.for_account));
  add(std::to_string(r.for_resident));
  add(r.unit ? r.unit->Key() : "-");
  add(by.acting_for ? std::to_string(by.acting_for->person.account_id) : "-");
  return cipher_.BlindIndex("appeals.submission", canonical);
}

// The appeal a key filed, if the same request did; kFailedPrecondition if it filed another.
Result<std::optional<Appeal>> AppealService::FiledUnder(const SubmissionKey& key, bool after_conflict) {
  GZ_ASSIGN_OR_RETURN(std::optional<SubmissionRecord> record, store_.FindSubmission(key.account, key.key, after_conflict));
  if (!record) return std::optional<Appeal>();
  if (record->fingerprint != key.fingerprint) return FailedPrecondition(std::string(problems::kIdempotencyKeyReused));
  GZ_ASSIGN_OR_RETURN(Appeal appeal, Get(record->appeal_id));
  return std::optional<Appeal>(std::move(appeal));
}

Result<Appeal> AppealService::Get(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Appeal> a, store_.Get(id));
  if (!a) return NotFound(std::string(problems::kAppealNotFound));
  return *a;
}

Result<PlanContext> AppealService::ContextFor(const Appeal& a) {
  GZ_ASSIGN_OR_RETURN(ResolvedDeadlines deadlines, DeadlinesFor(a.category, a.village));
  return PlanContext{NowMs(), deadlines.durations, settings_};
}

Result<Appeal> AppealService::Commit(const access::Principal& by, const Appeal& before, Plan plan) {
  const int64_t now = plan.entry.at_ms;
  Change change;
  change.entry = std::move(plan.entry);
  change.entry.id = crypto::NewRowId(now);
  change.entry.actor_account = by.self.account_id;
  if (by.acting_for) {
    change.entry.acting_for_account = by.acting_for->person.account_id;
    change.entry.consent_id = by.acting_for->consent_id;
  }
  if (plan.note) SealNote(cipher_, change.entry, *plan.note);
  change.notifications = MakeNotifications(plan.notify, plan.next, change.entry.action, now);
  change.audit = ChangeEvent(access::EventFor(by, ""), plan.next, change.entry);
  change.appeal = std::move(plan.next);
  change.expected_version = before.version;
  change.now_ms = now;
  GZ_RETURN_IF_ERROR(store_.Update(change));
  return change.appeal;
}

Result<Appeal> AppealService::Perform(const access::Principal& by, int64_t id, const Command& command) {
  GZ_RETURN_IF_ERROR(ValidateCommand(command));
  GZ_ASSIGN_OR_RETURN(Appeal current, Get(id));
  GZ_ASSIGN_OR_RETURN(PlanContext ctx, ContextFor(current));
  GZ_ASSIGN_OR_RETURN(Plan plan, PlanCommand(current, command, RelationsOf(by, current), ctx));
  return Commit(by, current, std::move(plan));
}

Result<Appeal> AppealService::AddNote(const access::Principal& by, int64_t id, const std::string& text,
                                      Visibility visibility, std::optional<int64_t> expected_version) {
  GZ_RETURN_IF_ERROR(ValidateNote(text, true));
  GZ_ASSIGN_OR_RETURN(Appeal a, Get(id));
  const Relations who = RelationsOf(by, a);
  const Relations staff = who & (kHandler | kNextLevel | kEscalationTarget | kSupervisor);
  if (staff == 0 && (who & kSubmitter) == 0) return NotAllowed(kNoteAction, StateCode(a.state));
  if (visibility == Visibility::kInternal && staff == 0) return NotAllowed(kNoteAction, StateCode(a.state));
  if (expected_version && *expected_version != a.version) return Aborted(std::string(problems::kEditConflict));

  const int64_t now = NowMs();
  Plan plan;
  plan.next = a;
  plan.next.version = a.version + 1;
  plan.next.updated_at_ms = now;
  plan.entry.appeal_id = a.id;
  plan.entry.seq = plan.next.version;
  plan.entry.at_ms = now;
  plan.entry.action = std::string(kNoteAction);
  plan.entry.from = a.state;
  plan.entry.to = a.state;
  plan.entry.visibility = visibility;
  const Relation capacity = staff != 0 ? static_cast<Relation>(staff & -staff) : kSubmitter;
  plan.entry.capacity = std::string(RelationCode(capacity));
  plan.note = text;
  if (staff != 0) {
    if (visibility == Visibility::kPublic && a.submitter_account != 0) plan.notify.push_back(Recipient::Account(a.submitter_account));
  } else {
    plan.notify.push_back(Recipient::Unit(a.unit));
    if (a.state == AppealState::kEscalated && a.escalated_to) plan.notify.push_back(Recipient::Unit(*a.escalated_to));
  }
  return Commit(by, a, std::move(plan));
}

bool AppealService::SeesInternalNotes(const access::Principal& reader, std::string_view village) {
  if (reader.anonymous() || reader.acting_for) return false;
  for (Role r : {Role::kGridWorker, Role::kVillageCadre, Role::kSupervisor, Role::kTownshipOfficial, Role::kCountyAdmin,
                 Role::kAuditor})
    if (HoldsOver(reader.self, r, village)) return true;
  return false;
}

Status AppealService::AuditRead(const access::Principal& reader, const Appeal& a, std::string_view purpose) {
  access::AuditEvent e = access::EventFor(reader, "appeals.read_personal");
  e.division = a.village;
  // Named by the resident when there is one, so the villager's "who read my data" view finds it.
  if (a.submitter_resident != 0) {
    e.object_type = "resident";
    e.object_id = std::to_string(a.submitter_resident);
  } else {
    e.object_type = "appeal";
    e.object_id = std::to_string(a.id);
  }
  e.purpose = std::string(purpose);
  e.details = "{\"appeal\":\"" + std::to_string(a.id) + "\"}";
  return audit_.Append(e);
}

Result<AppealContent> AppealService::ReadContent(const access::Principal& reader, const Appeal& a,
                                                 std::string_view purpose) {
  GZ_RETURN_IF_ERROR(CheckPurpose(purpose));
  // Open first, so that a tampered row is refused without claiming a read; audit before returning.
  GZ_ASSIGN_OR_RETURN(AppealContent content, OpenContent(cipher_, a));
  GZ_RETURN_IF_ERROR(AuditRead(reader, a, purpose));
  return content;
}

Result<std::vector<TimelineView>> AppealService::ReadTimeline(const access::Principal& reader, const Appeal& a,
                                                              std::string_view purpose) {
  GZ_RETURN_IF_ERROR(CheckPurpose(purpose));
  GZ_ASSIGN_OR_RETURN(std::vector<TimelineEntry> entries, store_.Timeline(a.id));
  const bool internal = SeesInternalNotes(reader, a.village);
  std::vector<TimelineView> out;
  for (TimelineEntry& e : entries) {
    if (e.visibility == Visibility::kInternal && !internal) continue;
    TimelineView v;
    GZ_ASSIGN_OR_RETURN(v.note, OpenNote(cipher_, e));
    v.entry = std::move(e);
    out.push_back(std::move(v));
  }
  GZ_RETURN_IF_ERROR(AuditRead(reader, a, purpose));
  return out;
}

Result<AppealPage> AppealService::List(const AppealQuery& query) {
  if (query.limit < 1 || query.limit > 200)
    return InvalidArgument(std::string(problems::kBadQuery)).With("param", "limit").With("reason", "range");
  return store_.List(query);
}

Result<std::vector<SimilarAppeal>> AppealService::Similar(const access::Principal& reader, const std::string& village,
                                                          const std::string& category, std::string_view draft) {
  if (FindCategory(category) == nullptr) return InvalidArgument(std::string(problems::kUnknownCategory));
  AppealQuery q;
  q.scopes = {village};
  q.village = village;
  q.category = category;
  for (AppealState st : AllStates())
    if (IsOpen(st)) q.states.push_back(st);
  q.limit = kSimilarCandidates;
  GZ_ASSIGN_OR_RETURN(AppealPage page, store_.List(q));
  const int64_t me = reader.subject().account_id;
  std::vector<SimilarAppeal> found;
  std::vector<std::string> texts;
  for (Appeal& a : page.items) {
    if (me != 0 && a.submitter_account == me) continue;  // one's own appeals are in one's own list
    GZ_ASSIGN_OR_RETURN(AppealContent content, OpenContent(cipher_, a));
    SimilarAppeal s;
    s.score = draft.empty() ? 0 : TextSimilarity(draft, content.text);
    s.appeal = std::move(a);
    found.push_back(std::move(s));
    texts.push_back(std::move(content.text));
  }
  std::vector<size_t> order(found.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Most alike first; equally alike (or no draft): newest first, as listed.
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return found[x].score > found[y].score; });
  if (order.size() > static_cast<size_t>(kSimilarShown)) order.resize(kSimilarShown);
  std::vector<int64_t> ids;
  for (size_t i : order) ids.push_back(found[i].appeal.id);
  GZ_ASSIGN_OR_RETURN(auto counts, store_.SupporterCounts(ids));
  std::vector<SimilarAppeal> shown;
  for (size_t i : order) {
    SimilarAppeal s = std::move(found[i]);
    for (const auto& [id, n] : counts)
      if (id == s.appeal.id) s.supporters = n;
    if (!s.appeal.anonymous_to_public) {
      GZ_RETURN_IF_ERROR(AuditRead(reader, s.appeal, "相似诉求提示"));
      s.excerpt = Excerpt(texts[i], kExcerptChars);
    }
    shown.push_back(std::move(s));
  }
  return shown;
}

Result<int64_t> AppealService::Join(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Appeal a, Get(id));
  const access::Person& who = by.subject();
  auto cannot = [](std::string_view reason) {
    return FailedPrecondition(std::string(problems::kCannotJoin)).With("reason", std::string(reason));
  };
  bool villager = false;
  for (const access::Grant& g : who.grants) villager = villager || g.role == access::Role::kVillager;
  if (!villager || who.account_id == 0) return cannot("not-a-villager");
  if (who.village != a.village) return cannot("other-village");
  if (a.submitter_account == who.account_id) return cannot("own-appeal");
  if (!IsOpen(a.state)) return cannot("not-open");
  const int64_t now = NowMs();
  Notification n;
  n.id = crypto::NewRowId(now);
  n.to = Recipient::Account(a.submitter_account);
  n.appeal_id = a.id;
  n.village = a.village;
  n.kind = "join";
  n.created_at_ms = now;
  access::AuditEvent e = access::EventFor(by, "appeals.join");
  e.division = a.village;
  e.object_type = "appeal";
  e.object_id = std::to_string(a.id);
  if (a.submitter_account == 0) {
    // Recorded for a resident without an account: nobody to tell in the app.
    n.to = Recipient::Unit(a.unit);
  }
  GZ_RETURN_IF_ERROR(store_.AddSupporter(a.id, who.account_id, a.village, now, n, e));
  return Supporters(a.id);
}

Result<int64_t> AppealService::Supporters(int64_t id) {
  GZ_ASSIGN_OR_RETURN(auto counts, store_.SupporterCounts({id}));
  return counts.empty() ? int64_t{0} : counts.front().second;
}

Result<std::vector<DeadlineRule>> AppealService::DeadlineRulesFor(std::string_view village) {
  return store_.DeadlineRules(RuleScopesFor(village));
}

Result<ResolvedDeadlines> AppealService::DeadlinesFor(std::string_view category, std::string_view village) {
  GZ_ASSIGN_OR_RETURN(std::vector<DeadlineRule> rules, store_.DeadlineRules(RuleScopesFor(village)));
  return ResolveDeadlines(rules, category, village);
}

Result<DeadlineDurations> AppealService::InheritedDurations(const std::string& scope, const std::string& category) {
  // What `scope` would get without its own rule: the rules of the scopes above it.
  std::vector<std::string> above;
  if (IsVillageCode(scope)) above = {TownshipOf(scope), CountyOf(scope)};
  else if (MakeUnit(UnitLevel::kTownship, scope).ok()) above = {scope.substr(0, 6) + "000000"};
  GZ_ASSIGN_OR_RETURN(std::vector<DeadlineRule> rules, store_.DeadlineRules(above));
  for (const std::string& s : above)
    for (const DeadlineRule& r : rules)
      if (r.scope == s && r.category == category) return r.durations;
  const Category* c = FindCategory(category);
  return DefaultDurations(c ? c->deadline_class : DeadlineClass::kGeneral);
}

namespace {

// Which authority `by` has over deadline rules of `scope`: 2 = set anything, 1 = only tighten, 0 = none.
int DeadlineAuthority(const access::Principal& by, std::string_view scope) {
  if (by.anonymous() || by.acting_for) return 0;
  if (HoldsOver(by.self, Role::kCountyAdmin, scope)) return 2;
  const bool below_county = scope.substr(6, 6) != "000000";
  if (below_county && HoldsOver(by.self, Role::kTownshipOfficial, scope)) return 2;
  if (IsVillageCode(scope) && HoldsOver(by.self, Role::kVillageCadre, scope)) return 1;
  return 0;
}

}  // namespace

Status AppealService::SetDeadlineRule(const access::Principal& by, const DeadlineRule& rule) {
  if (!IsRuleScope(rule.scope))
    return InvalidArgument(std::string(problems::kBadDeadlineRule)).With("reason", "scope");
  const Category* category = FindCategory(rule.category);
  if (category == nullptr) return InvalidArgument(std::string(problems::kUnknownCategory));
  GZ_RETURN_IF_ERROR(ValidateDurations(rule.durations));
  const int authority = DeadlineAuthority(by, rule.scope);
  if (authority == 0) return NotAllowed("set_deadline", "");
  if (authority == 1) {
    GZ_ASSIGN_OR_RETURN(DeadlineDurations inherited, InheritedDurations(rule.scope, rule.category));
    if (rule.durations.accept_ms > inherited.accept_ms || rule.durations.answer_ms > inherited.answer_ms)
      return InvalidArgument(std::string(problems::kBadDeadlineRule)).With("reason", "looser-than-inherited");
  }
  const int64_t now = NowMs();
  DeadlineRule stored = rule;
  stored.set_by = by.self.account_id;
  stored.set_at_ms = now;
  access::AuditEvent e = access::EventFor(by, "appeals.set_deadline");
  e.division = rule.scope;
  e.object_type = "deadline_rule";
  e.object_id = rule.scope + ":" + rule.category;
  e.details = "{\"accept_ms\":" + std::to_string(rule.durations.accept_ms) +
              ",\"answer_ms\":" + std::to_string(rule.durations.answer_ms) + "}";
  return store_.PutDeadlineRule(stored, e, now);
}

Status AppealService::ClearDeadlineRule(const access::Principal& by, const std::string& scope,
                                        const std::string& category) {
  if (!IsRuleScope(scope)) return InvalidArgument(std::string(problems::kBadDeadlineRule)).With("reason", "scope");
  const int authority = DeadlineAuthority(by, scope);
  if (authority == 0) return NotAllowed("clear_deadline", "");
  GZ_ASSIGN_OR_RETURN(std::vector<DeadlineRule> own, store_.DeadlineRules({scope}));
  auto it = std::find_if(own.begin(), own.end(), [&](const DeadlineRule& r) { return r.category == category; });
  if (it == own.end()) return NotFound(std::string(problems::kDeadlineRuleNotFound));
  if (authority == 1) {
    GZ_ASSIGN_OR_RETURN(DeadlineDurations inherited, InheritedDurations(scope, category));
    if (inherited.accept_ms > it->durations.accept_ms || inherited.answer_ms > it->durations.answer_ms)
      return InvalidArgument(std::string(problems::kBadDeadlineRule)).With("reason", "looser-than-inherited");
  }
  access::AuditEvent e = access::EventFor(by, "appeals.clear_deadline");
  e.division = scope;
  e.object_type = "deadline_rule";
  e.object_id = scope + ":" + category;
  return store_.DeleteDeadlineRule(scope, category, e, NowMs());
}

Result<std::vector<UnitRule>> AppealService::UnitRulesFor(std::string_view village) {
  return store_.UnitRules(RuleScopesFor(village));
}

Result<ResolvedUnit> AppealService::UnitFor(std::string_view category, std::string_view village) {
  GZ_ASSIGN_OR_RETURN(std::vector<UnitRule> rules, store_.UnitRules(RuleScopesFor(village)));
  return ResolveUnit(rules, category, village);
}

namespace {

// The highest level `by` may send the appeals of `scope` to, or nullopt for none: a county admin
// any unit of the county; a township official the township's office or the village committees
// (never the county: a township cannot hand its work upwards by a rule); a village cadre only the
// committee's own departments.
std::optional<UnitLevel> HighestRuleLevel(const access::Principal& by, std::string_view scope) {
  if (by.anonymous() || by.acting_for) return std::nullopt;
  if (HoldsOver(by.self, Role::kCountyAdmin, scope)) return UnitLevel::kCounty;
  const bool below_county = scope.substr(6, 6) != "000000";
  if (below_county && HoldsOver(by.self, Role::kTownshipOfficial, scope)) return UnitLevel::kTownship;
  if (IsVillageCode(scope) && HoldsOver(by.self, Role::kVillageCadre, scope)) return UnitLevel::kVillage;
  return std::nullopt;
}

int LevelRank(UnitLevel l) { return l == UnitLevel::kVillage ? 0 : l == UnitLevel::kTownship ? 1 : 2; }

}  // namespace

Status AppealService::SetUnitRule(const access::Principal& by, const UnitRule& rule) {
  if (!IsRuleScope(rule.scope)) return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "scope");
  const Category* category = FindCategory(rule.category);
  if (category == nullptr || category->retired) return InvalidArgument(std::string(problems::kUnknownCategory));
  // Any level serves every village of the scope (its committee, township or county), so only the
  // department's spelling can be wrong here.
  if (!MakeUnit(UnitLevel::kCounty, CountyOf(rule.scope), rule.department).ok())
    return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "department");
  std::optional<UnitLevel> highest = HighestRuleLevel(by, rule.scope);
  if (!highest) return NotAllowed("set_unit_rule", "");
  if (LevelRank(rule.level) > LevelRank(*highest))
    return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "level-above-yours");
  const int64_t now = NowMs();
  UnitRule stored = rule;
  stored.set_by = by.self.account_id;
  stored.set_at_ms = now;
  access::AuditEvent e = access::EventFor(by, "appeals.set_unit_rule");
  e.division = rule.scope;
  e.object_type = "unit_rule";
  e.object_id = rule.scope + ":" + rule.category;
  e.details = "{\"level\":\"" + std::string(UnitLevelCode(rule.level)) + "\",\"department\":\"" + rule.department + "\"}";
  return store_.PutUnitRule(stored, e, now);
}

Status AppealService::ClearUnitRule(const access::Principal& by, const std::string& scope, const std::string& category) {
  if (!IsRuleScope(scope)) return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "scope");
  std::optional<UnitLevel> highest = HighestRuleLevel(by, scope);
  if (!highest) return NotAllowed("clear_unit_rule", "");
  GZ_ASSIGN_OR_RETURN(std::vector<UnitRule> own, store_.UnitRules({scope}));
  auto it = std::find_if(own.begin(), own.end(), [&](const UnitRule& r) { return r.category == category; });
  if (it == own.end()) return NotFound(std::string(problems::kUnitRuleNotFound));
  // Removing a rule set by a higher authority (a county rule sending a village's category to the
  // county) is that authority's call.
  if (LevelRank(it->level) > LevelRank(*highest))
    return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "level-above-yours");
  access::AuditEvent e = access::EventFor(by, "appeals.clear_unit_rule");
  e.division = scope;
  e.object_type = "unit_rule";
  e.object_id = scope + ":" + category;
  return store_.DeleteUnitRule(scope, category, e, NowMs());
}

InboxReach AppealService::InboxReachFor(const access::Principal& reader) {
  InboxReach reach;
  if (reader.anonymous()) return reach;
  reach.account = reader.subject().account_id;
  if (reader.acting_for) return reach;
  for (const access::Grant& g : reader.self.grants) {
    for (UnitLevel level : {UnitLevel::kVillage, UnitLevel::kTownship, UnitLevel::kCounty})
      if (g.role == MemberRole(level)) reach.units.push_back({level, g.scope});
    if (g.role == Role::kSupervisor) reach.supervised.push_back(g.scope);
  }
  return reach;
}

Result<std::vector<Notification>> AppealService::Inbox(const access::Principal& reader, bool unread_only,
                                                       int64_t before_id, int limit) {
  if (limit < 1 || limit > 200)
    return InvalidArgument(std::string(problems::kBadQuery)).With("param", "limit").With("reason", "range");
  InboxQuery q;
  q.reach = InboxReachFor(reader);
  if (q.reach.empty()) return std::vector<Notification>();
  q.unread_only = unread_only;
  q.before_id = before_id;
  q.limit = limit;
  return store_.ListInbox(q);
}

Status AppealService::MarkRead(const access::Principal& reader, int64_t notification_id) {
  InboxReach reach = InboxReachFor(reader);
  if (reach.empty()) return NotFound(std::string(problems::kNotificationNotFound));
  return store_.MarkRead(reach, notification_id, reader.self.account_id, NowMs());
}

Result<std::vector<GroupRates>> AppealService::Rates(const FactsQuery& query, GroupBy group_by) {
  if (query.to_ms <= query.from_ms)
    return InvalidArgument(std::string(problems::kBadQuery)).With("param", "to").With("reason", "before-from");
  // Streamed: memory stays one counter set per group however many appeals the area has.
  RatesAccumulator rates(group_by, NowMs());
  GZ_RETURN_IF_ERROR(store_.ForEachFact(query, [&](const AppealFacts& f) {
    rates.Add(f);
    return Status::Ok();
  }));
  return std::move(rates).Finish();
}

}  // namespace gz::appeals
