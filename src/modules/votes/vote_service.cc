// Layer: votes domain (see vote_service.h).
#include "modules/votes/vote_service.h"

#include <algorithm>
#include <chrono>

#include "access/role.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

using access::Role;

bool Holds(const access::Person& p, Role role, std::string_view village) {
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const access::Grant& g) { return g.role == role && access::ScopeContains(g.scope, village); });
}

Status NotAllowed(std::string_view action) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action));
}
Status NotOpen(std::string_view reason) {
  return FailedPrecondition(std::string(problems::kNotOpen)).With("reason", std::string(reason));
}

access::AuditEvent VoteEvent(const access::Principal& by, std::string action, const Vote& v, std::string details = "") {
  access::AuditEvent e = access::EventFor(by, std::move(action));
  e.division = v.village;
  e.object_type = "vote";
  e.object_id = std::to_string(v.id);
  e.details = std::move(details);
  return e;
}

// Staff of a township-wide vote: township officials whose scope covers the township.
bool IsTownshipStaff(const access::Principal& by, const std::string& township) {
  return !by.anonymous() && !by.acting_for && Holds(by.self, Role::kTownshipOfficial, township);
}

// Clerks are the cadres and supervisors of the village, acting for themselves.
bool IsClerk(const access::Principal& by, const std::string& village) {
  return !by.anonymous() && !by.acting_for &&
         (Holds(by.self, Role::kVillageCadre, village) || Holds(by.self, Role::kSupervisor, village));
}

}  // namespace

PaperStatus ComparePaperCounts(std::vector<PaperCount> counts) {
  PaperStatus s;
  std::sort(counts.begin(), counts.end(), [](const PaperCount& a, const PaperCount& b) {
    return a.entered_at_ms != b.entered_at_ms ? a.entered_at_ms < b.entered_at_ms : a.clerk < b.clerk;
  });
  s.counts = std::move(counts);
  if (s.counts.size() < 2) return s;
  const PaperCount& a = s.counts[0];
  const PaperCount& b = s.counts[1];
  if (a.ballots != b.ballots) s.differences.push_back("ballots");
  if (a.blank != b.blank) s.differences.push_back("blank");
  for (size_t i = 0; i < std::min(a.counts.size(), b.counts.size()); ++i)
    if (a.counts[i] != b.counts[i]) s.differences.push_back("options[" + std::to_string(i) + "]");
  s.agreed = SameCount(a, b);
  return s;
}

VoteService::VoteService(VoteStore& store, ElectorateSource& electorate, const Clock& clock)
    : store_(store), electorate_(electorate), clock_(clock) {}

int64_t VoteService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

access::Target VoteService::TargetOf(const Vote& vote) {
  access::Target t;
  t.division = vote.village;
  return t;
}

access::Target VoteService::TargetFor(const std::string& division, const access::Principal& caller,
                                      std::string_view permission) {
  access::Target t;
  t.division = division;
  if (ScopeOfDivision(division) != Scope::kTownship || caller.anonymous()) return t;
  if (access::Check(caller, permission, t) == access::Decision::kAllow) return t;
  // The villages of the township the caller belongs to or holds a role in.
  const access::Person& subject = caller.subject();
  std::vector<std::string> inside;
  if (ReachesVillage(division, subject.village)) inside.push_back(subject.village);
  for (const access::Grant& g : subject.grants)
    if (ReachesVillage(division, g.scope)) inside.push_back(g.scope);
  for (const std::string& village : inside) {
    access::Target v;
    v.division = village;
    if (access::Check(caller, permission, v) == access::Decision::kAllow) return v;
  }
  if (!inside.empty()) t.division = inside.front();
  return t;
}

Result<Vote> VoteService::Draft(const access::Principal& by, const DraftInput& in) {
  const bool township = ScopeOfDivision(in.village) == Scope::kTownship;
  if (by.anonymous() || by.acting_for ||
      !(township ? IsTownshipStaff(by, in.village) : Holds(by.self, Role::kVillageCadre, in.village)))
    return NotAllowed("draft");
  Vote v;
  GZ_RETURN_IF_ERROR(CheckDraft(in, &v.method, &v.electorate, &v.channel));
  const int64_t now = NowMs();
  if (in.closes_at_ms <= now) return InvalidArgument(std::string(problems::kBadVote)).With("field", "closes_at_ms").With("reason", "in-the-past");
  v.id = crypto::NewRowId(now);
  v.village = in.village;
  v.question = in.question;
  v.options = in.options;
  v.secret = in.secret;
  v.opens_at_ms = in.opens_at_ms;
  v.closes_at_ms = in.closes_at_ms;
  if (v.method == Method::kBudget) {
    v.budget = in.budget;
    v.costs = in.costs;
    v.budget_rule = ParseBudgetRule(in.budget_rule).value_or(BudgetRule::kGreedy);
    v.round_id = in.round_id;
    v.round_projects = in.round_projects;
  }
  v.state = State::kDraft;
  v.drafted_by = by.self.account_id;
  v.drafted_at_ms = now;
  std::string details = "{\"method\":\"" + std::string(MethodCode(v.method)) + "\",\"channel\":\"" +
                        std::string(ChannelCode(v.channel)) + "\"}";
  GZ_RETURN_IF_ERROR(store_.InsertDraft(v, VoteEvent(by, "votes.draft", v, details), now));
  return v;
}

Result<Vote> VoteService::Get(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Vote> v, store_.Get(id));
  if (!v) return NotFound(std::string(problems::kVoteNotFound));
  return *v;
}

Result<std::vector<Vote>> VoteService::List(const std::string& village, bool with_drafts) {
  return store_.List(village, with_drafts, 200);
}

Result<Vote> VoteService::Open(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  if (by.anonymous() || by.acting_for) return NotAllowed("open");
  if (v.state != State::kDraft) return FailedPrecondition(std::string(problems::kNotADraft));
  if (by.self.account_id == v.drafted_by) return PermissionDenied(std::string(problems::kOwnDraft));
  if (v.scope() == Scope::kTownship ? !IsTownshipStaff(by, v.village)
                                     : !Holds(by.self, Role::kVillageCadre, v.village) && !Holds(by.self, Role::kSupervisor, v.village))
    return NotAllowed("open");
  const int64_t now = NowMs();
  if (now >= v.closes_at_ms) return NotOpen("window-over");
  // Ages count on the opening date (Beijing time), also when the vote is opened early.
  const residents::CivilDate as_of =
      residents::ChinaDateOf(WallTime(std::chrono::milliseconds(std::max(now, v.opens_at_ms))));
  GZ_ASSIGN_OR_RETURN(std::vector<Elector> electors, electorate_.Electorate(by, v.village, v.electorate, as_of));
  std::vector<int64_t> units;
  for (const Elector& e : electors) units.push_back(e.unit_id);
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  if (units.empty()) return InvalidArgument(std::string(problems::kBadVote)).With("field", "electorate").With("reason", "empty");
  v.opened_by = by.self.account_id;
  v.opened_at_ms = now;
  v.electorate_as_of = residents::FormatDate(as_of);
  v.electorate_size = static_cast<int64_t>(units.size());
  v.rules_entry = RulesEntry(v);
  v.state = State::kOpen;
  std::string details = "{\"electorate_size\":" + std::to_string(v.electorate_size) + ",\"rules_sha256\":\"" +
                        crypto::Sha256Hex(v.rules_entry) + "\"}";
  GZ_ASSIGN_OR_RETURN(v.rules_log_index, store_.Open(v, electors, VoteEvent(by, "votes.open", v, details), now));
  return v;
}

Status VoteService::Cast(const access::Principal& by, int64_t id, const Choice& choice) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  if (by.anonymous()) return NotAllowed("cast");
  if (v.channel == Channel::kPaper) return NotOpen("paper");
  GZ_RETURN_IF_ERROR(CheckChoice(v, choice));
  const access::Person& voter = by.subject();
  if (voter.resident_id == 0) return PermissionDenied(std::string(problems::kNotEligible));
  CastRecord c;
  c.vote_id = v.id;
  c.resident_id = voter.resident_id;
  c.cast_by_account = by.self.account_id;
  c.consent_id = by.acting_for ? by.acting_for->consent_id : 0;
  c.ballot_id = crypto::RandomHex(16);
  c.choice = choice;
  c.now_ms = NowMs();
  // The audit record says who cast (and for whom), never what.
  return store_.Cast(c, VoteEvent(by, "votes.cast", v));
}

Result<BallotStatus> VoteService::StatusOf(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  BallotStatus s;
  const access::Person& voter = by.subject();
  if (voter.resident_id == 0 || v.state == State::kDraft) return s;
  GZ_ASSIGN_OR_RETURN(std::optional<Elector> e, store_.FindElector(v.id, voter.resident_id));
  if (!e) return s;
  s.eligible = true;
  GZ_ASSIGN_OR_RETURN(std::optional<Participation> p, store_.GetParticipation(v.id, e->unit_id));
  if (!p) return s;
  s.voted = true;
  s.cast_at_ms = p->cast_at_ms;
  s.cast_by_helper = p->consent_id != 0;
  return s;
}

Result<PaperStatus> VoteService::EnterPaperCount(const access::Principal& by, int64_t id, PaperCount count) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  if (!IsClerk(by, v.village)) return NotAllowed("count");
  if (v.channel != Channel::kPaper) return NotOpen("online");
  if (v.state != State::kOpen) return NotOpen(v.state == State::kDraft ? "draft" : "closed");
  const int64_t now = NowMs();
  if (now < v.closes_at_ms) return FailedPrecondition(std::string(problems::kTooEarly));
  GZ_RETURN_IF_ERROR(CheckPaperCount(v, count));
  count.clerk = by.self.account_id;
  count.entered_at_ms = now;
  access::AuditEvent e = VoteEvent(by, "votes.paper_count", v,
                                   "{\"ballots\":" + std::to_string(count.ballots) + "}");
  GZ_RETURN_IF_ERROR(store_.PutPaperCount(v.id, count, e));
  return PaperStatusOf(id);
}

Result<PaperStatus> VoteService::PaperStatusOf(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::vector<PaperCount> counts, store_.PaperCounts(id));
  return ComparePaperCounts(std::move(counts));
}

Result<Vote> VoteService::CloseAs(const access::AuditEvent& event, int64_t id) {
  const int64_t now = NowMs();
  CloseFn close = [now](const Vote& open, const std::vector<Choice>& ballots,
                        const std::vector<PaperCount>& counts) -> Result<Vote> {
    if (now < open.closes_at_ms) return FailedPrecondition(std::string(problems::kTooEarly));
    Tally t;
    if (open.channel == Channel::kPaper) {
      PaperStatus s = ComparePaperCounts(counts);
      if (s.counts.size() < 2)
        return FailedPrecondition(std::string(problems::kCountsDiffer)).With("reason", "two-counts-needed");
      if (!s.agreed) return FailedPrecondition(std::string(problems::kCountsDiffer)).With("reason", "differ");
      t = CountPaper(open, s.counts[0]);
    } else {
      t = CountBallots(open, ballots);
    }
    Vote closed = open;
    closed.state = State::kClosed;
    closed.closed_at_ms = now;
    closed.tally_entry = TallyEntry(open, t, now);
    return closed;
  };
  return store_.Close(id, close, event, now);
}

Result<Vote> VoteService::Close(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  if (by.anonymous() || by.acting_for) return NotAllowed("close");
  // The route admits staff of the vote's area; a township-wide vote's villages' staff are inside
  // that area but do not run the township's vote.
  if (v.scope() == Scope::kTownship && !IsTownshipStaff(by, v.village)) return NotAllowed("close");
  if (v.state == State::kDraft) return NotOpen("draft");
  if (v.state == State::kClosed) return NotOpen("closed");
  access::AuditEvent e = VoteEvent(by, "votes.close", v);
  GZ_ASSIGN_OR_RETURN(Vote closed, CloseAs(e, id));
  closed.closed_by = by.self.account_id;
  return closed;
}

Result<Vote> VoteService::CloseIfDue(int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, Get(id));
  if (v.state != State::kOpen || NowMs() < v.closes_at_ms) return v;
  if (v.channel == Channel::kPaper) {
    GZ_ASSIGN_OR_RETURN(PaperStatus s, PaperStatusOf(id));
    if (!s.agreed) return v;
  }
  access::AuditEvent e;
  e.action = "votes.close";
  e.division = v.village;
  e.object_type = "vote";
  e.object_id = std::to_string(v.id);
  e.details = "{\"by\":\"server\",\"reason\":\"closing-time\"}";
  Result<Vote> closed = CloseAs(e, id);
  // Someone else closed it first: that close is the one that counts. It may not be committed yet
  // when we learn of it (the same group commit, another transaction): wait for it, then read it.
  if (!closed.ok() && closed.status().code() == Code::kAborted) {
    GZ_RETURN_IF_ERROR(store_.AwaitEarlierWrites());
    return Get(id);
  }
  return closed;
}

Result<Results> VoteService::ResultsOf(int64_t id) {
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto hit = closed_budget_results_.find(id);
    if (hit != closed_budget_results_.end()) return hit->second;
  }
  GZ_ASSIGN_OR_RETURN(Vote v, CloseIfDue(id));
  Results r;
  r.vote = v;
  if (v.channel == Channel::kOnline) {
    GZ_ASSIGN_OR_RETURN(r.participants, store_.ParticipationCount(v.id));
  }
  if (v.state != State::kClosed) return r;
  Tally t;
  if (v.channel == Channel::kPaper) {
    GZ_ASSIGN_OR_RETURN(PaperStatus s, PaperStatusOf(id));
    if (!s.counts.empty()) t = CountPaper(v, s.counts[0]);
    r.participants = t.ballots;
  } else {
    GZ_ASSIGN_OR_RETURN(std::vector<Choice> ballots, store_.Ballots(v.id));
    t = CountBallots(v, ballots);
  }
  r.recount_matches = TallyEntry(v, t, v.closed_at_ms) == v.tally_entry;
  r.tally = std::move(t);
  if (v.method == Method::kBudget) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (closed_budget_results_.size() >= kMaxCachedResults) closed_budget_results_.clear();
    closed_budget_results_.emplace(id, r);
  }
  return r;
}

Result<std::string> VoteService::ExportPabulib(int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, CloseIfDue(id));
  if (v.method != Method::kBudget) return NotFound(std::string(problems::kVoteNotFound));
  if (v.state != State::kClosed) return NotOpen(v.state == State::kDraft ? "draft" : "still-open");
  GZ_ASSIGN_OR_RETURN(std::vector<Choice> ballots, store_.Ballots(v.id));
  return BudgetPabulib(v, ballots);
}

}  // namespace gz::votes
