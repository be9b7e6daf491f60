// SqlDivisionStore: the DivisionStore port on storage::Db (SQLite now, PostgreSQL with issue #8).
//
// Layer: divisions sql. The statements use $1..$n and plain SQL that both dialects accept; the
// schema is in division_migrations.h (apply DivisionMigrations() first).
//
// Queries and the indexes they use:
//   Get          code = $1                              primary key
//   Children     parent_code = $1 ORDER BY code         divisions_divisions_children (covering)
//   Ancestors    code IN (up to 4 codes)                primary key
//   CountByLevel code BETWEEN first AND last of subtree primary-key range
//   Upsert       code IN (100 codes) then multi-row INSERT / one UPDATE per renamed division
// Each method is one Read() or one Write() (one transaction). Thread-safe, as storage::Db is.
#pragma once

#include "modules/divisions/division_store.h"
#include "storage/db.h"

namespace gz::divisions {

class SqlDivisionStore final : public DivisionStore {
 public:
  // `db` must outlive the store.
  explicit SqlDivisionStore(storage::Db& db) : db_(db) {}

  Result<Division> Get(const DivisionCode& code) override;
  Result<DivisionPage> Children(const std::optional<DivisionCode>& parent, const Page& page) override;
  Result<std::vector<Division>> Ancestors(const DivisionCode& code) override;
  Result<LevelCounts> CountByLevel(const std::optional<DivisionCode>& root) override;
  Result<UpsertCounts> Upsert(std::span<const Division> batch) override;

 private:
  storage::Db& db_;
};

}  // namespace gz::divisions
