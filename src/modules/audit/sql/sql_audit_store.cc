// Layer: audit sql (see sql_audit_store.h).
#include "modules/audit/sql/sql_audit_store.h"

#include <algorithm>

#include "access/principal.h"

namespace gz::audit {
namespace {

using storage::Params;
using storage::Row;

constexpr std::string_view kColumns =
    "seq, at_ms, action, outcome, actor_account, acting_for_account, consent_id, roles, division, object_type, "
    "object_id, purpose, request_id, details, prev_hash, hash";

AuditRecord FromRow(const Row& row) {
  AuditRecord r;
  r.seq = row.Int(0);
  r.at_ms = row.Int(1);
  access::AuditEvent& e = r.event;
  e.action = row.Text(2);
  e.outcome = row.Text(3);
  e.actor_account = row.Int(4);
  e.acting_for_account = row.Int(5);
  e.consent_id = row.Int(6);
  e.roles = row.Text(7);
  e.division = row.Text(8);
  e.object_type = row.Text(9);
  e.object_id = row.Text(10);
  e.purpose = row.Text(11);
  e.request_id = row.Text(12);
  e.details = row.Text(13);
  r.prev_hash = row.Text(14);
  r.hash = row.Text(15);
  return r;
}


// LIKE pattern text for a literal: '\' escapes '%', '_' and itself (ESCAPE '\' in the SQL).
std::string LikeLiteral(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class SqlBuilder {
 public:
  std::string Param(storage::Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  void And(const std::string& condition) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += condition;
  }
  const std::string& where() const { return where_; }
  Params& params() { return params_; }

 private:
  std::string where_;
  Params params_;
};

Result<std::vector<AuditRecord>> Run(storage::Db& db, const std::string& sql, const Params& params) {
  std::vector<AuditRecord> out;
  GZ_RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, params));
    out.reserve(rs.rows.size());
    for (const Row& row : rs.rows) out.push_back(FromRow(row));
    return Status::Ok();
  }));
  return out;
}

}  // namespace

Result<std::vector<AuditRecord>> SqlAuditStore::Search(const AuditQuery& q) {
  if (q.limit < 1 || q.limit > kMaxStoreBatch + 1) return Internal("audit search limit out of range");
  if (q.divisions.size() > kMaxQueryDivisions) return Internal("audit search: too many divisions");
  SqlBuilder b;
  if (q.before_seq > 0) b.And("seq < " + b.Param(q.before_seq));
  if (q.from_ms) b.And("at_ms >= " + b.Param(*q.from_ms));
  if (q.to_ms) b.And("at_ms < " + b.Param(*q.to_ms));
  if (q.actor_account != 0) b.And("actor_account = " + b.Param(q.actor_account));
  if (q.acting_for_account != 0) b.And("acting_for_account = " + b.Param(q.acting_for_account));
  if (!q.action_prefix.empty()) b.And("action LIKE " + b.Param(LikeLiteral(q.action_prefix) + "%") + " ESCAPE '\\'");
  if (!q.action_suffixes.empty()) {
    std::string any;
    for (const std::string& suffix : q.action_suffixes) {
      if (!any.empty()) any += " OR ";
      any += "action LIKE " + b.Param("%" + LikeLiteral(suffix)) + " ESCAPE '\\'";
    }
    b.And("(" + any + ")");
  }
  if (!q.outcome.empty()) b.And("outcome = " + b.Param(q.outcome));
  if (!q.object_type.empty()) b.And("object_type = " + b.Param(q.object_type));
  if (!q.object_id.empty()) b.And("object_id = " + b.Param(q.object_id));
  if (q.narrow_by_division) {
    std::string any;
    for (const std::string& scope : q.divisions) {
      std::optional<std::pair<std::string, std::string>> range = access::ScopeRange(scope);
      if (!range) return Internal("audit search: division not canonical");
      const auto& [lo, hi] = *range;
      if (!any.empty()) any += " OR ";
      any += "division BETWEEN " + b.Param(lo) + " AND " + b.Param(hi);
    }
    if (q.include_unplaced) any += any.empty() ? "division = ''" : " OR division = ''";
    if (any.empty()) return std::vector<AuditRecord>{};
    b.And("(" + any + ")");
  }
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_records" + b.where() + " ORDER BY seq DESC LIMIT " +
                    b.Param(q.limit);
  return Run(db_, sql, b.params());
}

Result<std::vector<AuditRecord>> SqlAuditStore::ChainAfter(int64_t after_seq, int64_t limit) {
  if (limit < 1 || limit > kMaxStoreBatch) return Internal("audit chain batch out of range");
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2";
  return Run(db_, sql, {after_seq, limit});
}

Result<int64_t> SqlAuditStore::LastSeq() {
  int64_t last = 0;
  GZ_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT COALESCE(MAX(seq), 0) FROM audit_records"));
    if (!rs.empty()) last = rs.rows.front().Int(0);
    return Status::Ok();
  }));
  return last;
}

}  // namespace gz::audit
