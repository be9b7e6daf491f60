// Schema migrations of the consents module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: consents sql. app/ registers them after the audit migrations (every change here appends
// to audit_records in the same transaction) and after identity's, if present.
//
//   consents_consents  id | villager_account | helper_account | village_code | actions (space-separated,
//                      sorted) | valid_from_ms | valid_until_ms | method | evidence_sha256? |
//                      evidence_media_type? | evidence_bytes? | call_at_ms? | recorded_by | recorded_at_ms |
//                      revoked_at_ms? | revoked_by? | revoke_reason?
//                      Never edited: a trigger refuses any UPDATE but the one that revokes it, and DELETE.
//   consents_evidence  consent_id -> consents_consents | kind (image | attestation) | content_sealed
//                      (FieldCipher envelope; never updated)
//
// Account ids are not foreign keys: accounts belong to the identity module, which may live in
// another schema one day; the consent keeps the ids it was given, as the audit trail does.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::consents {

const std::vector<storage::Migration>& ConsentMigrations();

}  // namespace gz::consents
