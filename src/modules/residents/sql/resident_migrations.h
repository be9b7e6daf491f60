// Schema migrations of the residents module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: residents sql. app/ registers them after the divisions migrations. Every personal column
// holds a FieldCipher envelope (BLOB / BYTEA) or a blind index; there is no plaintext name, ID
// number, phone number or address column, and a CHECK refuses anything shorter than an envelope.
//
//   residents_households  id | county_code | village_code | address_sealed | created_at_ms
//   residents_residents   id | household_id -> households | county_code | village_code
//                         | name_sealed | id_number_sealed | id_number_index (UNIQUE per county)
//                         | phone_sealed? | phone_index? | gender (1/2) | birth_year | relation
//                         | created_at_ms
//                         + (residents/2) name_index? | flags_sealed? | id_region? | updated_at_ms;
//                         at most one 'head' per household (partial unique index)
//   residents_households  + (residents/2) updated_at_ms
//   residents_corrections id | resident_id -> residents | household_id -> households | county_code
//                         | village_code | requester_account | field | status | proposed_sealed
//                         | reason_sealed | note_sealed? (set once resolved) | created_at_ms
//                         | resolver_account | resolved_at_ms
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::residents {

const std::vector<storage::Migration>& ResidentMigrations();

}  // namespace gz::residents
