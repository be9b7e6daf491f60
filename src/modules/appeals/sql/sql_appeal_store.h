// SqlAppealStore: the AppealStore port on storage::Db.
//
// Layer: appeals sql. The statements use $1..$n and SQL both dialects accept; the schema is in
// appeal_migrations.h (apply the audit migrations and AppealMigrations() first).
//
// One change = one Db::Write, in this order (audit_sql.h asks for the audit event last):
//   1. the sweep's key: INSERT INTO appeals_deadline_events ... ON CONFLICT DO NOTHING; no row
//      inserted -> kAlreadyExists "appeals/deadline-handled" (the whole change is rolled back);
//   2. the row: UPDATE appeals_appeals SET ... WHERE id = $1 AND version = <expected>; no row
//      changed -> kAborted "appeals/edit-conflict" (or kNotFound if the id does not exist). On
//      PostgreSQL the second of two concurrent updates waits for the first's row lock and then
//      finds the version changed; on SQLite writers are serialized;
//   3. the timeline entry (UNIQUE (appeal_id, seq) is a second guard: seq = the new version);
//   4. the inbox entries;
//   5. the photo the change adds, if any (attachments::InsertAttachmentInTx);
//   6. audit::AppendAuditInTx.
//
// Queries and their indexes:
//   ListDue     accept_due_ms <= now, NOT EXISTS event (id, 'accept', accept_round)   appeals_accept_due
//               answer_due_ms <= now in accepted / in_progress, idem                 appeals_answer_due
//               rating_due_ms <= now, idem with answer_round                         appeals_rating_due
//   List        village ranges of the reach OR submitter, ORDER BY id DESC          appeals_by_village / _by_submitter
//   LoadFacts / ForEachFact  village ranges AND submitted_at in [from, to)         appeals_rates (covering:
//               every column the rates read, so a county's million rows come from the index alone)
//   ListInbox   account / unit level + division range / supervised division range   appeals_inbox_by_*
// Thread-safe, as storage::Db is.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "modules/appeals/appeal_store.h"
#include "storage/db.h"

namespace gz::appeals {

// A statement the store runs, with its parameters: for tests that check its query plan
// (EXPLAIN QUERY PLAN) against the indexes it is meant to use.
struct StoreStatement {
  std::string sql;
  storage::Params params;
};
// The facts of the rates (ForEachFact, LoadFacts); nullopt when the query reaches no area.
std::optional<StoreStatement> FactsStatement(const FactsQuery& query);
// The open-appeal count of CountOpenBySubmitter.
StoreStatement CountOpenStatement(int64_t account, int64_t resident);

// Appends an audit event inside a write transaction: audit::AppendAuditInTx in production.
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlAppealStore final : public AppealStore {
 public:
  // `db` must outlive the store. `append_audit` defaults to audit::AppendAuditInTx.
  explicit SqlAppealStore(storage::Db& db, AppendAuditFn append_audit = {});

  Status Insert(const Change& change) override;
  Result<std::optional<SubmissionRecord>> FindSubmission(int64_t account, const std::string& key,
                                                         bool after_conflict) override;
  // Bulk loading (bench seeders, imports): what Insert does for each change, in one transaction,
  // the appeals and their timeline entries with multi-row INSERTs (100 rows a statement) instead
  // of a round trip per row. Only new appeals whose change carries no deadline event,
  // notification, attachment or submission key (kInternal otherwise); their audit events are appended as Insert
  // appends them.
  Status InsertMany(std::span<const Change> changes);
  Status Update(const Change& change) override;
  Result<std::optional<Appeal>> Get(int64_t id) override;
  Result<std::vector<TimelineEntry>> Timeline(int64_t appeal_id) override;
  Result<AppealPage> List(const AppealQuery& query) override;
  Result<int64_t> CountOpenBySubmitter(int64_t account, int64_t resident) override;
  Result<std::vector<DeadlineKey>> ListDue(int64_t now_ms, int limit) override;
  Result<std::vector<AppealFacts>> LoadFacts(const FactsQuery& query) override;
  Status ForEachFact(const FactsQuery& query, const std::function<Status(const AppealFacts&)>& each) override;
  Result<std::vector<Notification>> ListInbox(const InboxQuery& query) override;
  Status MarkRead(const InboxReach& reach, int64_t notification_id, int64_t by, int64_t now_ms) override;
  Status AddSupporter(int64_t appeal_id, int64_t account, const std::string& village, int64_t now_ms,
                      const Notification& notification, const access::AuditEvent& event) override;
  Result<std::vector<std::pair<int64_t, int64_t>>> SupporterCounts(const std::vector<int64_t>& appeal_ids) override;
  Result<bool> IsSupporter(int64_t appeal_id, int64_t account) override;
  Result<std::vector<DeadlineRule>> DeadlineRules(const std::vector<std::string>& scopes) override;
  Status PutDeadlineRule(const DeadlineRule& rule, const access::AuditEvent& event, int64_t now_ms) override;
  Status DeleteDeadlineRule(const std::string& scope, const std::string& category, const access::AuditEvent& event,
                            int64_t now_ms) override;
  Result<std::vector<UnitRule>> UnitRules(const std::vector<std::string>& scopes) override;
  Status PutUnitRule(const UnitRule& rule, const access::AuditEvent& event, int64_t now_ms) override;
  Status DeleteUnitRule(const std::string& scope, const std::string& category, const access::AuditEvent& event,
                        int64_t now_ms) override;

 private:
  Status WriteChange(storage::Tx& tx, const Change& change, bool insert);

  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::appeals
