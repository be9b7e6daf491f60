// Schema migrations of the deliberation module (SQLite and PostgreSQL texts of one schema).
//
// Layer: deliberation sql. app/ registers them after the disclosure migrations.
//
//   deliberation_chains       id | scope_code | chain_text (gz-chain/1) | decision | decision_item? | set_by | set_at_ms
//       Append-only: the chain in force for a scope is its newest row; earlier ones stay.
//   deliberation_settings     village_code PK | support_threshold | answer_days | set_by | set_at_ms
//   deliberation_matters      id | village_code | title | description | proposal_id? | chain_text (frozen at
//                             opening) | chain_source | current_step | state | opened_by | opened_at_ms | version
//                             | resolution_published_at_ms?
//   deliberation_meetings     one row per recorded meeting, never changed or deleted: attendance, votes (counts,
//                             named votes), minutes, scans, the outcome computed when recorded
//   deliberation_publications (matter_id, step) PK | kind | item_id UNIQUE (the disclosure item) | drafted_by | ...
//   deliberation_spending     id | matter_id | village_code | amount_fen | purpose | spent_at_ms | finance_item?
//                             | flagged | recorded_by | recorded_at_ms    (never changed or deleted)
//   deliberation_proposals    id | village_code | title | text | raised_by | recorded_by | consent_id? | ...
//                             | supports | threshold | reached_at_ms? | answer_due_ms? | answer? | appeal_id? | matter_id?
//   deliberation_supports     (proposal_id, account_id) PRIMARY KEY: one support per person, by the database
//   deliberation_comments     id | proposal_id | village_code | author | text | written_at_ms | hidden_reason? ...
//       A hidden comment keeps its row; its reason is public.
//
// Personal data: none sealed. Proposers, supporters and comment authors are account ids, never
// shown publicly; named votes are the public offices (or names as minuted) of committee members.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::deliberation {

const std::vector<storage::Migration>& DeliberationMigrations();

}  // namespace gz::deliberation
