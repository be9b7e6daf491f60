// Store facts (storage/store_facts.h).
#include "storage/store_facts.h"

#include <chrono>

namespace gz::storage {
namespace {

constexpr std::string_view kCreate =
    "CREATE TABLE IF NOT EXISTS store_facts ("
    "name TEXT NOT NULL PRIMARY KEY, "
    "value TEXT NOT NULL, "
    "recorded_at_ms BIGINT NOT NULL)";

// Under the store lock: on PostgreSQL two processes running CREATE TABLE IF NOT EXISTS at the
// same moment can both miss the table and collide on the catalog.
Status EnsureTable(Db& db) {
  return db.WithStoreLock("store_facts", std::chrono::minutes(1),
                          [&] { return db.Write([](Tx& tx) { return tx.ExecScript(kCreate); }); });
}

}  // namespace

Result<std::map<std::string, std::string>> ReadStoreFacts(Db& db, std::string_view prefix) {
  GZ_RETURN_IF_ERROR(EnsureTable(db));
  std::map<std::string, std::string> facts;
  GZ_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    facts.clear();
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT name, value FROM store_facts ORDER BY name"));
    for (const Row& row : rs.rows) {
      std::string name = row.Text(0);
      if (name.compare(0, prefix.size(), prefix) == 0) facts.emplace(std::move(name), row.Text(1));
    }
    return Status::Ok();
  }));
  return facts;
}

Status RecordStoreFacts(Db& db, const std::map<std::string, std::string>& facts, int64_t now_ms) {
  GZ_RETURN_IF_ERROR(EnsureTable(db));
  return db.Write([&](Tx& tx) -> Status {
    for (const auto& [name, value] : facts) {
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO store_facts (name, value, recorded_at_ms) VALUES ($1, $2, $3) "
                                 "ON CONFLICT (name) DO NOTHING",
                                 {name, value, now_ms})
                             .status());
    }
    return Status::Ok();
  });
}

}  // namespace gz::storage
