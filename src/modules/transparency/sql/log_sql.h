// Appending to the transparency log inside a caller's write transaction, the log's migrations,
// and the SQL implementation of the LogStore port.
//
// Layer: transparency sql (storage::Db only; no backend, no HTTP).
//
// Tables (sql/log_sql.cc has both dialects):
//   tlog_entries      idx (PK, 0..n-1, dense) | village (12 digits) | entry (BLOB, 1..65535 bytes)
//   tlog_hashes       idx (PK, Go tlog stored-hash numbering) | hash (32 bytes)
//   tlog_checkpoints  size (PK) | note (the signed note) | signed_at_ms   -- kept forever
//   tlog_lock         one row; PostgreSQL appenders lock it (SELECT ... FOR UPDATE)
// All append-only: triggers refuse UPDATE and DELETE. Tampering behind the triggers' back is what
// the signed checkpoints, the start-up self-check and `gongzhi verify` detect.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/transparency/log_store.h"
#include "storage/db.h"
#include "storage/migrate.h"

namespace gz::transparency {

const std::vector<storage::Migration>& TransparencyMigrations();

// Appends one entry to the log inside the caller's write transaction (same pattern as
// audit::AppendAuditInTx). Returns the entry's index (0-based, dense). entry.size() must be
// 1..65535 bytes (tlog-tiles entry bundles carry a 2-byte length), else kInvalidArgument.
// village_code is 12 digits (the entry's village; stored beside the entry for listing).
// The entry becomes part of a signed checkpoint shortly after the transaction commits.
// It computes and stores the stored hashes the new leaf completes in the same transaction.
// Writes are serialized (SQLite: one writer; PostgreSQL: tlog_lock), so indexes are dense.
// Append it as late as possible in the transaction (PostgreSQL holds the lock until commit).
Result<std::uint64_t> AppendEntryInTx(storage::Tx& tx, std::string_view village_code, std::string_view entry);

// Called after every successful AppendEntryInTx (before the caller's commit): the composition
// root points it at the signer's Poke(). Set once at start-up, before any append.
void SetAppendListener(std::function<void()> listener);

class SqlLogStore final : public LogStore {
 public:
  explicit SqlLogStore(storage::Db& db) : db_(db) {}
  Status Read(const std::function<Status(LogReader&)>& fn) override;
  Status SaveCheckpoint(const SignedCheckpoint& checkpoint) override;

 private:
  storage::Db& db_;
};

}  // namespace gz::transparency
