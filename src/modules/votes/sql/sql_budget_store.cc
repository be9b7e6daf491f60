// Layer: votes sql (see sql_budget_store.h).
#include "modules/votes/sql/sql_budget_store.h"

#include "modules/audit/sql/audit_sql.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kRoundSelect =
    "SELECT r.id, r.village_code, r.title, r.budget, r.rule, r.created_by, r.created_at_ms, b.vote_id "
    "FROM votes_budget_rounds r LEFT JOIN votes_budget b ON b.round_id = r.id";

BudgetRound RoundFrom(const Row& r) {
  BudgetRound o;
  o.id = r.Int(0);
  o.village = r.Text(1);
  o.title = r.Text(2);
  o.budget = r.Int(3);
  o.rule = ParseBudgetRule(r.Text(4)).value_or(BudgetRule::kGreedy);
  o.created_by = r.Int(5);
  o.created_at_ms = r.Int(6);
  o.vote_id = r.IsNull(7) ? 0 : r.Int(7);
  return o;
}

constexpr std::string_view kProjectSelect =
    "SELECT id, round_id, title, description, cost, state, proposed_by, recorded_by, consent_id, proposed_at_ms, "
    "review_reason, reviewed_by, reviewed_at_ms FROM votes_budget_projects";

BudgetProject ProjectFrom(const Row& r) {
  BudgetProject p;
  p.id = r.Int(0);
  p.round_id = r.Int(1);
  p.title = r.Text(2);
  p.description = r.Text(3);
  p.cost = r.Int(4);
  p.state = ParseProjectState(r.Text(5)).value_or(ProjectState::kProposed);
  p.proposed_by = r.Int(6);
  p.recorded_by = r.Int(7);
  p.consent_id = r.Int(8);
  p.proposed_at_ms = r.Int(9);
  p.review_reason = r.Text(10);
  p.reviewed_by = r.IsNull(11) ? 0 : r.Int(11);
  p.reviewed_at_ms = r.IsNull(12) ? 0 : r.Int(12);
  return p;
}

// The round exists and has no vote yet.
Status StillCollecting(Tx& tx, int64_t round_id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT id FROM votes_budget_rounds WHERE id = $1", Params{round_id}));
  if (rs.empty()) return NotFound(std::string(problems::kRoundNotFound));
  GZ_ASSIGN_OR_RETURN(storage::ResultSet voted, tx.Query("SELECT vote_id FROM votes_budget WHERE round_id = $1", Params{round_id}));
  if (!voted.empty()) return FailedPrecondition(std::string(problems::kRoundNotCollecting));
  return Status::Ok();
}

}  // namespace

SqlBudgetStore::SqlBudgetStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(std::move(append_audit)) {
  if (!append_audit_) append_audit_ = &audit::AppendAuditInTx;
}

Status SqlBudgetStore::InsertRound(const BudgetRound& r, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_budget_rounds (id, village_code, title, budget, rule, created_by, "
                               "created_at_ms, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                               Params{r.id, r.village, r.title, r.budget, std::string(BudgetRuleCode(r.rule)), r.created_by,
                                      r.created_at_ms, std::string(ScopeCode(r.scope()))})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<BudgetRound>> SqlBudgetStore::GetRound(int64_t id) {
  std::optional<BudgetRound> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(std::string(kRoundSelect) + " WHERE r.id = $1", Params{id}));
    if (!rs.empty()) out = RoundFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<BudgetRound>> SqlBudgetStore::ListRounds(const std::vector<std::string>& divisions, int limit) {
  std::vector<BudgetRound> out;
  if (divisions.empty()) return out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    // A village and its township: two codes, each a range of the (village_code, id) index.
    std::string in;
    Params params;
    for (const std::string& d : divisions) {
      params.push_back(Value(d));
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    params.push_back(Value(static_cast<int64_t>(limit < 1 ? 1 : limit)));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query(std::string(kRoundSelect) + " WHERE r.village_code IN (" + in + ") ORDER BY r.id DESC LIMIT $" +
                                     std::to_string(params.size()),
                                 params));
    for (const Row& r : rs.rows) out.push_back(RoundFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlBudgetStore::InsertProject(const BudgetProject& p, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(StillCollecting(tx, p.round_id));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet n,
                        tx.Query("SELECT COUNT(*) FROM votes_budget_projects WHERE round_id = $1", Params{p.round_id}));
    if (n.rows[0].Int(0) >= static_cast<int64_t>(kMaxProjectsPerRound))
      return InvalidArgument(std::string(problems::kBadProject)).With("field", "round").With("reason", "full");
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_budget_projects (id, round_id, title, description, cost, state, proposed_by, "
                               "recorded_by, consent_id, proposed_at_ms) VALUES ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8, $9)",
                               Params{p.id, p.round_id, p.title, p.description, p.cost, p.proposed_by, p.recorded_by,
                                      p.consent_id, p.proposed_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<BudgetProject>> SqlBudgetStore::GetProject(int64_t id) {
  std::optional<BudgetProject> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(std::string(kProjectSelect) + " WHERE id = $1", Params{id}));
    if (!rs.empty()) out = ProjectFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<BudgetProject>> SqlBudgetStore::ListProjects(int64_t round_id) {
  std::vector<BudgetProject> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query(std::string(kProjectSelect) + " WHERE round_id = $1 ORDER BY id", Params{round_id}));
    for (const Row& r : rs.rows) out.push_back(ProjectFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlBudgetStore::Review(const BudgetProject& p, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(StillCollecting(tx, p.round_id));
    if (p.state == ProjectState::kAccepted) {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet n,
                          tx.Query("SELECT COUNT(*) FROM votes_budget_projects WHERE round_id = $1 AND state = 'accepted'",
                                   Params{p.round_id}));
      if (n.rows[0].Int(0) >= static_cast<int64_t>(kMaxOptions))
        return InvalidArgument(std::string(problems::kBadProject)).With("field", "state").With("reason", "ballot-full");
    }
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE votes_budget_projects SET state = $2, review_reason = $3, reviewed_by = $4, "
                                "reviewed_at_ms = $5 WHERE id = $1 AND state = 'proposed'",
                                Params{p.id, std::string(ProjectStateCode(p.state)), p.review_reason, p.reviewed_by,
                                       p.reviewed_at_ms}));
    if (changed != 1) return FailedPrecondition(std::string(problems::kAlreadyReviewed));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::votes
