// SqlConsentStore: the ConsentStore port and access::ConsentLookup on storage::Db.
//
// Layer: consents sql. The statements use $1..$n and SQL both dialects accept; the schema is in
// consent_migrations.h (apply ConsentMigrations() and the audit migrations first).
//
// Queries and the indexes they use:
//   FindActive   helper = $1 AND villager = $2 AND revoked_at IS NULL AND
//                valid_from <= $3 AND valid_until > $3             consents_active_pair (partial)
//   Insert       the overlap check (same predicate shape)          consents_active_pair
//   Get          id = $1                                           primary key
//   List         reach (village ranges OR villager/helper = party)
//                + filters, ORDER BY id DESC                        consents_by_village / _by_villager / _by_helper
// Insert and Revoke append their audit event in the same write transaction (as its last
// statement, as audit_sql.h asks). Thread-safe, as storage::Db is.
#pragma once

#include <functional>

#include "access/consent_lookup.h"
#include "modules/consents/consent_store.h"
#include "storage/db.h"

namespace gz::consents {

// Appends an audit event inside a write transaction: audit::AppendAuditInTx in production.
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlConsentStore final : public ConsentStore, public access::ConsentLookup {
 public:
  // `db` must outlive the store. `append_audit` defaults to audit::AppendAuditInTx.
  explicit SqlConsentStore(storage::Db& db, AppendAuditFn append_audit = {});

  Status Insert(const Consent& consent, const std::optional<SealedEvidence>& evidence, const access::AuditEvent& event,
                int64_t now_ms) override;
  Result<std::optional<Consent>> Get(int64_t id) override;
  Result<std::optional<SealedEvidence>> GetEvidence(int64_t consent_id) override;
  Result<ConsentPage> List(const ConsentQuery& query) override;
  Status Revoke(int64_t id, int64_t by, const std::string& reason, int64_t now_ms,
                const access::AuditEvent& event) override;

  Status InsertChallenge(const SmsChallenge& challenge, const access::AuditEvent& event, int64_t now_ms) override;
  Result<std::optional<SmsChallenge>> GetChallenge(int64_t id) override;
  Result<int> CountWrongCode(int64_t id, const access::AuditEvent& event, int64_t now_ms) override;
  Status ConsumeChallenge(int64_t challenge_id, const Consent& consent, const access::AuditEvent& event,
                          int64_t now_ms) override;

  // access::ConsentLookup: one indexed query per acted-for request.
  Result<std::optional<access::ActiveConsent>> FindActive(int64_t helper_account, int64_t villager_account,
                                                          int64_t now_ms) override;

 private:
  Status InsertConsentInTx(storage::Tx& tx, const Consent& consent, const std::optional<SealedEvidence>& evidence);

  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::consents
