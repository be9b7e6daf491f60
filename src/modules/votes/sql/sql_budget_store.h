// SqlBudgetStore: the BudgetStore port (budget.h) on storage::Db. Tables: votes_budget_rounds,
// votes_budget_projects (migration votes/2, vote_migrations.cc). A round "has a vote" when a
// votes_budget row names it (written with the vote's draft, sql_vote_store.cc).
//
// Layer: votes sql. Thread-safe, as storage::Db is.
#pragma once

#include "modules/votes/budget.h"
#include "modules/votes/sql/sql_vote_store.h"
#include "storage/db.h"

namespace gz::votes {

class SqlBudgetStore final : public BudgetStore {
 public:
  explicit SqlBudgetStore(storage::Db& db, AppendAuditFn append_audit = {});

  Status InsertRound(const BudgetRound& round, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<BudgetRound>> GetRound(int64_t id) override;
  Result<std::vector<BudgetRound>> ListRounds(const std::vector<std::string>& divisions, int limit) override;
  Status InsertProject(const BudgetProject& project, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<BudgetProject>> GetProject(int64_t id) override;
  Result<std::vector<BudgetProject>> ListProjects(int64_t round_id) override;
  Status Review(const BudgetProject& reviewed, const access::AuditEvent& event, int64_t now_ms) override;

 private:
  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::votes
