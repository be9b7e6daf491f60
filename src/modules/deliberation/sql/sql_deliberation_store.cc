// Layer: deliberation sql (see sql_deliberation_store.h).
#include "modules/deliberation/sql/sql_deliberation_store.h"

#include "modules/audit/sql/audit_sql.h"
#include "modules/deliberation/problems.h"

namespace gz::deliberation {
namespace {

using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kMatterColumns =
    "id, village_code, title, description, proposal_id, chain_text, chain_source, current_step, state, opened_by, "
    "opened_at_ms, version, resolution_published_at_ms, closing_note";
constexpr std::string_view kMeetingColumns =
    "id, matter_id, village_code, step, step_code, body_code, held_at_ms, notice_at_ms, offline, members, present, "
    "households, households_present, in_favour, against, abstain, named_votes, minutes, attachments, quorum_met, "
    "notice_ok, passed, failure, explanation_zh, explanation_en, recorded_by, recorded_at_ms";
constexpr std::string_view kSpendingColumns =
    "id, matter_id, village_code, amount_fen, purpose, spent_at_ms, finance_item, flagged, recorded_by, recorded_at_ms";
constexpr std::string_view kProposalColumns =
    "id, village_code, title, text, raised_by, recorded_by, consent_id, raised_at_ms, supports, threshold, reached_at_ms, "
    "answer_due_ms, answer, answered_by, answered_at_ms, appeal_id, escalated_at_ms, matter_id";
constexpr std::string_view kCommentColumns =
    "id, proposal_id, village_code, author, text, written_at_ms, hidden_reason, hidden_by, hidden_at_ms";

Value OptionalInt(int64_t v) { return v == 0 ? Value(nullptr) : Value(v); }
int64_t IntOr0(const Row& r, size_t i) { return r.IsNull(i) ? 0 : r.Int(i); }

// Named votes as "choice TAB voter" lines (the service refuses control characters in a voter).
std::string NamedText(const std::vector<NamedVote>& named) {
  std::string out;
  for (const NamedVote& v : named) out += v.choice + "\t" + v.voter + "\n";
  return out;
}
std::vector<NamedVote> ParseNamed(std::string_view text) {
  std::vector<NamedVote> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    size_t tab = line.find('\t');
    if (tab != std::string_view::npos) out.push_back(NamedVote{std::string(line.substr(tab + 1)), std::string(line.substr(0, tab))});
    start = end + 1;
  }
  return out;
}
std::string HashesText(const std::vector<std::string>& hashes) {
  std::string out;
  for (size_t i = 0; i < hashes.size(); ++i) out += (i ? "," : "") + hashes[i];
  return out;
}
std::vector<std::string> ParseHashes(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Matter MatterFrom(const Row& r) {
  Matter m;
  m.id = r.Int(0);
  m.village = r.Text(1);
  m.title = r.Text(2);
  m.description = r.Text(3);
  m.proposal_id = IntOr0(r, 4);
  m.chain_text = r.Text(5);
  m.chain_source = r.Text(6);
  m.current_step = static_cast<int>(r.Int(7));
  const std::string state = r.Text(8);
  m.state = state == "completed" ? MatterState::kCompleted : state == "withdrawn" ? MatterState::kWithdrawn : MatterState::kOpen;
  m.opened_by = r.Int(9);
  m.opened_at_ms = r.Int(10);
  m.version = r.Int(11);
  m.resolution_published_at_ms = IntOr0(r, 12);
  m.closing_note = r.Text(13);
  return m;
}

Meeting MeetingFrom(const Row& r) {
  Meeting m;
  m.id = r.Int(0);
  m.matter_id = r.Int(1);
  m.village = r.Text(2);
  m.step = static_cast<int>(r.Int(3));
  m.step_code = r.Text(4);
  m.body_code = r.Text(5);
  m.held_at_ms = r.Int(6);
  m.notice_at_ms = IntOr0(r, 7);
  m.offline = r.Int(8) != 0;
  m.attendance = Attendance{r.Int(9), r.Int(10), r.Int(11), r.Int(12)};
  m.tally = Tally{r.Int(13), r.Int(14), r.Int(15)};
  m.named = ParseNamed(r.TextView(16));
  m.minutes = r.Text(17);
  m.attachments = ParseHashes(r.TextView(18));
  m.outcome.quorum_met = r.Int(19) != 0;
  m.outcome.notice_ok = r.Int(20) != 0;
  m.outcome.passed = r.Int(21) != 0;
  m.outcome.failure = r.Text(22);
  m.outcome.explanation_zh = r.Text(23);
  m.outcome.explanation_en = r.Text(24);
  m.recorded_by = r.Int(25);
  m.recorded_at_ms = r.Int(26);
  return m;
}

Spending SpendingFrom(const Row& r) {
  Spending s;
  s.id = r.Int(0);
  s.matter_id = r.Int(1);
  s.village = r.Text(2);
  s.amount_fen = r.Int(3);
  s.purpose = r.Text(4);
  s.spent_at_ms = r.Int(5);
  s.finance_item = IntOr0(r, 6);
  s.flagged = r.Int(7) != 0;
  s.recorded_by = r.Int(8);
  s.recorded_at_ms = r.Int(9);
  return s;
}

Proposal ProposalFrom(const Row& r) {
  Proposal p;
  p.id = r.Int(0);
  p.village = r.Text(1);
  p.title = r.Text(2);
  p.text = r.Text(3);
  p.raised_by = r.Int(4);
  p.recorded_by = r.Int(5);
  p.consent_id = IntOr0(r, 6);
  p.raised_at_ms = r.Int(7);
  p.supports = r.Int(8);
  p.threshold = r.Int(9);
  p.reached_at_ms = IntOr0(r, 10);
  p.answer_due_ms = IntOr0(r, 11);
  p.answer = r.IsNull(12) ? "" : r.Text(12);
  p.answered_by = r.Int(13);
  p.answered_at_ms = IntOr0(r, 14);
  p.appeal_id = IntOr0(r, 15);
  p.escalated_at_ms = IntOr0(r, 16);
  p.matter_id = IntOr0(r, 17);
  return p;
}

Comment CommentFrom(const Row& r) {
  Comment c;
  c.id = r.Int(0);
  c.proposal_id = r.Int(1);
  c.village = r.Text(2);
  c.author = r.Int(3);
  c.text = r.Text(4);
  c.written_at_ms = r.Int(5);
  c.hidden_reason = r.IsNull(6) ? "" : r.Text(6);
  c.hidden_by = r.Int(7);
  c.hidden_at_ms = IntOr0(r, 8);
  return c;
}

int64_t Clamp(int limit) { return limit < 1 ? 1 : limit > 500 ? 500 : limit; }

}  // namespace

SqlDeliberationStore::SqlDeliberationStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(std::move(append_audit)) {
  if (!append_audit_) append_audit_ = &audit::AppendAuditInTx;
}

Result<std::optional<ChainSetting>> SqlDeliberationStore::GetChain(const std::string& scope) {
  std::optional<ChainSetting> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT scope_code, chain_text, decision, decision_item, set_by, set_at_ms FROM "
                                 "deliberation_chains WHERE scope_code = $1 ORDER BY id DESC LIMIT 1",
                                 Params{scope}));
    if (rs.empty()) return Status::Ok();
    const Row& r = rs.rows[0];
    out = ChainSetting{r.Text(0), r.Text(1), r.Text(2), IntOr0(r, 3), r.Int(4), r.Int(5)};
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::PutChain(const ChainSetting& s, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_chains (id, scope_code, chain_text, decision, decision_item, set_by, "
                               "set_at_ms) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM deliberation_chains), $1, $2, $3, "
                               "$4, $5, $6)",
                               Params{s.scope, s.chain_text, s.decision, OptionalInt(s.decision_item), s.set_by, s.set_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<VillageSettings> SqlDeliberationStore::GetSettings(const std::string& village) {
  VillageSettings s;
  s.village = village;
  s.support_threshold = kDefaultSupportThreshold;
  s.answer_days = kDefaultAnswerDays;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT support_threshold, answer_days FROM deliberation_settings WHERE village_code = $1",
                                 Params{village}));
    if (!rs.empty()) {
      s.support_threshold = rs.rows[0].Int(0);
      s.answer_days = static_cast<int>(rs.rows[0].Int(1));
      s.stored = true;
    }
    return Status::Ok();
  }));
  return s;
}

Status SqlDeliberationStore::AppendAudit(const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status { return append_audit_(tx, event, now_ms); });
}

Status SqlDeliberationStore::PutSettings(const VillageSettings& s, int64_t by, const access::AuditEvent& event,
                                         int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_settings (village_code, support_threshold, answer_days, set_by, "
                               "set_at_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (village_code) DO UPDATE SET "
                               "support_threshold = excluded.support_threshold, answer_days = excluded.answer_days, "
                               "set_by = excluded.set_by, set_at_ms = excluded.set_at_ms",
                               Params{s.village, s.support_threshold, int64_t{s.answer_days}, by, now_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDeliberationStore::InsertMatter(const Matter& m, const std::optional<MatterFromProposal>& from,
                                          const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_matters (" + std::string(kMatterColumns) +
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                               Params{m.id, m.village, m.title, m.description, OptionalInt(m.proposal_id), m.chain_text,
                                      m.chain_source, int64_t{m.current_step}, std::string(MatterStateCode(m.state)),
                                      m.opened_by, m.opened_at_ms, m.version, OptionalInt(m.resolution_published_at_ms),
                                      m.closing_note})
                           .status());
    if (from) {
      int64_t changed = 0;
      if (from->answer.empty()) {
        GZ_ASSIGN_OR_RETURN(changed, tx.Exec("UPDATE deliberation_proposals SET matter_id = $2 WHERE id = $1 AND "
                                             "matter_id IS NULL AND appeal_id IS NULL",
                                             Params{from->proposal_id, m.id}));
      } else {
        GZ_ASSIGN_OR_RETURN(changed, tx.Exec("UPDATE deliberation_proposals SET matter_id = $2, answer = $3, answered_by = $4, "
                                             "answered_at_ms = $5 WHERE id = $1 AND matter_id IS NULL AND appeal_id IS NULL "
                                             "AND answer IS NULL",
                                             Params{from->proposal_id, m.id, from->answer, m.opened_by, now_ms}));
      }
      if (changed != 1) return Aborted(std::string(problems::kAlreadyAnswered));
    }
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Matter>> SqlDeliberationStore::GetMatter(int64_t id) {
  std::optional<Matter> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kMatterColumns) +
                                                            " FROM deliberation_matters WHERE id = $1",
                                                        Params{id}));
    if (!rs.empty()) out = MatterFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Matter>> SqlDeliberationStore::ListMatters(const std::string& village, int64_t before_id, int limit) {
  std::vector<Matter> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kMatterColumns) +
                                     " FROM deliberation_matters WHERE village_code = $1 AND ($2 = 0 OR id < $2) "
                                     "ORDER BY id DESC LIMIT $3",
                                 Params{village, before_id, Clamp(limit)}));
    for (const Row& r : rs.rows) out.push_back(MatterFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::UpdateMatter(const Matter& m, int64_t expected_version, const access::AuditEvent& event,
                                          int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE deliberation_matters SET current_step = $3, state = $4, version = $5, "
                                "resolution_published_at_ms = $6, closing_note = $7 WHERE id = $1 AND version = $2 AND "
                                "state = 'open'",
                                Params{m.id, expected_version, int64_t{m.current_step}, std::string(MatterStateCode(m.state)),
                                       m.version, OptionalInt(m.resolution_published_at_ms), m.closing_note}));
    if (changed != 1) return Aborted(std::string(problems::kEditConflict));
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDeliberationStore::InsertMeeting(const Meeting& m, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    // Recorded only against the step the matter is at now (a concurrent advance loses nothing:
    // the record would belong to a step already left, so it is refused).
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT current_step, state FROM deliberation_matters WHERE id = $1", Params{m.matter_id}));
    if (rs.empty() || rs.rows[0].Int(0) != m.step || rs.rows[0].Text(1) != "open")
      return Aborted(std::string(problems::kEditConflict));
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_meetings (" + std::string(kMeetingColumns) +
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                                   "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27)",
                               Params{m.id, m.matter_id, m.village, int64_t{m.step}, m.step_code, m.body_code, m.held_at_ms,
                                      OptionalInt(m.notice_at_ms), int64_t{m.offline ? 1 : 0}, m.attendance.members,
                                      m.attendance.present, m.attendance.households, m.attendance.households_present,
                                      m.tally.in_favour, m.tally.against, m.tally.abstain, NamedText(m.named), m.minutes,
                                      HashesText(m.attachments), int64_t{m.outcome.quorum_met ? 1 : 0},
                                      int64_t{m.outcome.notice_ok ? 1 : 0}, int64_t{m.outcome.passed ? 1 : 0},
                                      m.outcome.failure, m.outcome.explanation_zh, m.outcome.explanation_en, m.recorded_by,
                                      m.recorded_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<Meeting>> SqlDeliberationStore::Meetings(int64_t matter_id) {
  std::vector<Meeting> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kMeetingColumns) +
                                                            " FROM deliberation_meetings WHERE matter_id = $1 "
                                                            "ORDER BY recorded_at_ms, id",
                                                        Params{matter_id}));
    for (const Row& r : rs.rows) out.push_back(MeetingFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::InsertPublication(const Publication& p, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_publications (matter_id, step, kind, item_id, drafted_by, "
                               "drafted_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                               Params{p.matter_id, int64_t{p.step}, p.kind, p.item_id, p.drafted_by, p.drafted_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<Publication>> SqlDeliberationStore::Publications(int64_t matter_id) {
  std::vector<Publication> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT matter_id, step, kind, item_id, drafted_by, drafted_at_ms FROM "
                                 "deliberation_publications WHERE matter_id = $1 ORDER BY step",
                                 Params{matter_id}));
    for (const Row& r : rs.rows)
      out.push_back(Publication{r.Int(0), static_cast<int>(r.Int(1)), r.Text(2), r.Int(3), r.Int(4), r.Int(5)});
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::InsertSpending(const Spending& s, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_spending (" + std::string(kSpendingColumns) +
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                               Params{s.id, s.matter_id, s.village, s.amount_fen, s.purpose, s.spent_at_ms,
                                      OptionalInt(s.finance_item), int64_t{s.flagged ? 1 : 0}, s.recorded_by,
                                      s.recorded_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<Spending>> SqlDeliberationStore::SpendingOf(int64_t matter_id) {
  std::vector<Spending> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kSpendingColumns) +
                                                            " FROM deliberation_spending WHERE matter_id = $1 ORDER BY id",
                                                        Params{matter_id}));
    for (const Row& r : rs.rows) out.push_back(SpendingFrom(r));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Spending>> SqlDeliberationStore::FlaggedSpending(const std::string& first, const std::string& last,
                                                                    int limit) {
  std::vector<Spending> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kSpendingColumns) +
                                     " FROM deliberation_spending WHERE flagged = 1 AND village_code >= $1 AND "
                                     "village_code <= $2 ORDER BY id DESC LIMIT $3",
                                 Params{first, last, Clamp(limit)}));
    for (const Row& r : rs.rows) out.push_back(SpendingFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::InsertProposal(const Proposal& p, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_proposals (id, village_code, title, text, raised_by, recorded_by, "
                               "consent_id, raised_at_ms, supports, threshold) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
                               Params{p.id, p.village, p.title, p.text, p.raised_by, p.recorded_by, OptionalInt(p.consent_id),
                                      p.raised_at_ms, p.threshold})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Proposal>> SqlDeliberationStore::GetProposal(int64_t id) {
  std::optional<Proposal> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kProposalColumns) +
                                                            " FROM deliberation_proposals WHERE id = $1",
                                                        Params{id}));
    if (!rs.empty()) out = ProposalFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Proposal>> SqlDeliberationStore::ListProposals(const std::string& village, int64_t before_id, int limit) {
  std::vector<Proposal> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kProposalColumns) +
                                     " FROM deliberation_proposals WHERE village_code = $1 AND ($2 = 0 OR id < $2) "
                                     "ORDER BY id DESC LIMIT $3",
                                 Params{village, before_id, Clamp(limit)}));
    for (const Row& r : rs.rows) out.push_back(ProposalFrom(r));
    return Status::Ok();
  }));
  return out;
}

Result<Proposal> SqlDeliberationStore::Support(int64_t proposal_id, int64_t account, int answer_days,
                                               const access::AuditEvent& event, int64_t now_ms) {
  std::optional<Proposal> after;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet ins,
                        tx.Query("INSERT INTO deliberation_supports (proposal_id, account_id, supported_at_ms) VALUES "
                                 "($1, $2, $3) ON CONFLICT DO NOTHING RETURNING account_id",
                                 Params{proposal_id, account, now_ms}));
    if (ins.empty()) return AlreadyExists(std::string(problems::kAlreadySupported));
    // The deadline starts once, the first time the count reaches the threshold.
    GZ_RETURN_IF_ERROR(tx.Exec("UPDATE deliberation_proposals SET supports = supports + 1, "
                               "reached_at_ms = CASE WHEN reached_at_ms IS NULL AND supports + 1 >= threshold THEN $2 "
                               "ELSE reached_at_ms END, "
                               "answer_due_ms = CASE WHEN reached_at_ms IS NULL AND supports + 1 >= threshold THEN $3 "
                               "ELSE answer_due_ms END WHERE id = $1",
                               Params{proposal_id, now_ms, now_ms + int64_t{answer_days} * 86'400'000})
                           .status());
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kProposalColumns) +
                                                            " FROM deliberation_proposals WHERE id = $1",
                                                        Params{proposal_id}));
    if (rs.empty()) return NotFound(std::string(problems::kProposalNotFound));
    after = ProposalFrom(rs.rows[0]);
    access::AuditEvent e = event;
    e.details = "{\"supports\":" + std::to_string(after->supports) + ",\"reached\":" +
                (after->reached_at_ms == now_ms ? "true" : "false") + "}";
    return append_audit_(tx, e, now_ms);
  }));
  return *after;
}

Status SqlDeliberationStore::AnswerProposal(int64_t id, const std::string& answer, int64_t by,
                                            const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE deliberation_proposals SET answer = $2, answered_by = $3, answered_at_ms = $4 "
                                "WHERE id = $1 AND answer IS NULL AND appeal_id IS NULL AND matter_id IS NULL",
                                Params{id, answer, by, now_ms}));
    if (changed != 1) return Aborted(std::string(problems::kAlreadyAnswered));
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<Proposal>> SqlDeliberationStore::DueForEscalation(int64_t now_ms, int limit) {
  std::vector<Proposal> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kProposalColumns) +
                                     " FROM deliberation_proposals WHERE answer IS NULL AND appeal_id IS NULL AND "
                                     "matter_id IS NULL AND answer_due_ms IS NOT NULL AND answer_due_ms < $1 "
                                     "ORDER BY answer_due_ms, id LIMIT $2",
                                 Params{now_ms, Clamp(limit)}));
    for (const Row& r : rs.rows) out.push_back(ProposalFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::MarkEscalated(int64_t id, int64_t appeal_id, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE deliberation_proposals SET appeal_id = $2, escalated_at_ms = $3 WHERE id = $1 "
                                "AND answer IS NULL AND appeal_id IS NULL AND matter_id IS NULL",
                                Params{id, appeal_id, now_ms}));
    if (changed != 1) return FailedPrecondition(std::string(problems::kAlreadyAnswered));
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDeliberationStore::InsertComment(const Comment& c, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO deliberation_comments (id, proposal_id, village_code, author, text, "
                               "written_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                               Params{c.id, c.proposal_id, c.village, c.author, c.text, c.written_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Comment>> SqlDeliberationStore::GetComment(int64_t id) {
  std::optional<Comment> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kCommentColumns) +
                                                            " FROM deliberation_comments WHERE id = $1",
                                                        Params{id}));
    if (!rs.empty()) out = CommentFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Comment>> SqlDeliberationStore::Comments(int64_t proposal_id) {
  std::vector<Comment> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kCommentColumns) +
                                                            " FROM deliberation_comments WHERE proposal_id = $1 "
                                                            "ORDER BY id LIMIT 1000",
                                                        Params{proposal_id}));
    for (const Row& r : rs.rows) out.push_back(CommentFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDeliberationStore::HideComment(int64_t id, const std::string& reason, int64_t by,
                                         const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE deliberation_comments SET hidden_reason = $2, hidden_by = $3, hidden_at_ms = $4 "
                                "WHERE id = $1 AND hidden_reason IS NULL",
                                Params{id, reason, by, now_ms}));
    if (changed != 1) return Aborted(std::string(problems::kEditConflict));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::deliberation
