// The transparency module's port: what the log service needs from storage.
//
// Layer: transparency domain (no SQL here; sql/sql_log_store.h implements it on storage::Db).
// Appends do not go through this port: they happen inside other modules' write transactions with
// transparency::AppendEntryInTx (sql/log_sql.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "tlog/merkle.h"

namespace gz::transparency {

struct StoredEntry {
  int64_t index = 0;
  std::string village;  // 12 digits
  std::string entry;    // the entry bytes, as logged
};

struct SignedCheckpoint {
  int64_t size = 0;
  std::string note;  // the whole signed note (checkpoint text, blank line, signature lines)
  int64_t signed_at_ms = 0;
};

// One consistent, committed view of the log (a read transaction).
class LogReader {
 public:
  virtual ~LogReader() = default;
  // Number of entries committed.
  virtual Result<int64_t> Size() = 0;
  // Stored hashes by index (tlog/merkle.h numbering), in the order asked; kUnavailable
  // "tlog/tampered" if one is missing.
  virtual Result<std::vector<tlog::Hash>> ReadHashes(std::span<const int64_t> indexes) = 0;
  // Entries begin..end-1 in order.
  virtual Status ForEachEntry(int64_t begin, int64_t end, const std::function<Status(const StoredEntry&)>& each) = 0;
  // Every stored hash from index `begin` on, in index order.
  virtual Status ForEachStoredHash(int64_t begin, const std::function<Status(int64_t, const tlog::Hash&)>& each) = 0;
  virtual Result<std::optional<SignedCheckpoint>> LatestCheckpoint() = 0;
  virtual Result<std::optional<SignedCheckpoint>> CheckpointOfSize(int64_t size) = 0;
  // Every signed checkpoint, smallest size first.
  virtual Status ForEachCheckpoint(const std::function<Status(const SignedCheckpoint&)>& each) = 0;

  // ReadHashes as a tlog::HashReader.
  tlog::HashReader hash_reader() {
    return [this](std::span<const int64_t> indexes) { return ReadHashes(indexes); };
  }
};

class LogStore {
 public:
  virtual ~LogStore() = default;
  // Runs `fn` in a committed read snapshot.
  virtual Status Read(const std::function<Status(LogReader&)>& fn) = 0;
  // Keeps a signed checkpoint forever. Refuses (kFailedPrecondition "tlog/tampered") a size that
  // is not larger than the newest kept one or larger than the stored log.
  virtual Status SaveCheckpoint(const SignedCheckpoint& checkpoint) = 0;
};

}  // namespace gz::transparency
