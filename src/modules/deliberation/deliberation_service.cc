// Layer: deliberation domain (see deliberation_service.h).
#include "modules/deliberation/deliberation_service.h"

#include <algorithm>
#include <chrono>

#include "access/audit_event.h"
#include "access/role.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/deliberation/problems.h"

namespace gz::deliberation {
namespace {

using access::Role;

constexpr int64_t kDayMs = 86'400'000;

bool Holds(const access::Person& p, Role role, std::string_view village) {
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const access::Grant& g) { return g.role == role && access::ScopeContains(g.scope, village); });
}

Status NotAllowed(std::string_view action) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action));
}

Status BadField(std::string_view field, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadField)).With("field", std::string(field)).With("reason", std::string(reason));
}

Status CheckText(std::string_view field, std::string_view text, size_t min, size_t max) {
  std::optional<size_t> n = TextChars(text);
  if (!n) return BadField(field, "encoding");
  if (*n < min || *n > max) return BadField(field, "length");
  return Status::Ok();
}

access::AuditEvent Event(const access::Principal& by, std::string action, const std::string& village,
                         std::string object_type, int64_t id, std::string details = "") {
  access::AuditEvent e = access::EventFor(by, std::move(action));
  e.division = village;
  e.object_type = std::move(object_type);
  e.object_id = std::to_string(id);
  e.details = std::move(details);
  return e;
}

bool IsCadre(const access::Principal& by, std::string_view village) {
  return !by.anonymous() && !by.acting_for && Holds(by.self, Role::kVillageCadre, village);
}

std::string CountyOf(const std::string& village) { return village.substr(0, 6) + "000000"; }

std::string Truncate(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return text.substr(0, i);
      ++chars;
    }
  }
  return text;
}

std::string ChoiceOk(const std::string& c) { return c == "for" || c == "against" || c == "abstain" ? c : ""; }

}  // namespace

std::optional<size_t> TextChars(std::string_view s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return std::nullopt;
    if (n == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)) return std::nullopt;
    i += n;
    ++chars;
  }
  return chars;
}

bool IsVillageCode(std::string_view code) {
  return code.size() == 12 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         code.substr(9) != "000";
}

bool IsCountyCode(std::string_view code) {
  return code.size() == 12 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         code.substr(4, 2) != "00" && code.substr(6) == "000000";
}

std::string_view MatterStateCode(MatterState s) {
  switch (s) {
    case MatterState::kOpen: return "open";
    case MatterState::kCompleted: return "completed";
    case MatterState::kWithdrawn: return "withdrawn";
  }
  return "open";
}

std::string_view ProposalStateCode(ProposalState s) {
  switch (s) {
    case ProposalState::kOpen: return "open";
    case ProposalState::kAnswered: return "answered";
    case ProposalState::kEscalated: return "escalated";
    case ProposalState::kInProcedure: return "in_procedure";
  }
  return "open";
}

ProposalState Proposal::State() const {
  if (matter_id != 0) return ProposalState::kInProcedure;
  if (appeal_id != 0) return ProposalState::kEscalated;
  if (answered_at_ms != 0) return ProposalState::kAnswered;
  return ProposalState::kOpen;
}

DeliberationService::DeliberationService(DeliberationStore& store, const Clock& clock, Disclosures* disclosures)
    : store_(store), clock_(clock), disclosures_(disclosures) {}

int64_t DeliberationService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

access::Target DeliberationService::VillageTarget(const std::string& village) {
  access::Target t;
  t.division = village;
  return t;
}

// ---- the chain ----

Result<EffectiveChain> DeliberationService::ChainFor(const std::string& village) {
  EffectiveChain out;
  for (const std::string& scope : {village, CountyOf(village)}) {
    GZ_ASSIGN_OR_RETURN(std::optional<ChainSetting> s, store_.GetChain(scope));
    if (!s) continue;
    GZ_ASSIGN_OR_RETURN(out.chain, DecodeChain(s->chain_text));
    out.source = (scope == village ? "village:" : "county:") + scope;
    out.setting = std::move(s);
    return out;
  }
  out.chain = DefaultChain();
  out.source = "law";
  return out;
}

Status DeliberationService::SetChain(const access::Principal& by, const std::string& scope, const Chain& chain,
                                     const std::string& decision, int64_t decision_item) {
  if (by.anonymous() || by.acting_for) return NotAllowed("set_chain");
  if (IsCountyCode(scope)) {
    if (!Holds(by.self, Role::kCountyAdmin, scope)) return NotAllowed("set_chain");
    if (!decision.empty()) GZ_RETURN_IF_ERROR(CheckText("decision", decision, 2, 200));
  } else if (IsVillageCode(scope)) {
    // A village's own procedure is the village's decision, recorded by its committee; the county
    // sets the county's default, not a village's.
    if (!Holds(by.self, Role::kVillageCadre, scope)) return NotAllowed("set_chain");
    GZ_RETURN_IF_ERROR(CheckText("decision", decision, 2, 200));
  } else {
    return BadField("scope", "not-a-county-or-village");
  }
  GZ_RETURN_IF_ERROR(ValidateChain(chain));
  if (decision_item < 0) return BadField("decision_item", "invalid");
  ChainSetting s;
  s.scope = scope;
  s.chain_text = EncodeChain(chain);
  s.decision = decision;
  s.decision_item = decision_item;
  s.set_by = by.self.account_id;
  const int64_t now = NowMs();
  s.set_at_ms = now;
  access::AuditEvent e = access::EventFor(by, "deliberation.set_chain");
  e.division = scope;
  e.object_type = "deliberation_chain";
  e.object_id = scope;
  e.details = "{\"steps\":" + std::to_string(chain.steps.size()) + "}";
  return store_.PutChain(s, e, now);
}

Result<VillageSettings> DeliberationService::Settings(const std::string& village) { return store_.GetSettings(village); }

Status DeliberationService::SetSettings(const access::Principal& by, const VillageSettings& s) {
  if (!IsCadre(by, s.village)) return NotAllowed("set_settings");
  if (s.support_threshold < 1 || s.support_threshold > 100000) return BadField("support_threshold", "out-of-range");
  if (s.answer_days < 1 || s.answer_days > 90) return BadField("answer_days", "out-of-range");
  access::AuditEvent e = access::EventFor(by, "deliberation.set_settings");
  e.division = s.village;
  e.object_type = "village";
  e.object_id = s.village;
  e.details = "{\"support_threshold\":" + std::to_string(s.support_threshold) +
              ",\"answer_days\":" + std::to_string(s.answer_days) + "}";
  return store_.PutSettings(s, by.self.account_id, e, NowMs());
}

// ---- matters ----

Result<Matter> DeliberationService::OpenMatter(const access::Principal& by, const std::string& village,
                                               const std::string& title, const std::string& description,
                                               int64_t proposal_id) {
  if (!IsCadre(by, village)) return NotAllowed("open_matter");
  GZ_RETURN_IF_ERROR(CheckText("title", title, 2, 100));
  GZ_RETURN_IF_ERROR(CheckText("description", description, 0, 5000));
  std::optional<MatterFromProposal> from;
  const int64_t now = NowMs();
  Matter m;
  m.id = crypto::NewRowId(now);
  if (proposal_id != 0) {
    GZ_ASSIGN_OR_RETURN(Proposal p, GetProposal(proposal_id));
    if (p.village != village) return NotFound(std::string(problems::kProposalNotFound));
    if (p.State() == ProposalState::kEscalated || p.State() == ProposalState::kInProcedure)
      return FailedPrecondition(std::string(problems::kAlreadyAnswered));
    from = MatterFromProposal{proposal_id, p.answered_at_ms != 0 ? "" : "已纳入“四议两公开”程序（事项编号 " + std::to_string(m.id) + "）"};
  }
  GZ_ASSIGN_OR_RETURN(EffectiveChain chain, ChainFor(village));
  m.village = village;
  m.title = title;
  m.description = description;
  m.proposal_id = proposal_id;
  m.chain_text = EncodeChain(chain.chain);
  m.chain_source = chain.source;
  m.opened_by = by.self.account_id;
  m.opened_at_ms = now;
  std::string details = "{\"chain\":\"" + chain.source + "\"";
  if (proposal_id != 0) details += ",\"proposal\":\"" + std::to_string(proposal_id) + "\"";
  details += "}";
  GZ_RETURN_IF_ERROR(store_.InsertMatter(m, from, Event(by, "deliberation.open_matter", village, "deliberation_matter", m.id, details), now));
  return m;
}

Result<Matter> DeliberationService::GetMatter(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Matter> m, store_.GetMatter(id));
  if (!m) return NotFound(std::string(problems::kMatterNotFound));
  return *m;
}

Result<Matter> DeliberationService::LoadOpen(int64_t id) {
  GZ_ASSIGN_OR_RETURN(Matter m, GetMatter(id));
  if (m.state != MatterState::kOpen) return FailedPrecondition(std::string(problems::kMatterClosed));
  return m;
}

Result<MatterView> DeliberationService::View(int64_t id) {
  MatterView v;
  GZ_ASSIGN_OR_RETURN(v.matter, GetMatter(id));
  GZ_ASSIGN_OR_RETURN(v.chain, DecodeChain(v.matter.chain_text));
  GZ_ASSIGN_OR_RETURN(v.meetings, store_.Meetings(id));
  GZ_ASSIGN_OR_RETURN(v.publications, store_.Publications(id));
  GZ_ASSIGN_OR_RETURN(v.spending, store_.SpendingOf(id));
  for (const Publication& p : v.publications) {
    std::optional<int64_t> at;
    if (disclosures_ != nullptr) {
      GZ_ASSIGN_OR_RETURN(at, disclosures_->PublishedAt(p.item_id));
    }
    v.published_at.push_back(at.value_or(0));
    if (p.kind == "resolution") v.resolution_published = at.has_value();
  }
  for (const Spending& s : v.spending) v.flagged_spending += s.flagged ? 1 : 0;
  return v;
}

Result<std::vector<Matter>> DeliberationService::ListMatters(const std::string& village, int64_t before_id, int limit) {
  return store_.ListMatters(village, before_id, limit);
}

Result<Disclosures::Scan> DeliberationService::ReadMeetingScan(const access::Principal& by, int64_t matter_id,
                                                               int64_t meeting_id, const std::string& sha256,
                                                               const std::string& purpose) {
  GZ_ASSIGN_OR_RETURN(Matter m, GetMatter(matter_id));
  // Staff of the village's area, for themselves: attendance sheets name villagers.
  const bool staff = !by.anonymous() && !by.acting_for &&
                     std::any_of(by.self.grants.begin(), by.self.grants.end(), [&](const access::Grant& g) {
                       return (g.role == Role::kVillageCadre || g.role == Role::kSupervisor ||
                               g.role == Role::kTownshipOfficial || g.role == Role::kCountyAdmin ||
                               g.role == Role::kAuditor) &&
                              access::ScopeContains(g.scope, m.village);
                     });
  if (!staff) return NotAllowed("read_scan");
  if (purpose.empty() || purpose.size() > 200) return BadField("purpose", "length");
  GZ_ASSIGN_OR_RETURN(std::vector<Meeting> meetings, store_.Meetings(m.id));
  auto meeting = std::find_if(meetings.begin(), meetings.end(), [&](const Meeting& x) { return x.id == meeting_id; });
  if (meeting == meetings.end()) return NotFound(std::string(problems::kMeetingNotFound));
  if (std::find(meeting->attachments.begin(), meeting->attachments.end(), sha256) == meeting->attachments.end())
    return NotFound("attachments/attachment-not-found");
  if (disclosures_ == nullptr) return NotFound("attachments/attachment-not-found");
  // Recorded before the bytes leave: no audit record, no read.
  access::AuditEvent e = Event(by, "deliberation.read_scan", m.village, "deliberation_matter", m.id,
                               "{\"meeting\":\"" + std::to_string(meeting_id) + "\",\"sha256\":\"" + sha256 + "\"}");
  e.purpose = purpose;
  GZ_RETURN_IF_ERROR(store_.AppendAudit(e, NowMs()));
  return disclosures_->ReadScan(m.village, sha256);
}

Result<Meeting> DeliberationService::RecordMeeting(const access::Principal& by, int64_t matter_id, const MeetingInput& in) {
  GZ_ASSIGN_OR_RETURN(Matter m, LoadOpen(matter_id));
  if (!IsCadre(by, m.village)) return NotAllowed("record_meeting");
  GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(m.chain_text));
  const StepDef& step = chain.steps.at(static_cast<size_t>(m.current_step));
  if (step.kind != StepKind::kMeeting)
    return FailedPrecondition(std::string(problems::kWrongStep)).With("step", step.name_zh).With("reason", "not-a-meeting-step");
  const BodyRule* body = nullptr;
  for (const BodyRule& b : step.bodies)
    if (b.code == in.body || (in.body.empty() && step.bodies.size() == 1)) body = &b;
  if (body == nullptr) return BadField("body", "not-a-body-of-this-step");
  const int64_t now = NowMs();
  if (in.held_at_ms <= 0 || in.held_at_ms > now + 60'000) return BadField("held_at_ms", "not-in-the-past");
  if (in.notice_at_ms < 0 || (in.notice_at_ms != 0 && in.notice_at_ms > in.held_at_ms))
    return BadField("notice_at_ms", "after-the-meeting");
  GZ_RETURN_IF_ERROR(CheckText("minutes", in.minutes, 0, kMaxMinutesChars));
  if (in.attachments.size() > 20) return BadField("attachments", "too-many");
  for (const std::string& h : in.attachments)
    if (!crypto::IsSha256Hex(h)) return BadField("attachments", "not-a-sha256");
  if (!in.attachments.empty()) {
    bool known = false;
    if (disclosures_ != nullptr) {
      GZ_ASSIGN_OR_RETURN(known, disclosures_->ScansKnown(m.village, in.attachments));
    }
    if (!known) return BadField("attachments", "unknown-scan");
  }
  Meeting mt;
  mt.tally = in.tally;
  if (body->votes == VoteMode::kNamed) {
    // Named votes: the tally is what the names say, never a separate claim.
    if (in.named.empty()) return BadField("named", "required-for-this-body");
    if (in.named.size() > kMaxNamedVotes) return BadField("named", "too-many");
    mt.tally = Tally{};
    for (const NamedVote& v : in.named) {
      GZ_RETURN_IF_ERROR(CheckText("named.voter", v.voter, 1, 40));
      if (v.voter.find_first_of("\t\n\r") != std::string::npos) return BadField("named.voter", "control-characters");
      if (ChoiceOk(v.choice).empty()) return BadField("named.choice", "for-against-abstain");
      if (v.choice == "for") ++mt.tally.in_favour;
      else if (v.choice == "against") ++mt.tally.against;
      else ++mt.tally.abstain;
    }
    mt.named = in.named;
  } else if (!in.named.empty()) {
    return BadField("named", "this-body-votes-by-count");
  }
  GZ_RETURN_IF_ERROR(CheckCounts(in.attendance, mt.tally));
  const bool households_rule = std::any_of(body->quorum.begin(), body->quorum.end(),
                                           [](const QuorumOption& q) { return q.basis == QuorumBasis::kHouseholds; });
  if (!households_rule && (in.attendance.households != 0 || in.attendance.households_present != 0))
    return InvalidArgument(std::string(problems::kBadMeeting)).With("reason", "households-not-counted-by-this-body");
  const int notice_days =
      in.notice_at_ms == 0 ? -1 : static_cast<int>((in.held_at_ms - in.notice_at_ms) / kDayMs);
  mt.id = crypto::NewRowId(now);
  mt.matter_id = m.id;
  mt.village = m.village;
  mt.step = m.current_step;
  mt.step_code = step.code;
  mt.body_code = body->code;
  mt.held_at_ms = in.held_at_ms;
  mt.notice_at_ms = in.notice_at_ms;
  mt.offline = in.offline;
  mt.attendance = in.attendance;
  mt.minutes = in.minutes;
  mt.attachments = in.attachments;
  mt.outcome = Evaluate(*body, in.attendance, mt.tally, notice_days);
  mt.recorded_by = by.self.account_id;
  mt.recorded_at_ms = now;
  std::string details = "{\"meeting\":\"" + std::to_string(mt.id) + "\",\"step\":\"" + step.code + "\",\"body\":\"" +
                        body->code + "\",\"members\":" + std::to_string(mt.attendance.members) +
                        ",\"present\":" + std::to_string(mt.attendance.present) +
                        ",\"for\":" + std::to_string(mt.tally.in_favour) + ",\"against\":" + std::to_string(mt.tally.against) +
                        ",\"abstain\":" + std::to_string(mt.tally.abstain) + ",\"passed\":" + (mt.outcome.passed ? "true" : "false") +
                        ",\"offline\":" + (mt.offline ? "true" : "false") + "}";
  GZ_RETURN_IF_ERROR(store_.InsertMeeting(mt, Event(by, "deliberation.record_meeting", m.village, "deliberation_matter", m.id, details), now));
  return mt;
}

Result<Matter> DeliberationService::Advance(const access::Principal& by, int64_t matter_id, int64_t expected_version) {
  GZ_ASSIGN_OR_RETURN(Matter m, LoadOpen(matter_id));
  if (!IsCadre(by, m.village)) return NotAllowed("advance");
  if (expected_version != 0 && expected_version != m.version) return Aborted(std::string(problems::kEditConflict));
  GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(m.chain_text));
  const StepDef& step = chain.steps.at(static_cast<size_t>(m.current_step));
  std::string details = "{\"from\":\"" + step.code + "\"";
  if (step.kind == StepKind::kMeeting) {
    GZ_ASSIGN_OR_RETURN(std::vector<Meeting> meetings, store_.Meetings(m.id));
    const Meeting* latest = nullptr;
    for (const Meeting& mt : meetings)
      if (mt.step == m.current_step) latest = &mt;
    if (latest == nullptr) return FailedPrecondition(std::string(problems::kNoMeeting)).With("step", step.name_zh);
    if (!latest->outcome.passed) {
      std::string_view slug = latest->outcome.failure == "quorum"   ? problems::kQuorumNotMet
                              : latest->outcome.failure == "notice" ? problems::kNoticeTooShort
                                                                    : problems::kMajorityNotReached;
      return FailedPrecondition(std::string(slug))
          .With("step", step.name_zh)
          .With("explanation", latest->outcome.explanation_zh)
          .With("explanation_en", latest->outcome.explanation_en);
    }
    details += ",\"meeting\":\"" + std::to_string(latest->id) + "\"";
  } else {
    if (disclosures_ == nullptr) return FailedPrecondition(std::string(problems::kNotPublished)).With("step", step.name_zh);
    GZ_ASSIGN_OR_RETURN(std::vector<Publication> pubs, store_.Publications(m.id));
    const Publication* pub = nullptr;
    for (const Publication& p : pubs)
      if (p.step == m.current_step) pub = &p;
    if (pub == nullptr) return FailedPrecondition(std::string(problems::kNotPublished)).With("step", step.name_zh);
    GZ_ASSIGN_OR_RETURN(std::optional<int64_t> at, disclosures_->PublishedAt(pub->item_id));
    if (!at) return FailedPrecondition(std::string(problems::kNotPublished)).With("step", step.name_zh);
    if (step.kind == StepKind::kPublishResolution) m.resolution_published_at_ms = *at;
    details += ",\"item\":\"" + std::to_string(pub->item_id) + "\"";
  }
  const int64_t before = m.version;
  m.current_step += 1;
  m.version += 1;
  if (static_cast<size_t>(m.current_step) >= chain.steps.size()) m.state = MatterState::kCompleted;
  details += ",\"to\":\"" +
             (m.state == MatterState::kCompleted ? std::string("completed") : chain.steps[m.current_step].code) + "\"}";
  GZ_RETURN_IF_ERROR(store_.UpdateMatter(m, before, Event(by, "deliberation.advance", m.village, "deliberation_matter", m.id, details), NowMs()));
  return m;
}

Result<Matter> DeliberationService::Withdraw(const access::Principal& by, int64_t matter_id, const std::string& reason) {
  GZ_ASSIGN_OR_RETURN(Matter m, LoadOpen(matter_id));
  if (!IsCadre(by, m.village)) return NotAllowed("withdraw");
  GZ_RETURN_IF_ERROR(CheckText("reason", reason, 2, 500));
  const int64_t before = m.version;
  m.state = MatterState::kWithdrawn;
  m.closing_note = reason;
  m.version += 1;
  GZ_RETURN_IF_ERROR(store_.UpdateMatter(m, before,
                                         Event(by, "deliberation.withdraw", m.village, "deliberation_matter", m.id,
                                               "{\"at_step\":" + std::to_string(m.current_step) + "}"),
                                         NowMs()));
  return m;
}

Result<Publication> DeliberationService::DraftPublication(const access::Principal& by, int64_t matter_id,
                                                          const std::string& text) {
  GZ_ASSIGN_OR_RETURN(Matter m, LoadOpen(matter_id));
  if (!IsCadre(by, m.village)) return NotAllowed("draft_publication");
  GZ_RETURN_IF_ERROR(CheckText("text", text, 2, 6000));
  GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(m.chain_text));
  const StepDef& step = chain.steps.at(static_cast<size_t>(m.current_step));
  if (step.kind == StepKind::kMeeting)
    return FailedPrecondition(std::string(problems::kWrongStep)).With("step", step.name_zh).With("reason", "not-a-publication-step");
  if (disclosures_ == nullptr) return FailedPrecondition(std::string(problems::kNotPublished)).With("step", step.name_zh);
  GZ_ASSIGN_OR_RETURN(std::vector<Publication> pubs, store_.Publications(m.id));
  const Publication* resolution = nullptr;
  for (const Publication& p : pubs) {
    if (p.step == m.current_step)
      return FailedPrecondition(std::string(problems::kWrongStep)).With("step", step.name_zh).With("reason", "already-drafted");
    if (p.kind == "resolution") resolution = &p;
  }
  const bool result = step.kind == StepKind::kPublishResult;
  std::string title = (result ? "实施结果公开：" : "决议公开：") + Truncate(m.title, 90);
  // The public text: what the cadre wrote, then the record of every meeting held for it (counts
  // only, no names beyond the named votes of public offices), and for the result the resolution
  // it implements, so that a reader can follow the chain from either notice.
  std::string body = text + "\n\n【事项】" + m.title + "（编号 " + std::to_string(m.id) + "）\n";
  if (result && resolution != nullptr)
    body += "【关联决议公开】公开事项编号 " + std::to_string(resolution->item_id) + "\n";
  GZ_ASSIGN_OR_RETURN(std::vector<Meeting> meetings, store_.Meetings(m.id));
  for (const Meeting& mt : meetings) {
    if (!mt.outcome.passed) continue;
    const StepDef& s = chain.steps.at(static_cast<size_t>(mt.step));
    body += "【" + s.name_zh + "】应到 " + std::to_string(mt.attendance.members) + "，实到 " +
            std::to_string(mt.attendance.present) + "，赞成 " + std::to_string(mt.tally.in_favour) + "，反对 " +
            std::to_string(mt.tally.against) + "，弃权 " + std::to_string(mt.tally.abstain) + "\n";
  }
  GZ_ASSIGN_OR_RETURN(int64_t item, disclosures_->DraftResolution(by, m.village, title, Truncate(body, 9900), {}));
  Publication p;
  p.matter_id = m.id;
  p.step = m.current_step;
  p.kind = result ? "result" : "resolution";
  p.item_id = item;
  p.drafted_by = by.self.account_id;
  const int64_t now = NowMs();
  p.drafted_at_ms = now;
  std::string details = "{\"step\":\"" + step.code + "\",\"item\":\"" + std::to_string(item) + "\"";
  if (result && resolution != nullptr) details += ",\"resolution_item\":\"" + std::to_string(resolution->item_id) + "\"";
  details += "}";
  GZ_RETURN_IF_ERROR(store_.InsertPublication(p, Event(by, "deliberation.draft_publication", m.village, "deliberation_matter", m.id, details), now));
  return p;
}

Result<Spending> DeliberationService::RecordSpending(const access::Principal& by, int64_t matter_id, int64_t amount_fen,
                                                     const std::string& purpose, int64_t spent_at_ms,
                                                     int64_t finance_item) {
  GZ_ASSIGN_OR_RETURN(Matter m, GetMatter(matter_id));
  if (!IsCadre(by, m.village)) return NotAllowed("record_spending");
  if (amount_fen < 1 || amount_fen > kMaxAmountFen) return BadField("amount_fen", "out-of-range");
  GZ_RETURN_IF_ERROR(CheckText("purpose", purpose, 2, 200));
  const int64_t now = NowMs();
  if (spent_at_ms <= 0 || spent_at_ms > now + 60'000) return BadField("spent_at_ms", "not-in-the-past");
  if (finance_item < 0) return BadField("finance_item", "invalid");
  // Flagged unless the resolution was published before the money was spent.
  bool published_before = false;
  if (disclosures_ != nullptr) {
    GZ_ASSIGN_OR_RETURN(std::vector<Publication> pubs, store_.Publications(m.id));
    for (const Publication& p : pubs) {
      if (p.kind != "resolution") continue;
      GZ_ASSIGN_OR_RETURN(std::optional<int64_t> at, disclosures_->PublishedAt(p.item_id));
      published_before = at.has_value() && *at <= spent_at_ms;
    }
  }
  Spending s;
  s.id = crypto::NewRowId(now);
  s.matter_id = m.id;
  s.village = m.village;
  s.amount_fen = amount_fen;
  s.purpose = purpose;
  s.spent_at_ms = spent_at_ms;
  s.finance_item = finance_item;
  s.flagged = !published_before;
  s.recorded_by = by.self.account_id;
  s.recorded_at_ms = now;
  std::string details = "{\"spending\":\"" + std::to_string(s.id) + "\",\"amount_fen\":" + std::to_string(amount_fen) +
                        ",\"flagged\":" + (s.flagged ? "true" : "false") + "}";
  GZ_RETURN_IF_ERROR(store_.InsertSpending(s, Event(by, "deliberation.record_spending", m.village, "deliberation_matter", m.id, details), now));
  return s;
}

Result<std::vector<Spending>> DeliberationService::Flagged(const std::vector<std::string>& scopes, int limit) {
  std::vector<Spending> out;
  for (const std::string& scope : scopes) {
    std::optional<std::pair<std::string, std::string>> range = access::ScopeRange(scope);
    if (!range) continue;
    GZ_ASSIGN_OR_RETURN(std::vector<Spending> found, store_.FlaggedSpending(range->first, range->second, limit));
    for (Spending& s : found)
      if (std::none_of(out.begin(), out.end(), [&](const Spending& o) { return o.id == s.id; })) out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const Spending& a, const Spending& b) { return a.id > b.id; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

// ---- proposals ----

Result<Proposal> DeliberationService::Propose(const access::Principal& by, const std::string& village,
                                              const std::string& title, const std::string& text) {
  const access::Person& subject = by.subject();
  if (by.anonymous() || subject.village != village || !Holds(subject, Role::kVillager, village)) return NotAllowed("propose");
  GZ_RETURN_IF_ERROR(CheckText("title", title, 2, 100));
  GZ_RETURN_IF_ERROR(CheckText("text", text, 10, 5000));
  GZ_ASSIGN_OR_RETURN(VillageSettings settings, store_.GetSettings(village));
  const int64_t now = NowMs();
  Proposal p;
  p.id = crypto::NewRowId(now);
  p.village = village;
  p.title = title;
  p.text = text;
  p.raised_by = subject.account_id;
  p.recorded_by = by.self.account_id;
  p.consent_id = by.acting_for ? by.acting_for->consent_id : 0;
  p.raised_at_ms = now;
  p.threshold = settings.support_threshold;
  GZ_RETURN_IF_ERROR(store_.InsertProposal(p, Event(by, "deliberation.propose", village, "deliberation_proposal", p.id,
                                                    "{\"threshold\":" + std::to_string(p.threshold) + "}"),
                                           now));
  return p;
}

Result<Proposal> DeliberationService::GetProposal(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Proposal> p, store_.GetProposal(id));
  if (!p) return NotFound(std::string(problems::kProposalNotFound));
  return *p;
}

Result<ProposalView> DeliberationService::ViewProposal(int64_t id) {
  ProposalView v;
  GZ_ASSIGN_OR_RETURN(v.proposal, GetProposal(id));
  GZ_ASSIGN_OR_RETURN(v.comments, store_.Comments(id));
  return v;
}

Result<std::vector<Proposal>> DeliberationService::ListProposals(const std::string& village, int64_t before_id, int limit) {
  return store_.ListProposals(village, before_id, limit);
}

Result<Proposal> DeliberationService::Support(const access::Principal& by, const Proposal& p) {
  const access::Person& subject = by.subject();
  if (by.anonymous() || subject.village != p.village || !Holds(subject, Role::kVillager, p.village))
    return PermissionDenied(std::string(problems::kCannotSupport)).With("reason", "not-a-villager-here");
  if (subject.account_id == p.raised_by)
    return PermissionDenied(std::string(problems::kCannotSupport)).With("reason", "own-proposal");
  if (p.State() != ProposalState::kOpen)
    return PermissionDenied(std::string(problems::kCannotSupport)).With("reason", "closed");
  GZ_ASSIGN_OR_RETURN(VillageSettings settings, store_.GetSettings(p.village));
  return store_.Support(p.id, subject.account_id, settings.answer_days,
                        Event(by, "deliberation.support", p.village, "deliberation_proposal", p.id), NowMs());
}

Result<Comment> DeliberationService::AddComment(const access::Principal& by, const Proposal& p, const std::string& text) {
  const access::Person& subject = by.subject();
  const bool villager = subject.village == p.village && Holds(subject, Role::kVillager, p.village);
  if (by.anonymous() || !(villager || IsCadre(by, p.village))) return NotAllowed("comment");
  GZ_RETURN_IF_ERROR(CheckText("text", text, 2, 2000));
  const int64_t now = NowMs();
  Comment c;
  c.id = crypto::NewRowId(now);
  c.proposal_id = p.id;
  c.village = p.village;
  c.author = subject.account_id;
  c.text = text;
  c.written_at_ms = now;
  GZ_RETURN_IF_ERROR(store_.InsertComment(c, Event(by, "deliberation.comment", p.village, "deliberation_proposal", p.id,
                                                   "{\"comment\":\"" + std::to_string(c.id) + "\"}"),
                                          now));
  return c;
}

Result<Comment> DeliberationService::GetComment(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Comment> c, store_.GetComment(id));
  if (!c) return NotFound(std::string(problems::kCommentNotFound));
  return *c;
}

Status DeliberationService::HideComment(const access::Principal& by, const Comment& c, const std::string& reason) {
  if (!IsCadre(by, c.village)) return NotAllowed("moderate");
  GZ_RETURN_IF_ERROR(CheckText("reason", reason, 2, 200));
  if (!c.hidden_reason.empty()) return Aborted(std::string(problems::kEditConflict));
  return store_.HideComment(c.id, reason, by.self.account_id,
                            Event(by, "deliberation.hide_comment", c.village, "deliberation_comment", c.id), NowMs());
}

Status DeliberationService::Answer(const access::Principal& by, const Proposal& p, const std::string& text) {
  if (!IsCadre(by, p.village)) return NotAllowed("answer");
  GZ_RETURN_IF_ERROR(CheckText("text", text, 2, 4000));
  if (p.State() != ProposalState::kOpen) return FailedPrecondition(std::string(problems::kAlreadyAnswered));
  return store_.AnswerProposal(p.id, text, by.self.account_id,
                               Event(by, "deliberation.answer", p.village, "deliberation_proposal", p.id), NowMs());
}

}  // namespace gz::deliberation
