// Schema migrations of the votes module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: votes sql. app/ registers them after the audit and transparency migrations.
//
//   votes               id | village_code | question | options (one per line) | method | electorate_rule
//                       | secret | channel | opens_at_ms | closes_at_ms | state (draft|open|closed)
//                       | drafted_by | drafted_at_ms | opened_by? | opened_at_ms? | electorate_as_of?
//                       | electorate_size? | rules_entry? | rules_log_index? (UNIQUE) | closed_by?
//                       | closed_at_ms? | tally_entry? | tally_log_index? (UNIQUE)
//       The RULES are frozen from the start: triggers refuse any change of question, options,
//       method, electorate rule, secrecy, channel, window or drafter; the only changes a row may
//       undergo are draft -> open (setting the opening fields) and open -> closed (setting the
//       closing fields). Opened and closed rows are never deleted. The opener is never the drafter.
//   votes_electorate    vote_id | resident_id | unit_id          PRIMARY KEY (vote_id, resident_id)
//   votes_participation vote_id | unit_id | cast_by | consent_id | cast_at_ms
//                                                                PRIMARY KEY (vote_id, unit_id): one ballot per unit
//   votes_ballots       vote_id | ballot_id (random) | choice | unit_id? | cast_at_ms?
//                                                                PRIMARY KEY (vote_id, ballot_id)
//       Secret votes: unit_id and cast_at_ms are NULL. SQLite: WITHOUT ROWID, so rows are kept in
//       the order of their random ids, not of their insertion. Named votes: both set, UNIQUE.
//   votes_paper_counts  vote_id | clerk | ballots | blank | counts | entered_at_ms
//                                                                PRIMARY KEY (vote_id, clerk); changed only while open
// Electorate, participation and ballots are never updated or deleted.
// votes/2 (participatory budgeting):
//   votes_budget_rounds   id | village_code | title | budget | rule (greedy|mes) | created_by | created_at_ms
//                                                                never changed
//   votes_budget_projects id | round_id | title | description | cost | state (proposed|accepted|rejected)
//                         | proposed_by | recorded_by | consent_id | proposed_at_ms | review_reason
//                         | reviewed_by? | reviewed_at_ms?     reviewed once; a rejection has a reason
//   votes_budget          vote_id (PK) | round_id? (UNIQUE) | budget | rule | costs | round_projects
//       Makes a votes row a budget vote (its method column reads 'approval': the CHECK of votes/1
//       cannot change in SQLite without rebuilding the table). Written with the draft, never changed.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::votes {

const std::vector<storage::Migration>& VoteMigrations();

}  // namespace gz::votes
