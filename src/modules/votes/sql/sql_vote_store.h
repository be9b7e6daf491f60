// SqlVoteStore: the VoteStore port on storage::Db.
//
// Layer: votes sql. Statements use $1..$n and SQL both dialects accept; the schema is in
// vote_migrations.h (apply the audit and transparency migrations and VoteMigrations() first).
//
// Opening and closing are each ONE Db::Write: re-read the row (still a draft / still open),
// LogAppend(tx, village, entry) -- transparency::AppendEntryInTx in production, wired by
// src/app/application.cc -- then the UPDATE (guarded by the database's triggers) and the audit
// event. If any step fails, nothing is written: a vote is open if and only if its rules are in
// the log at the index stored on it, and closed if and only if its tally is.
//
// Casting is ONE Db::Write too; "one ballot per unit" is the participation table's primary key
// (INSERT ... ON CONFLICT DO NOTHING, then a check that a row was written), not a lock in this
// process, so it holds across threads, processes and (later) PostgreSQL connections.
// Thread-safe, as storage::Db is.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "modules/votes/vote_store.h"
#include "storage/db.h"

namespace gz::votes {

using LogAppend = std::function<Result<std::uint64_t>(storage::Tx&, std::string_view village_code, std::string_view entry)>;
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlVoteStore final : public VoteStore {
 public:
  // `db` must outlive the store. Without `log_append` opening and closing fail (kFailedPrecondition
  // "votes/no-log"). `append_audit` defaults to audit::AppendAuditInTx.
  SqlVoteStore(storage::Db& db, LogAppend log_append, AppendAuditFn append_audit = {});

  Status InsertDraft(const Vote& draft, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<Vote>> Get(int64_t id) override;
  Result<std::vector<Vote>> List(const std::string& village, bool with_drafts, int limit) override;
  Result<int64_t> Open(const Vote& opened, const std::vector<Elector>& electorate, const access::AuditEvent& event,
                       int64_t now_ms) override;
  Status Cast(const CastRecord& cast, const access::AuditEvent& event) override;
  Result<std::optional<Elector>> FindElector(int64_t vote_id, int64_t resident_id) override;
  Result<std::optional<Participation>> GetParticipation(int64_t vote_id, int64_t unit_id) override;
  Result<int64_t> ParticipationCount(int64_t vote_id) override;
  Result<std::vector<Choice>> Ballots(int64_t vote_id) override;
  Status PutPaperCount(int64_t vote_id, const PaperCount& count, const access::AuditEvent& event) override;
  Result<std::vector<PaperCount>> PaperCounts(int64_t vote_id) override;
  Result<Vote> Close(int64_t vote_id, const CloseFn& close, const access::AuditEvent& event, int64_t now_ms) override;
  Status AwaitEarlierWrites() override;

 private:
  storage::Db& db_;
  LogAppend log_append_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::votes
