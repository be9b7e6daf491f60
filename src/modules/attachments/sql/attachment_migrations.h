// Schema migrations of the attachments module (SQLite and PostgreSQL texts of one schema).
//
// Layer: attachments sql. app/ registers them after the audit migrations.
//
//   attachments_files    id | owner_type | owner_id | division_code | format | width | height
//                        | byte_size | sha256 | added_by | acting_for | consent_id | added_at_ms
//                        index (owner_type, owner_id, id)                    (never changed)
//   attachments_content  attachment_id -> attachments_files | sealed        (never changed)
//
// The bytes live in their own table so that listing an owner's files never reads them. Both
// tables refuse UPDATE and DELETE (triggers): an attachment is evidence, like the timeline entry
// that announced it. `sealed` is a FieldCipher envelope (BLOB / BYTEA, CHECKed to be at least an
// envelope long); there is no plaintext column for it.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::attachments {

const std::vector<storage::Migration>& AttachmentMigrations();

}  // namespace gz::attachments
