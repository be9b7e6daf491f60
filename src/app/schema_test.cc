// Every module's migrations apply on both backends and give the same logical schema: the same
// tables, columns (with their kind of value and nullability), primary keys and unique indexes.
// The PostgreSQL DDL is written by hand beside the SQLite DDL; this is what keeps them in step.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "app/application.h"
#include "core/clock.h"
#include "storage/migrate.h"
#include "storage/postgres/testing.h"
#include "storage/sqlite/testing.h"

namespace gz::app {
namespace {

using storage::Dialect;
using storage::ResultSet;
using storage::Row;
using storage::Tx;

// A column's kind of value, as both engines store it.
std::string Kind(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), ::tolower);
  if (type.find("int") != std::string::npos || type == "boolean") return "integer";
  if (type.find("char") != std::string::npos || type.find("text") != std::string::npos ||
      type.find("clob") != std::string::npos)
    return "text";
  if (type.find("blob") != std::string::npos || type == "bytea" || type.empty()) return "blob";
  if (type.find("real") != std::string::npos || type.find("floa") != std::string::npos ||
      type.find("doub") != std::string::npos)
    return "real";
  return "numeric(" + type + ")";
}

struct Schema {
  std::set<std::string> columns;   // "table.column kind [not null]"
  std::set<std::string> keys;      // "table primary|unique (a, b)"
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Result<Schema> ReadSchema(storage::Db& db) {
  Schema schema;
  Status s = db.Read([&](Tx& tx) -> Status {
    if (tx.dialect() == Dialect::kSqlite) {
      GZ_ASSIGN_OR_RETURN(ResultSet tables,
                          tx.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"));
      for (const Row& t : tables.rows) {
        std::string table = t.Text(0);
        GZ_ASSIGN_OR_RETURN(ResultSet cols, tx.Query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid", {table}));
        std::vector<std::pair<int64_t, std::string>> pk;
        for (const Row& c : cols.rows) {
          // SQLite lets a non-INTEGER primary key column hold NULL unless it says NOT NULL;
          // PostgreSQL's primary keys are always NOT NULL. Both mean "never NULL".
          bool not_null = c.Int(2) != 0 || c.Int(3) > 0;
          schema.columns.insert(table + "." + c.Text(0) + " " + Kind(c.Text(1)) + (not_null ? " not null" : ""));
          if (c.Int(3) > 0) pk.emplace_back(c.Int(3), c.Text(0));
        }
        std::sort(pk.begin(), pk.end());
        std::vector<std::string> pk_cols;
        for (auto& [n, c] : pk) pk_cols.push_back(c);
        if (!pk_cols.empty()) schema.keys.insert(table + " primary (" + Join(pk_cols) + ")");
        GZ_ASSIGN_OR_RETURN(ResultSet idx, tx.Query("SELECT name, origin, partial FROM pragma_index_list($1) WHERE \"unique\" = 1", {table}));
        for (const Row& i : idx.rows) {
          if (i.Text(1) == "pk") continue;
          GZ_ASSIGN_OR_RETURN(ResultSet ic, tx.Query("SELECT name FROM pragma_index_info($1) ORDER BY seqno", {i.Text(0)}));
          std::vector<std::string> names;
          for (const Row& r : ic.rows) names.push_back(r.IsNull(0) ? "<expr>" : r.Text(0));
          schema.keys.insert(table + " unique (" + Join(names) + ")" + (i.Int(2) ? " partial" : ""));
        }
      }
    } else {
      GZ_ASSIGN_OR_RETURN(ResultSet cols, tx.Query(
          "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
          "WHERE table_schema = current_schema()"));
      for (const Row& c : cols.rows)
        schema.columns.insert(c.Text(0) + "." + c.Text(1) + " " + Kind(c.Text(2)) + (c.Text(3) == "NO" ? " not null" : ""));
      GZ_ASSIGN_OR_RETURN(ResultSet idx, tx.Query(
          "SELECT t.relname, i.indisprimary, i.indpred IS NOT NULL, "
          "       array_to_string(ARRAY(SELECT COALESCE(a.attname, '<expr>') FROM unnest(i.indkey) WITH ORDINALITY k(n, o) "
          "                             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ', ') "
          "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace "
          "WHERE ns.nspname = current_schema() AND i.indisunique"));
      for (const Row& i : idx.rows) {
        schema.keys.insert(i.Text(0) + (i.Int(1) ? " primary (" : " unique (") + i.Text(3) + ")" +
                           (i.Int(2) ? " partial" : ""));
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return schema;
}

std::string Difference(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::ostringstream out;
  for (const std::string& x : a)
    if (!b.count(x)) out << "  " << x << "\n";
  return out.str();
}

TEST(Schema, EveryMigrationAppliesOnBothBackendsAndGivesTheSameLogicalSchema) {
  auto sqlite = storage::sqlite::OpenTemporarySqliteForTest();
  ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
  auto postgres = storage::postgres::OpenTemporaryPostgresForTest();
  ASSERT_TRUE(postgres.ok()) << postgres.status().ToString();
  const auto& migrations = Application::AllMigrations();
  Status on_sqlite = storage::ApplyMigrations(**sqlite, migrations, SystemClock::Instance());
  ASSERT_TRUE(on_sqlite.ok()) << on_sqlite.ToString();
  Status on_postgres = storage::ApplyMigrations(**postgres, migrations, SystemClock::Instance());
  ASSERT_TRUE(on_postgres.ok()) << on_postgres.ToString();
  // A second run applies nothing (the bookkeeping works on PostgreSQL too).
  int applied = -1;
  ASSERT_TRUE(storage::ApplyMigrations(**postgres, migrations, SystemClock::Instance(), &applied).ok());
  EXPECT_EQ(applied, 0);

  Result<Schema> a = ReadSchema(**sqlite);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Result<Schema> b = ReadSchema(**postgres);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_GT(a->columns.size(), 100u);
  EXPECT_GT(a->keys.size(), 30u);
  // PostgreSQL's INTEGER is 32-bit: a column that holds milliseconds or ids must be BIGINT.
  std::vector<std::string> narrow;
  ASSERT_TRUE((*postgres)->Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('integer', 'smallint') "
        "AND (column_name LIKE '%\\_ms' OR column_name = 'id' OR column_name LIKE '%\\_id' "
        "     OR column_name LIKE '%account%' OR column_name LIKE '%resident%' OR column_name LIKE '%seq%') "
        "ORDER BY 1"));
    for (const Row& r : rs.rows) narrow.push_back(r.Text(0));
    return Status::Ok();
  }).ok());
  EXPECT_TRUE(narrow.empty()) << "32-bit columns for ids or milliseconds: " << Join(narrow);
  EXPECT_EQ(a->columns, b->columns) << "only on SQLite:\n" << Difference(a->columns, b->columns)
                                    << "only on PostgreSQL:\n" << Difference(b->columns, a->columns);
  EXPECT_EQ(a->keys, b->keys) << "only on SQLite:\n" << Difference(a->keys, b->keys)
                              << "only on PostgreSQL:\n" << Difference(b->keys, a->keys);
}

}  // namespace
}  // namespace gz::app
