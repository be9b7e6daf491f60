// AuditTrail: searching and verifying the audit trail, and the two views a villager has of it.
//
// Layer: audit domain. Reads through AuditStore; knows nothing of HTTP or SQL. Authorization is
// the caller's job (api/ narrows with access::ReachFor and passes the scopes in the filter); the
// service only applies the rules of what each view contains.
//
// Action names (the convention every module follows; README.md lists them):
//   "<module>.<verb>"  lower-case letters, digits and '_', e.g. "accounts.grant", "auth.sign_in";
//   personal-data reads in clear: "residents.reveal" (one field shown in full with a purpose) or
//   "<module>.read_personal" (any other read that returns personal data in clear), with
//   object_type "resident" and object_id = the resident id in decimal, so ReadsOfResident finds them.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/audit/audit_store.h"

namespace gz::audit {

inline constexpr int64_t kMaxPageLimit = 500;
inline constexpr int64_t kDefaultPageLimit = 100;

// What an auditor asks for. Validated by Search(); the api fills it from the query string.
struct AuditFilter {
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  int64_t actor_account = 0;
  int64_t acting_for_account = 0;
  std::string action_prefix;
  std::string outcome;
  std::string object_type;
  std::string object_id;
  // The caller's reach (canonical scopes). Required: a search without any scope finds nothing.
  std::vector<std::string> scopes;
  // Optional narrowing inside the reach: only records of this division's subtree.
  std::string division;
  int64_t before_seq = 0;
  int64_t limit = kDefaultPageLimit;  // 1..kMaxPageLimit
};

struct AuditPage {
  std::vector<AuditRecord> items;  // newest first
  int64_t next_before_seq = 0;     // pass as before_seq for the next page; 0: no more
};

struct VerifyReport {
  bool ok = true;
  int64_t records = 0;           // records checked (the whole chain as of the start)
  int64_t first_broken_seq = 0;  // 0 when ok
  std::string reason;            // "" | "gap" | "prev-mismatch" | "hash-mismatch" | "time-went-back"
  int64_t head_seq = 0;          // the last record checked, and its hash (hex): an auditor may
  std::string head_hash;         // write them down elsewhere to detect a later truncation
};

// True when a record without a division (sign-ins, function-level denials, ...) is visible to
// the holder of `scope`: a county or wider. Such records are deployment-wide, and a deployment
// serves one county; a township or village auditor sees only the records of places.
bool SeesUnplacedRecords(const std::string& scope);

// Validates the filter (kInvalidArgument "audit/bad-filter", argument "field") and turns it into
// a store query: the scopes become the division condition, intersected with `division`.
Result<AuditQuery> QueryFor(const AuditFilter& filter);

struct ExportResult {
  int64_t rows = 0;
  int64_t next_before_seq = 0;  // non-zero: the export stopped at max_rows; continue below this seq
};

// Using the trail is itself audited: Search, Export and Verify append `usage` (an event the caller
// built with access::EventFor(principal, "audit.search" / "audit.export" / "audit.verify")) with
// the filter and the number of results in its details, BEFORE the results are handed back. If
// that record cannot be written the call fails with kUnavailable "audit/unavailable" and returns
// nothing (fail closed).
class AuditTrail {
 public:
  // `store` and `sink` must outlive the service. Thread-safe.
  AuditTrail(AuditStore& store, access::AuditSink& sink) : store_(store), sink_(sink) {}

  Result<AuditPage> Search(const AuditFilter& filter, access::AuditEvent usage);

  // Calls `row` for every matching record, newest first, at most `max_rows`; reads the store in
  // batches so memory stays bounded whatever the size of the trail. `row` should only buffer:
  // what it produced may be released only once Export returns OK (the usage record is written last).
  Result<ExportResult> Export(const AuditFilter& filter, int64_t max_rows,
                              const std::function<Status(const AuditRecord&)>& row, access::AuditEvent usage);

  // Recomputes the whole chain from seq 1 (T-INTEG): every seq present and consecutive, each
  // prev_hash equal to the previous hash, each hash equal to the hash of the record's content, time
  // never going back. Streams in batches (bounded memory). One verification at a time.
  Result<VerifyReport> Verify();
  Result<VerifyReport> Verify(access::AuditEvent usage);  // the same, and audited

  // Reads of the personal data of resident `resident_id` (object_type "resident", actions
  // "*.reveal" and "*.read_personal"), newest first.
  Result<AuditPage> ReadsOfResident(int64_t resident_id, int64_t before_seq, int64_t limit);

  // Everything done by a helper in the name of `account` (acting_for_account = account), newest first.
  Result<AuditPage> ActedFor(int64_t account, int64_t before_seq, int64_t limit);

 private:
  Result<AuditPage> Find(const AuditFilter& filter);  // Search without the usage record
  Result<AuditPage> Page(AuditQuery query);
  Result<int64_t> Scan(const AuditFilter& filter, int64_t max_rows,
                       const std::function<Status(const AuditRecord&)>& row);
  Status RecordUsage(access::AuditEvent usage, const std::string& details);
  AuditStore& store_;
  access::AuditSink& sink_;
  std::mutex verify_mutex_;
};

// Validates paging parameters (kInvalidArgument "audit/bad-filter" naming "limit" or "before").
Status ValidatePaging(int64_t before_seq, int64_t limit);

}  // namespace gz::audit
