// Layer: consents sql (see sql_consent_store.h).
#include "modules/consents/sql/sql_consent_store.h"

#include <algorithm>

#include "access/principal.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/consents/problems.h"

namespace gz::consents {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kColumns =
    "id, villager_account, helper_account, village_code, actions, valid_from_ms, valid_until_ms, method, "
    "evidence_sha256, evidence_media_type, evidence_bytes, call_at_ms, recorded_by, recorded_at_ms, "
    "revoked_at_ms, revoked_by, revoke_reason";

constexpr std::string_view kInsert =
    "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, valid_from_ms, "
    "valid_until_ms, method, evidence_sha256, evidence_media_type, evidence_bytes, call_at_ms, recorded_by, "
    "recorded_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

// The shape consents_active_pair serves: equality on (helper, villager), the partial index's own
// predicate, and a range on valid_until.
constexpr std::string_view kFindActive =
    "SELECT id, actions FROM consents_consents WHERE helper_account = $1 AND villager_account = $2 "
    "AND revoked_at_ms IS NULL AND valid_until_ms > $3 AND valid_from_ms <= $3 ORDER BY id DESC";

constexpr std::string_view kOverlapping =
    "SELECT id FROM consents_consents WHERE helper_account = $1 AND villager_account = $2 "
    "AND revoked_at_ms IS NULL AND valid_until_ms > $3 AND valid_from_ms < $4 ORDER BY id LIMIT 1";

constexpr size_t kMaxScopes = 64;

std::string JoinActions(const std::vector<std::string>& actions) {
  std::string out;
  for (const std::string& a : actions) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

std::vector<std::string> SplitActions(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Value OptionalInt(const std::optional<int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

Result<Consent> ConsentFromRow(const Row& row) {
  Consent c;
  c.id = row.Int(0);
  c.villager_account = row.Int(1);
  c.helper_account = row.Int(2);
  c.village = row.Text(3);
  c.actions = SplitActions(row.Text(4));
  c.valid_from_ms = row.Int(5);
  c.valid_until_ms = row.Int(6);
  std::optional<Method> method = ParseMethod(row.Text(7));
  if (!method) return Internal("consents_consents.method unknown");
  c.method = *method;
  if (!row.IsNull(8)) c.evidence = EvidenceInfo{row.Text(9), row.Text(8), row.Int(10)};
  c.call_at_ms = row.OptionalInt(11);
  c.recorded_by = row.Int(12);
  c.recorded_at_ms = row.Int(13);
  c.revoked_at_ms = row.OptionalInt(14);
  c.revoked_by = row.Int(15);
  c.revoke_reason = row.Text(16);
  return c;
}


// Builds "$n" placeholders as values are added.
struct ParamList {
  Params values;
  std::string Add(Value v) {
    values.push_back(std::move(v));
    std::string placeholder = "$";
    placeholder += std::to_string(values.size());
    return placeholder;
  }
};

}  // namespace

SqlConsentStore::SqlConsentStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(append_audit ? std::move(append_audit) : AppendAuditFn(&audit::AppendAuditInTx)) {}

Status SqlConsentStore::Insert(const Consent& c, const std::optional<SealedEvidence>& evidence,
                               const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(InsertConsentInTx(tx, c, evidence));
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlConsentStore::InsertConsentInTx(Tx& tx, const Consent& c, const std::optional<SealedEvidence>& evidence) {
  // SQLite has one writer, so the check below cannot race; PostgreSQL's READ COMMITTED could let
  // two transactions both see "no overlap": they queue on a lock per villager instead.
  if (tx.dialect() == storage::Dialect::kPostgres)
    GZ_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS l", {c.villager_account}).status());
  GZ_ASSIGN_OR_RETURN(storage::ResultSet overlap,
                      tx.Query(kOverlapping, {c.helper_account, c.villager_account, c.valid_from_ms, c.valid_until_ms}));
  if (!overlap.empty())
    return AlreadyExists(std::string(problems::kOverlappingConsent))
        .With("consent", std::to_string(overlap.rows.front().Int(0)));
  Params p = {c.id,
              c.villager_account,
              c.helper_account,
              c.village,
              JoinActions(c.actions),
              c.valid_from_ms,
              c.valid_until_ms,
              std::string(MethodCode(c.method)),
              c.evidence ? Value(c.evidence->sha256) : Value(nullptr),
              c.evidence ? Value(c.evidence->media_type) : Value(nullptr),
              c.evidence ? Value(c.evidence->bytes) : Value(nullptr),
              OptionalInt(c.call_at_ms),
              c.recorded_by,
              c.recorded_at_ms};
  GZ_RETURN_IF_ERROR(tx.Exec(kInsert, p).status());
  if (evidence) {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO consents_evidence (consent_id, kind, content_sealed) VALUES ($1, $2, $3)",
                               {c.id, std::string(EvidenceKindCode(evidence->kind)), Blob{evidence->sealed}})
                           .status());
  }
  return Status::Ok();
}

Result<std::optional<Consent>> SqlConsentStore::Get(int64_t id) {
  std::optional<Consent> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kColumns) + " FROM consents_consents WHERE id = $1", {id}));
    if (rs.empty()) return Status::Ok();
    GZ_ASSIGN_OR_RETURN(out, ConsentFromRow(rs.rows.front()));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<SealedEvidence>> SqlConsentStore::GetEvidence(int64_t consent_id) {
  std::optional<SealedEvidence> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT kind, content_sealed FROM consents_evidence WHERE consent_id = $1", {consent_id}));
    if (rs.empty()) return Status::Ok();
    const Row& row = rs.rows.front();
    const std::string kind = row.Text(0);
    if (kind != "image" && kind != "attestation") return Internal("consents_evidence.kind unknown");
    out = SealedEvidence{kind == "image" ? SealedEvidence::Kind::kImage : SealedEvidence::Kind::kAttestation, row.Text(1)};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ConsentPage> SqlConsentStore::List(const ConsentQuery& q) {
  ConsentPage page;
  ParamList p;
  std::string reach;
  for (size_t i = 0; i < q.scopes.size() && i < kMaxScopes; ++i) {
    std::optional<std::pair<std::string, std::string>> range = access::ScopeRange(q.scopes[i]);
    if (!range) continue;
    if (!reach.empty()) reach += " OR ";
    reach += "village_code BETWEEN " + p.Add(range->first) + " AND " + p.Add(range->second);
  }
  if (q.party_account > 0) {
    if (!reach.empty()) reach += " OR ";
    const std::string party = p.Add(q.party_account);
    reach += "villager_account = " + party + " OR helper_account = " + party;
  }
  if (reach.empty()) return page;  // reaches nothing
  std::string where = " WHERE (" + reach + ")";
  if (!q.village.empty()) where += " AND village_code = " + p.Add(q.village);
  if (q.villager_account > 0) where += " AND villager_account = " + p.Add(q.villager_account);
  if (q.helper_account > 0) where += " AND helper_account = " + p.Add(q.helper_account);
  if (q.active) {
    const std::string now = p.Add(q.now_ms);
    const std::string active = "(revoked_at_ms IS NULL AND valid_from_ms <= " + now + " AND valid_until_ms > " + now + ")";
    where += *q.active ? " AND " + active : " AND NOT " + active;
  }
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet count, tx.Query("SELECT COUNT(*) FROM consents_consents" + where, p.values));
    page.total = count.rows.front().Int(0);
    ParamList paged = p;
    const std::string limit = paged.Add(static_cast<int64_t>(std::clamp(q.limit, 1, 200)));
    const std::string offset = paged.Add(std::max<int64_t>(0, q.offset));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kColumns) + " FROM consents_consents" + where +
                                     " ORDER BY id DESC LIMIT " + limit + " OFFSET " + offset,
                                 paged.values));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(Consent c, ConsentFromRow(row));
      page.items.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return page;
}

Status SqlConsentStore::Revoke(int64_t id, int64_t by, const std::string& reason, int64_t now_ms,
                               const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE consents_consents SET revoked_at_ms = $2, revoked_by = $3, revoke_reason = $4 "
                                "WHERE id = $1 AND revoked_at_ms IS NULL",
                                {id, now_ms, by, reason.empty() ? Value(nullptr) : Value(reason)}));
    if (changed == 0) {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT 1 FROM consents_consents WHERE id = $1", {id}));
      return rs.empty() ? NotFound(std::string(problems::kConsentNotFound))
                        : FailedPrecondition(std::string(problems::kAlreadyRevoked));
    }
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<access::ActiveConsent>> SqlConsentStore::FindActive(int64_t helper_account,
                                                                         int64_t villager_account, int64_t now_ms) {
  std::optional<access::ActiveConsent> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(kFindActive, {helper_account, villager_account, now_ms}));
    if (rs.empty()) return Status::Ok();
    // Overlaps are refused on insert, so there is one row; should rows written before that rule
    // (or around it) overlap, their actions are merged under the newest id, as the port says.
    access::ActiveConsent active;
    active.id = rs.rows.front().Int(0);
    for (const Row& row : rs.rows)
      for (std::string& a : SplitActions(row.Text(1))) active.actions.push_back(std::move(a));
    std::sort(active.actions.begin(), active.actions.end());
    active.actions.erase(std::unique(active.actions.begin(), active.actions.end()), active.actions.end());
    out = std::move(active);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace gz::consents

namespace gz::consents {
namespace {

constexpr std::string_view kChallengeColumns =
    "id, villager_account, helper_account, village_code, actions, valid_from_ms, valid_until_ms, code_index, "
    "attempts, requested_by, requested_at_ms, expires_at_ms, consent_id";

SmsChallenge ChallengeFromRow(const Row& row) {
  SmsChallenge c;
  c.id = row.Int(0);
  c.villager_account = row.Int(1);
  c.helper_account = row.Int(2);
  c.village = row.Text(3);
  c.actions = SplitActions(row.Text(4));
  c.valid_from_ms = row.Int(5);
  c.valid_until_ms = row.Int(6);
  c.code_index = row.Text(7);
  c.attempts = static_cast<int>(row.Int(8));
  c.requested_by = row.Int(9);
  c.requested_at_ms = row.Int(10);
  c.expires_at_ms = row.Int(11);
  c.consent_id = row.IsNull(12) ? 0 : row.Int(12);
  return c;
}

Result<std::optional<SmsChallenge>> ReadChallenge(Tx& tx, int64_t id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                      tx.Query("SELECT " + std::string(kChallengeColumns) + " FROM consents_sms_challenges WHERE id = $1",
                               {id}));
  if (rs.empty()) return std::optional<SmsChallenge>();
  return std::optional<SmsChallenge>(ChallengeFromRow(rs.rows.front()));
}

Status RateLimited(int limit, std::string_view per) {
  return Status(Code::kRateLimited, std::string(problems::kSmsRateLimited))
      .With("limit", std::to_string(limit))
      .With("per", std::string(per));
}

// Why a challenge read inside a transaction can no longer be answered, or OK.
Status Unanswerable(const SmsChallenge& c, int64_t now_ms) {
  if (c.consent_id != 0) return FailedPrecondition(std::string(problems::kSmsCodeUsed));
  if (c.attempts >= kSmsCodeAttempts) return FailedPrecondition(std::string(problems::kSmsCodeExhausted));
  if (now_ms >= c.expires_at_ms) return FailedPrecondition(std::string(problems::kSmsCodeExpired));
  return Status::Ok();
}

}  // namespace

Status SqlConsentStore::InsertChallenge(const SmsChallenge& c, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    if (tx.dialect() == storage::Dialect::kPostgres)
      GZ_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS l", {c.villager_account}).status());
    const int64_t since = now_ms - kHourMs;
    GZ_ASSIGN_OR_RETURN(storage::ResultSet by_villager,
                        tx.Query("SELECT COUNT(*) FROM consents_sms_challenges WHERE villager_account = $1 "
                                 "AND requested_at_ms > $2",
                                 {c.villager_account, since}));
    if (by_villager.rows.front().Int(0) >= kSmsPerVillagerPerHour) return RateLimited(kSmsPerVillagerPerHour, "villager");
    GZ_ASSIGN_OR_RETURN(storage::ResultSet by_requester,
                        tx.Query("SELECT COUNT(*) FROM consents_sms_challenges WHERE requested_by = $1 "
                                 "AND requested_at_ms > $2",
                                 {c.requested_by, since}));
    if (by_requester.rows.front().Int(0) >= kSmsPerRequesterPerHour)
      return RateLimited(kSmsPerRequesterPerHour, "requester");
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO consents_sms_challenges (" + std::string(kChallengeColumns) +
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL)",
                               {c.id, c.villager_account, c.helper_account, c.village, JoinActions(c.actions),
                                c.valid_from_ms, c.valid_until_ms, Blob{c.code_index}, int64_t{c.attempts},
                                c.requested_by, c.requested_at_ms, c.expires_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<SmsChallenge>> SqlConsentStore::GetChallenge(int64_t id) {
  std::optional<SmsChallenge> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, ReadChallenge(tx, id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int> SqlConsentStore::CountWrongCode(int64_t id, const access::AuditEvent& event, int64_t now_ms) {
  int attempts = 0;
  Status s = db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SmsChallenge> c, ReadChallenge(tx, id));
    if (!c) return NotFound(std::string(problems::kChallengeNotFound));
    if (c->consent_id != 0) return FailedPrecondition(std::string(problems::kSmsCodeUsed));
    if (c->attempts >= kSmsCodeAttempts) return FailedPrecondition(std::string(problems::kSmsCodeExhausted));
    // The version check: only the attempt count read above may be raised by one.
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE consents_sms_challenges SET attempts = attempts + 1 WHERE id = $1 "
                                "AND attempts = $2 AND consent_id IS NULL",
                                {id, int64_t{c->attempts}}));
    if (changed != 1) return Status(Code::kAborted, "storage/conflict", "challenge changed concurrently");
    attempts = c->attempts + 1;
    return append_audit_(tx, event, now_ms);
  });
  if (!s.ok()) return s;
  return attempts;
}

Status SqlConsentStore::ConsumeChallenge(int64_t challenge_id, const Consent& consent, const access::AuditEvent& event,
                                         int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SmsChallenge> c, ReadChallenge(tx, challenge_id));
    if (!c) return NotFound(std::string(problems::kChallengeNotFound));
    GZ_RETURN_IF_ERROR(Unanswerable(*c, now_ms));
    GZ_RETURN_IF_ERROR(InsertConsentInTx(tx, consent, std::nullopt));
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE consents_sms_challenges SET consent_id = $2 WHERE id = $1 AND consent_id IS NULL "
                                "AND attempts = $3",
                                {challenge_id, consent.id, int64_t{c->attempts}}));
    if (changed != 1) return FailedPrecondition(std::string(problems::kSmsCodeUsed));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::consents
