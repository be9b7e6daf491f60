// Layer: audit domain (see audit_trail.h).
#include "modules/audit/audit_trail.h"

#include <algorithm>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/log.h"
#include "crypto/secrets.h"
#include "modules/audit/problems.h"

namespace gz::audit {
namespace {

constexpr int64_t kVerifyBatch = 1000;
constexpr int64_t kScanBatch = 1000;

Status BadFilter(std::string_view field) {
  return InvalidArgument(std::string(problems::kBadFilter)).With("field", std::string(field));
}

bool ValidActionPrefix(std::string_view s) {
  if (s.size() > kMaxActionBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

// Drops scopes that lie inside another one of the list (and duplicates): fewer OR branches.
std::vector<std::string> Outermost(std::vector<std::string> scopes) {
  std::vector<std::string> out;
  for (size_t i = 0; i < scopes.size(); ++i) {
    bool covered = false;
    for (size_t j = 0; j < scopes.size() && !covered; ++j) {
      if (i == j) continue;
      if (scopes[i] == scopes[j]) covered = j < i;  // keep the first of equal scopes
      else covered = access::ScopeContains(scopes[j], scopes[i]);
    }
    if (!covered) out.push_back(scopes[i]);
  }
  return out;
}

void JsonString(std::string& out, std::string_view key, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += key;
  out += "\":\"";
  log::AppendJsonEscaped(out, value);
  out += '"';
}

void JsonInt(std::string& out, std::string_view key, int64_t value) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += key;
  out += "\":";
  out += std::to_string(value);
}

// The filter as the details of the usage record: ids and codes only, never personal data.
std::string FilterDetails(const AuditFilter& f, int64_t results, int64_t next_before_seq) {
  std::string out = "{";
  if (f.from_ms) JsonInt(out, "from_ms", *f.from_ms);
  if (f.to_ms) JsonInt(out, "to_ms", *f.to_ms);
  if (f.actor_account) JsonInt(out, "actor", f.actor_account);
  if (f.acting_for_account) JsonInt(out, "acting_for", f.acting_for_account);
  if (!f.action_prefix.empty()) JsonString(out, "action", f.action_prefix);
  if (!f.outcome.empty()) JsonString(out, "outcome", f.outcome);
  if (!f.object_type.empty()) JsonString(out, "object_type", f.object_type);
  if (!f.object_id.empty()) JsonString(out, "object_id", f.object_id);
  if (!f.division.empty()) JsonString(out, "division", f.division);
  if (f.before_seq) JsonInt(out, "before", f.before_seq);
  JsonInt(out, "results", results);
  if (next_before_seq) JsonInt(out, "truncated_before", next_before_seq);
  out += '}';
  return out;
}

}  // namespace

Status AuditTrail::RecordUsage(access::AuditEvent usage, const std::string& details) {
  usage.object_type = "audit_trail";
  usage.details = details.size() <= kMaxDetailsBytes ? details : std::string("{}");
  Status s = sink_.Append(usage);
  if (s.ok()) return s;
  return Unavailable(std::string(problems::kUnavailable), s.note());
}

Result<AuditPage> AuditTrail::Search(const AuditFilter& filter, access::AuditEvent usage) {
  GZ_ASSIGN_OR_RETURN(AuditPage page, Find(filter));
  GZ_RETURN_IF_ERROR(
      RecordUsage(std::move(usage), FilterDetails(filter, static_cast<int64_t>(page.items.size()), 0)));
  return page;
}

Result<ExportResult> AuditTrail::Export(const AuditFilter& filter, int64_t max_rows,
                                        const std::function<Status(const AuditRecord&)>& row,
                                        access::AuditEvent usage) {
  if (max_rows < 1) return BadFilter("limit");
  ExportResult result;
  GZ_ASSIGN_OR_RETURN(result.next_before_seq, Scan(filter, max_rows, [&](const AuditRecord& r) {
                        ++result.rows;
                        return row(r);
                      }));
  GZ_RETURN_IF_ERROR(RecordUsage(std::move(usage), FilterDetails(filter, result.rows, result.next_before_seq)));
  return result;
}

Result<VerifyReport> AuditTrail::Verify(access::AuditEvent usage) {
  GZ_ASSIGN_OR_RETURN(VerifyReport report, Verify());
  std::string details = "{";
  JsonString(details, "result", report.ok ? "ok" : report.reason);
  JsonInt(details, "records", report.records);
  if (!report.ok) JsonInt(details, "first_broken_seq", report.first_broken_seq);
  details += '}';
  GZ_RETURN_IF_ERROR(RecordUsage(std::move(usage), details));
  return report;
}

bool SeesUnplacedRecords(const std::string& scope) {
  return access::CanonicalScope(scope) == scope && scope.substr(0, 2) != "00" && scope.substr(6) == "000000";
}

Status ValidatePaging(int64_t before_seq, int64_t limit) {
  if (limit < 1 || limit > kMaxPageLimit) return BadFilter("limit");
  if (before_seq < 0) return BadFilter("before");
  return Status::Ok();
}

Result<AuditQuery> QueryFor(const AuditFilter& f) {
  GZ_RETURN_IF_ERROR(ValidatePaging(f.before_seq, f.limit));
  if (f.from_ms && *f.from_ms < 0) return BadFilter("from_ms");
  if (f.to_ms && *f.to_ms < 0) return BadFilter("to_ms");
  if (f.from_ms && f.to_ms && *f.from_ms > *f.to_ms) return BadFilter("to_ms");
  if (f.actor_account < 0) return BadFilter("actor");
  if (f.acting_for_account < 0) return BadFilter("acting_for");
  if (!ValidActionPrefix(f.action_prefix)) return BadFilter("action");
  if (!f.outcome.empty() && f.outcome != access::outcome::kOk && f.outcome != access::outcome::kDenied &&
      f.outcome != access::outcome::kFailed)
    return BadFilter("outcome");
  if (f.object_type.size() > kMaxObjectTypeBytes) return BadFilter("object_type");
  if (f.object_id.size() > kMaxObjectIdBytes) return BadFilter("object_id");
  std::string division;
  if (!f.division.empty()) {
    division = access::CanonicalScope(f.division);
    if (division.empty() || division.substr(0, 2) == "00") return BadFilter("division");
  }
  if (f.scopes.size() > kMaxQueryDivisions) return BadFilter("scopes");

  AuditQuery q;
  q.from_ms = f.from_ms;
  q.to_ms = f.to_ms;
  q.actor_account = f.actor_account;
  q.acting_for_account = f.acting_for_account;
  q.action_prefix = f.action_prefix;
  q.outcome = f.outcome;
  q.object_type = f.object_type;
  q.object_id = f.object_id;
  q.before_seq = f.before_seq;
  q.limit = f.limit;
  q.narrow_by_division = true;
  std::vector<std::string> reach;
  for (const std::string& s : f.scopes) {
    if (access::CanonicalScope(s) != s) continue;  // not a canonical code: reaches nothing
    if (division.empty()) {
      reach.push_back(s);
      if (SeesUnplacedRecords(s)) q.include_unplaced = true;
    } else if (access::ScopeContains(division, s)) {
      reach.push_back(s);   // the filter is wider than this scope: the scope bounds it
    } else if (access::ScopeContains(s, division)) {
      reach.push_back(division);  // the filter lies inside this scope
    }
  }
  q.divisions = Outermost(std::move(reach));
  return q;
}

Result<AuditPage> AuditTrail::Page(AuditQuery query) {
  AuditPage page;
  if (query.narrow_by_division && query.divisions.empty() && !query.include_unplaced) return page;
  const int64_t limit = query.limit;
  query.limit = limit + 1;  // one more tells whether another page follows
  GZ_ASSIGN_OR_RETURN(page.items, store_.Search(query));
  if (static_cast<int64_t>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_before_seq = page.items.back().seq;
  }
  return page;
}

Result<AuditPage> AuditTrail::Find(const AuditFilter& filter) {
  GZ_ASSIGN_OR_RETURN(AuditQuery query, QueryFor(filter));
  return Page(std::move(query));
}

Result<int64_t> AuditTrail::Scan(const AuditFilter& filter, int64_t max_rows,
                                 const std::function<Status(const AuditRecord&)>& row) {
  AuditFilter first = filter;
  first.limit = 1;  // validated like a search; the batch size is ours
  GZ_ASSIGN_OR_RETURN(AuditQuery query, QueryFor(first));
  if (query.narrow_by_division && query.divisions.empty() && !query.include_unplaced) return int64_t{0};
  int64_t emitted = 0;
  while (true) {
    query.limit = std::min<int64_t>(kScanBatch, max_rows - emitted + 1);
    GZ_ASSIGN_OR_RETURN(std::vector<AuditRecord> batch, store_.Search(query));
    for (const AuditRecord& r : batch) {
      if (emitted == max_rows) return r.seq + 1;  // more left: continue below the last one sent
      GZ_RETURN_IF_ERROR(row(r));
      ++emitted;
    }
    if (static_cast<int64_t>(batch.size()) < query.limit) return int64_t{0};
    query.before_seq = batch.back().seq;
  }
}

Result<VerifyReport> AuditTrail::Verify() {
  std::lock_guard<std::mutex> lock(verify_mutex_);
  VerifyReport report;
  GZ_ASSIGN_OR_RETURN(int64_t head, store_.LastSeq());
  int64_t last_seq = 0;
  int64_t last_at_ms = 0;
  std::string last_hash = GenesisHash();
  auto broken = [&](int64_t seq, std::string reason) {
    report.ok = false;
    report.first_broken_seq = seq;
    report.reason = std::move(reason);
    return report;
  };
  while (last_seq < head) {
    GZ_ASSIGN_OR_RETURN(std::vector<AuditRecord> batch,
                        store_.ChainAfter(last_seq, std::min(kVerifyBatch, head - last_seq)));
    if (batch.empty()) return broken(last_seq + 1, "gap");
    for (const AuditRecord& r : batch) {
      if (r.seq > head) break;
      if (r.seq != last_seq + 1) return broken(last_seq + 1, "gap");
      if (r.prev_hash != last_hash) return broken(r.seq, "prev-mismatch");
      if (ChainHash(r) != r.hash) return broken(r.seq, "hash-mismatch");
      if (r.seq > 1 && r.at_ms < last_at_ms) return broken(r.seq, "time-went-back");
      last_seq = r.seq;
      last_at_ms = r.at_ms;
      last_hash = r.hash;
      ++report.records;
      report.head_seq = r.seq;
    }
  }
  if (report.head_seq > 0) report.head_hash = crypto::HexEncode(last_hash);
  return report;
}

Result<AuditPage> AuditTrail::ReadsOfResident(int64_t resident_id, int64_t before_seq, int64_t limit) {
  GZ_RETURN_IF_ERROR(ValidatePaging(before_seq, limit));
  AuditPage none;
  if (resident_id <= 0) return none;
  AuditQuery q;
  q.object_type = "resident";
  q.object_id = std::to_string(resident_id);
  q.action_suffixes = {".reveal", ".read_personal"};
  q.outcome = access::outcome::kOk;  // a refused read read nothing
  q.before_seq = before_seq;
  q.limit = limit;
  return Page(std::move(q));
}

Result<AuditPage> AuditTrail::ActedFor(int64_t account, int64_t before_seq, int64_t limit) {
  GZ_RETURN_IF_ERROR(ValidatePaging(before_seq, limit));
  AuditPage none;
  if (account <= 0) return none;
  AuditQuery q;
  q.acting_for_account = account;
  q.before_seq = before_seq;
  q.limit = limit;
  return Page(std::move(q));
}

}  // namespace gz::audit
