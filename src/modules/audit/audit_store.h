// AuditStore: the port through which the audit trail is read. Writing goes through
// access::AuditSink and audit::AppendAuditInTx (sql/audit_sql.h), never through this port.
//
// Layer: audit domain. Implemented by sql/sql_audit_store.h on storage::Db.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "modules/audit/audit_record.h"

namespace gz::audit {

// Conditions that a record must meet to match; empty / zero / nullopt means "any".
struct AuditQuery {
  std::optional<int64_t> from_ms;     // at_ms >= from_ms
  std::optional<int64_t> to_ms;       // at_ms <  to_ms
  int64_t actor_account = 0;
  int64_t acting_for_account = 0;
  std::string action_prefix;          // lower-case [a-z0-9_.], e.g. "residents." or "auth.sign_in"
  std::vector<std::string> action_suffixes;  // any of them, e.g. {".reveal", ".read_personal"}
  std::string outcome;                // "ok" / "denied" / "failed"
  std::string object_type;
  std::string object_id;
  // Place: when `narrow_by_division`, a record matches only if its division lies in the subtree
  // of one of `divisions` (canonical 12-digit codes), or it has no division and
  // `include_unplaced` is set. Without `narrow_by_division` every place matches.
  bool narrow_by_division = false;
  std::vector<std::string> divisions;
  bool include_unplaced = false;
  // Keyset paging, newest first: only records with seq < before_seq (0: no bound).
  int64_t before_seq = 0;
  int64_t limit = 100;                // 1..kMaxStoreBatch
};

inline constexpr int64_t kMaxStoreBatch = 1000;
inline constexpr size_t kMaxQueryDivisions = 64;  // a principal holds a few grants, not hundreds

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Matching records, newest (highest seq) first, at most query.limit.
  virtual Result<std::vector<AuditRecord>> Search(const AuditQuery& query) = 0;
  // The chain in order: records with seq > after_seq, ascending, at most `limit` (<= kMaxStoreBatch).
  virtual Result<std::vector<AuditRecord>> ChainAfter(int64_t after_seq, int64_t limit) = 0;
  // The highest seq stored (0 when the trail is empty).
  virtual Result<int64_t> LastSeq() = 0;
};

}  // namespace gz::audit
