// Schema migrations of the appeals module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: appeals sql. app/ registers them after the audit migrations (every change here appends
// to audit_records in the same transaction).
//
//   appeals_appeals          id | county_code | village_code | submitter_account | submitter_resident
//                            | recorded_by | consent_id | channel | category | unit_level | unit_division
//                            | unit_department | escalated_level? | escalated_division? | state
//                            | anonymous_to_public | text_sealed | location_sealed? | reopen_count
//                            | contest_count | escalation_count | accept_due_ms? | accept_round
//                            | answer_due_ms? | answer_round | rating_due_ms? | first_accept_due_ms
//                            | first_answer_due_ms | first_accepted_at_ms? | accepted_on_time?
//                            | first_answered_at_ms? | rating? | solved? | rated_at_ms? | rated_via?
//                            | submitted_at_ms | updated_at_ms | ended_at_ms? | version
//                            | client_id (appeals/2: the Open311 client of channel "open311", else 0)
//       CHECKs restate the lifecycle's invariants, so a row written around the service is refused
//       by the database itself (T-LOGIC-3): closed only with a closing rating, in progress /
//       answered / closed only after an acceptance, an acceptance deadline exactly in the states
//       that await one, a rating window exactly while answered, a helper channel exactly with a
//       consent, the open311 channel exactly with a client (and only it without recorded_by). A trigger refuses DELETE, any UPDATE that does not add exactly 1 to version, that
//       leaves a final state (closed, withdrawn), that changes who / where / when it was filed,
//       or that lowers a counter or a deadline round; another (appeals/2) keeps client_id fixed.
//   appeals_timeline         id | appeal_id -> appeals | seq (UNIQUE per appeal) | at_ms | actor_account
//                            | acting_for_account | consent_id | capacity | action | from_state?
//                            | to_state | visibility | note_sealed? | details          (never changed)
//                            actor_account is 0 exactly for the capacities "system" (the sweep) and
//                            "client" (an Open311 client, named in details; appeals/2)
//   appeals_deadline_events  (appeal_id, kind, deadline_round) PRIMARY KEY | due_ms | fired_at_ms
//                            | timeline_seq: the sweep's exactly-once key              (never changed)
//   appeals_inbox            id | recipient_kind | recipient_account | unit_level | division | appeal_id
//                            | village_code | kind | created_at_ms | read_at_ms? | read_by
//                            (only the read mark may be set, once; never deleted)
//   appeals_deadline_rules   (scope_code, category) PRIMARY KEY | accept_ms | answer_ms | set_by | set_at_ms
//   appeals_unit_rules       (scope_code, category) PRIMARY KEY | unit_level | department | set_by | set_at_ms
//
// Migrations: appeals/1 creates the tables; appeals/2 adds the open311 channel (client_id);
// appeals/3 the supporters table; appeals/5 the unit rules; appeals/4 replaces appeals_by_submission with the
// covering index appeals_rates (the rates read nothing else) and adds appeals_open_by_submitter /
// appeals_open_by_resident (the open-appeal count at every submission reads only the index).
//
// Personal data: text_sealed, location_sealed and note_sealed are FieldCipher envelopes (BLOB /
// BYTEA, CHECKed to be at least an envelope long); there is no plaintext column for them.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::appeals {

const std::vector<storage::Migration>& AppealMigrations();

}  // namespace gz::appeals
