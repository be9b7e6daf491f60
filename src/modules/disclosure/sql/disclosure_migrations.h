// Schema migrations of the disclosure module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: disclosure sql. app/ registers them after the audit migrations.
//
//   disclosure_items      id | village_code | kind | period | title | body_json | recipients_sealed?
//                         | attachments (JSON array of hex SHA-256) | corrects_id? | correction_reason
//                         | state (draft|published) | drafted_by | drafted_at_ms | published_by?
//                         | published_at_ms? | publisher_role? | entry? | log_index? (UNIQUE)
//       A published row is FROZEN: triggers refuse any UPDATE or DELETE of a row whose state is
//       'published', and the only UPDATE of a draft they allow is its publication (the drafted
//       fields unchanged). CHECKs: published exactly with entry, log index, time and publisher;
//       the publisher is never the drafter (maker-checker, enforced by the database too).
//   disclosure_questions  id | item_id -> items | village_code | asked_by | text | asked_at_ms
//                         | answer? | answered_by | answered_at_ms? | appeal_id? | escalated_at_ms?
//       Never deleted; the answer and the escalation are each set once, and not both.
//   disclosure_settings   village_code PRIMARY KEY | cadence | set_by | set_at_ms
//
// Personal data: recipients_sealed is a FieldCipher envelope (the recipients as entered); the
// public body holds only masked names and ID numbers. Questions are public by design.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::disclosure {

const std::vector<storage::Migration>& DisclosureMigrations();

}  // namespace gz::disclosure
