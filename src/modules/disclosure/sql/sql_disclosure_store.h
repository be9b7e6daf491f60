// SqlDisclosureStore: the DisclosureStore port on storage::Db.
//
// Layer: disclosure sql. Statements use $1..$n and SQL both dialects accept; the schema is in
// disclosure_migrations.h (apply the audit migrations and DisclosureMigrations() first).
//
// Publishing is ONE Db::Write, in this order:
//   1. re-read the row: still a draft (else kAborted "disclosure/not-a-draft");
//   2. LogAppend(tx, village, entry): the transparency log's append in the SAME transaction
//      (transparency::AppendEntryInTx in production, wired by src/app/application.cc); it
//      returns the entry's index;
//   3. UPDATE ... SET state = 'published', entry, log_index, ... WHERE id AND state = 'draft'
//      (the trigger allows exactly this change of a draft and nothing on a published row);
//   4. audit::AppendAuditInTx.
// If any step fails the whole transaction rolls back: an item is published if and only if its
// entry is in the log at the index stored on it.
// Thread-safe, as storage::Db is.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "modules/disclosure/disclosure_store.h"
#include "storage/db.h"

namespace gz::disclosure {

// The transparency log's append (the interface agreed with h/tlog: /work/tlog-interface.md).
using LogAppend = std::function<Result<std::uint64_t>(storage::Tx&, std::string_view village_code, std::string_view entry)>;
// Appends an audit event inside a write transaction: audit::AppendAuditInTx in production.
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlDisclosureStore final : public DisclosureStore {
 public:
  // `db` must outlive the store. Without `log_append` publishing fails (kFailedPrecondition
  // "disclosure/no-log"): an item must never be published outside the log. `append_audit`
  // defaults to audit::AppendAuditInTx.
  SqlDisclosureStore(storage::Db& db, LogAppend log_append, AppendAuditFn append_audit = {});

  // False until a transparency log is wired in (publishing then fails).
  bool HasLog() const { return static_cast<bool>(log_append_); }

  Status InsertDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) override;
  Status UpdateDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) override;
  Status DeleteDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) override;
  Result<int64_t> Publish(const Item& published, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<Item>> Get(int64_t id) override;
  Result<std::vector<int64_t>> CorrectedBy(int64_t id) override;
  Result<std::vector<Item>> List(const ItemQuery& query) override;
  Result<Cadence> GetCadence(const std::string& village) override;
  Status SetCadence(const std::string& village, Cadence cadence, int64_t by, const access::AuditEvent& event,
                    int64_t now_ms) override;
  Status InsertQuestion(const Question& q, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<Question>> GetQuestion(int64_t id) override;
  Result<std::vector<Question>> Questions(int64_t item_id) override;
  Status Answer(int64_t question_id, const std::string& answer, int64_t by, int64_t now_ms,
                const access::AuditEvent& event) override;
  Result<std::vector<Question>> DueForEscalation(int64_t asked_before_ms, int limit) override;
  Status MarkEscalated(int64_t question_id, int64_t appeal_id, int64_t now_ms, const access::AuditEvent& event) override;

 private:
  storage::Db& db_;
  LogAppend log_append_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::disclosure
