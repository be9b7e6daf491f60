// SqlDeliberationStore: the DeliberationStore port on storage::Db.
//
// Layer: deliberation sql. Statements use $1..$n and SQL both dialects accept; the schema is in
// deliberation_migrations.h (apply the audit migrations first). Every change and its audit
// event are one Db::Write. Thread-safe, as storage::Db is.
#pragma once

#include <functional>

#include "modules/deliberation/deliberation_store.h"
#include "storage/db.h"

namespace gz::deliberation {

using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlDeliberationStore final : public DeliberationStore {
 public:
  // `db` must outlive the store; `append_audit` defaults to audit::AppendAuditInTx.
  explicit SqlDeliberationStore(storage::Db& db, AppendAuditFn append_audit = {});
  Status AppendAudit(const access::AuditEvent& event, int64_t now_ms) override;

  Result<std::optional<ChainSetting>> GetChain(const std::string& scope) override;
  Status PutChain(const ChainSetting& setting, const access::AuditEvent& event, int64_t now_ms) override;
  Result<VillageSettings> GetSettings(const std::string& village) override;
  Status PutSettings(const VillageSettings& s, int64_t by, const access::AuditEvent& event, int64_t now_ms) override;
  Status InsertMatter(const Matter& m, const std::optional<MatterFromProposal>& from, const access::AuditEvent& event,
                      int64_t now_ms) override;
  Result<std::optional<Matter>> GetMatter(int64_t id) override;
  Result<std::vector<Matter>> ListMatters(const std::string& village, int64_t before_id, int limit) override;
  Status UpdateMatter(const Matter& m, int64_t expected_version, const access::AuditEvent& event, int64_t now_ms) override;
  Status InsertMeeting(const Meeting& m, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::vector<Meeting>> Meetings(int64_t matter_id) override;
  Status InsertPublication(const Publication& p, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::vector<Publication>> Publications(int64_t matter_id) override;
  Status InsertSpending(const Spending& s, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::vector<Spending>> SpendingOf(int64_t matter_id) override;
  Result<std::vector<Spending>> FlaggedSpending(const std::string& first_code, const std::string& last_code,
                                                int limit) override;
  Status InsertProposal(const Proposal& p, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<Proposal>> GetProposal(int64_t id) override;
  Result<std::vector<Proposal>> ListProposals(const std::string& village, int64_t before_id, int limit) override;
  Result<Proposal> Support(int64_t proposal_id, int64_t account, int answer_days, const access::AuditEvent& event,
                           int64_t now_ms) override;
  Status AnswerProposal(int64_t id, const std::string& answer, int64_t by, const access::AuditEvent& event,
                        int64_t now_ms) override;
  Result<std::vector<Proposal>> DueForEscalation(int64_t now_ms, int limit) override;
  Status MarkEscalated(int64_t id, int64_t appeal_id, const access::AuditEvent& event, int64_t now_ms) override;
  Status InsertComment(const Comment& c, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<Comment>> GetComment(int64_t id) override;
  Result<std::vector<Comment>> Comments(int64_t proposal_id) override;
  Status HideComment(int64_t id, const std::string& reason, int64_t by, const access::AuditEvent& event,
                     int64_t now_ms) override;

 private:
  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::deliberation
