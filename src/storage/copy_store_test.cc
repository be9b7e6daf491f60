// Table discovery, copy order, digests and the copy itself (storage/copy_store.h), on SQLite ->
// SQLite and SQLite -> PostgreSQL with a small schema that has what the real one has: a
// self-reference, foreign keys, text and blob keys, blobs that are not UTF-8, NULLs, a
// WITHOUT ROWID table and a row written by the "migration".
#include "storage/copy_store.h"

#include <gtest/gtest.h>

#include "storage/postgres/testing.h"
#include "storage/sqlite/testing.h"

namespace gz::storage {
namespace {

constexpr std::string_view kSqliteSchema = R"sql(
CREATE TABLE parents (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, sealed BLOB);
CREATE TABLE children (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id),
                       amount REAL, note TEXT);
CREATE TABLE codes (code TEXT NOT NULL PRIMARY KEY, parent_code TEXT REFERENCES codes (code)) WITHOUT ROWID;
CREATE TABLE grandchildren (child_id INTEGER NOT NULL REFERENCES children (id), k BLOB NOT NULL,
                            PRIMARY KEY (child_id, k));
CREATE TABLE lock (one INTEGER NOT NULL PRIMARY KEY);
INSERT INTO lock (one) VALUES (1);
)sql";

constexpr std::string_view kPostgresSchema = R"sql(
CREATE TABLE parents (id BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, sealed BYTEA);
CREATE TABLE children (id BIGINT NOT NULL PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parents (id),
                       amount DOUBLE PRECISION, note TEXT);
CREATE TABLE codes (code TEXT COLLATE "C" NOT NULL PRIMARY KEY, parent_code TEXT COLLATE "C" REFERENCES codes (code));
CREATE TABLE grandchildren (child_id BIGINT NOT NULL REFERENCES children (id), k BYTEA NOT NULL,
                            PRIMARY KEY (child_id, k));
CREATE TABLE lock (one BIGINT NOT NULL PRIMARY KEY);
INSERT INTO lock (one) VALUES (1);
)sql";

Status CreateSchema(Db& db) {
  return db.Write([&](Tx& tx) {
    return tx.ExecScript(db.dialect() == Dialect::kSqlite ? kSqliteSchema : kPostgresSchema);
  });
}

// Enough rows for several batches, values chosen to catch lossy copies: sealed bytes with NUL
// and bytes that are not UTF-8, Chinese text, a negative and a fractional real, NULLs, codes
// whose byte order differs from a locale's order.
Status Fill(Db& db, int parents) {
  return db.Write([&](Tx& tx) -> Status {
    for (int i = 1; i <= parents; ++i) {
      std::string sealed = std::string("\x00\xff\xfe", 3) + std::to_string(i) + "\x80";
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents (id, name, sealed) VALUES ($1, $2, $3)",
                                 {int64_t{i}, "村民" + std::to_string(i), i % 7 == 0 ? Value(nullptr) : Value(Blob{sealed})})
                             .status());
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO children (id, parent_id, amount, note) VALUES ($1, $2, $3, $4)",
                                 {int64_t{1000 + i}, int64_t{i}, i % 2 ? -0.1 * i : 3.0 * i,
                                  i % 3 ? Value("备注 " + std::to_string(i)) : Value(nullptr)})
                             .status());
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO grandchildren (child_id, k) VALUES ($1, $2)",
                                 {int64_t{1000 + i}, Blob{std::string(1, static_cast<char>(i % 256))}})
                             .status());
    }
    for (std::string_view code : {"a", "B", "a1", "Z", "b", "é"}) {
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO codes (code, parent_code) VALUES ($1, $2)",
                                 {std::string(code), code == "a" ? Value(nullptr) : Value(std::string("a"))})
                             .status());
    }
    return Status::Ok();
  });
}

Result<std::vector<TableSchema>> Tables(Db& db) {
  std::vector<TableSchema> out;
  GZ_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, ReadTables(tx));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<TableDigest>> Digests(Db& db, const std::vector<TableSchema>& tables) {
  std::vector<TableDigest> out;
  GZ_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    for (const TableSchema& t : tables) {
      GZ_ASSIGN_OR_RETURN(TableDigest d, DigestTable(tx, t));
      out.push_back(d);
    }
    return Status::Ok();
  }));
  return out;
}

std::vector<std::string> Names(const std::vector<TableSchema>& tables) {
  std::vector<std::string> out;
  for (const TableSchema& t : tables) out.push_back(t.name);
  return out;
}

class CopyStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto s = sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    source_ = std::move(*s);
    auto t = GetParam() == "postgres" ? postgres::OpenTemporaryPostgresForTest() : sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    target_ = std::move(*t);
    ASSERT_TRUE(CreateSchema(*source_).ok());
    ASSERT_TRUE(CreateSchema(*target_).ok());
  }
  std::unique_ptr<Db> source_, target_;
};

TEST_P(CopyStoreTest, DiscoversTablesColumnsKeysAndReferencesFromTheCatalog) {
  for (Db* db : {source_.get(), target_.get()}) {
    auto tables = Tables(*db);
    ASSERT_TRUE(tables.ok()) << tables.status().ToString();
    ASSERT_EQ(Names(*tables), (std::vector<std::string>{"children", "codes", "grandchildren", "lock", "parents"}));
    const TableSchema& children = (*tables)[0];
    EXPECT_EQ(children.columns, (std::vector<std::string>{"id", "parent_id", "amount", "note"}));
    EXPECT_EQ(children.text_column, (std::vector<bool>{false, false, false, true}));
    EXPECT_EQ(children.primary_key, std::vector<std::string>{"id"});
    EXPECT_EQ(children.references, std::vector<std::string>{"parents"});
    EXPECT_EQ((*tables)[1].references, std::vector<std::string>{"codes"});
    EXPECT_EQ((*tables)[2].primary_key, (std::vector<std::string>{"child_id", "k"}));
    EXPECT_TRUE(CompareTables(*tables, *Tables(*source_)).empty());
  }
}

TEST_P(CopyStoreTest, CopiesEveryRowAndTheDigestsAgree) {
  ASSERT_TRUE(Fill(*source_, 1234).ok());
  auto tables = Tables(*source_);
  ASSERT_TRUE(tables.ok());
  auto ordered = OrderForCopy(*tables);
  ASSERT_TRUE(ordered.ok()) << ordered.status().ToString();
  // Referenced tables first; self-references do not count.
  EXPECT_EQ(Names(*ordered), (std::vector<std::string>{"codes", "lock", "parents", "children", "grandchildren"}));

  std::vector<CopyProgress> seen;
  CopyOptions options;
  options.batch_rows = 500;
  options.progress = [&](const CopyProgress& p) { seen.push_back(p); };
  Status copied = CopyTables(*source_, *target_, *ordered, {"lock"}, options);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  // Several batches for the big tables, and a final report per table.
  int parents_batches = 0;
  for (const CopyProgress& p : seen)
    if (p.table == "parents" && !p.done) ++parents_batches;
  EXPECT_GE(parents_batches, 3);
  EXPECT_EQ(seen.back().table, "grandchildren");
  EXPECT_TRUE(seen.back().done);
  EXPECT_EQ(seen.back().copied, 1234);

  auto from = Digests(*source_, *ordered);
  auto to = Digests(*target_, *ordered);
  ASSERT_TRUE(from.ok() && to.ok());
  EXPECT_EQ(*from, *to);
  EXPECT_EQ((*from)[2].rows, 1234);
  EXPECT_EQ((*from)[1].rows, 1);  // lock: the "migration's" row replaced, not doubled

  // Sealed bytes arrive byte for byte.
  Status s = target_->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT sealed FROM parents WHERE id = 5"));
    EXPECT_EQ(std::get<Blob>(rs.rows.at(0).at(0)).bytes, std::string("\x00\xff\xfe", 3) + "5\x80");
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(CopyStoreTest, ADigestSeesOneChangedValueAndOneMissingRow) {
  ASSERT_TRUE(Fill(*source_, 20).ok());
  auto ordered = OrderForCopy(*Tables(*source_));
  ASSERT_TRUE(ordered.ok());
  ASSERT_TRUE(CopyTables(*source_, *target_, *ordered, {"lock"}, {}).ok());
  auto before = Digests(*target_, *ordered);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(*before, *Digests(*source_, *ordered));

  // One byte of one sealed value.
  ASSERT_TRUE(target_->Write([](Tx& tx) {
    return tx.Exec("UPDATE parents SET sealed = $1 WHERE id = 3", {Blob{std::string("\x00\xff\xfe", 3) + "3\x81"}}).status();
  }).ok());
  auto changed = Digests(*target_, *ordered);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ((*changed)[2].rows, (*before)[2].rows);
  EXPECT_NE((*changed)[2].sha256_hex, (*before)[2].sha256_hex);
  EXPECT_EQ((*changed)[3], (*before)[3]);  // the other tables are untouched

  // A text that became NULL, and a NULL that became the empty text, differ too.
  ASSERT_TRUE(target_->Write([](Tx& tx) { return tx.Exec("UPDATE children SET note = '' WHERE note IS NULL AND id = 1003").status(); }).ok());
  EXPECT_NE((*Digests(*target_, *ordered))[3].sha256_hex, (*before)[3].sha256_hex);

  ASSERT_TRUE(target_->Write([](Tx& tx) { return tx.Exec("DELETE FROM grandchildren WHERE child_id = 1020").status(); }).ok());
  EXPECT_EQ((*Digests(*target_, *ordered))[4].rows, 19);
}

TEST_P(CopyStoreTest, ATableTheTargetDoesNotHaveIsADifference) {
  ASSERT_TRUE(source_->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE stray (id INTEGER PRIMARY KEY)"); }).ok());
  ASSERT_TRUE(source_->Write([](Tx& tx) { return tx.ExecScript("ALTER TABLE parents ADD COLUMN extra TEXT"); }).ok());
  auto diff = CompareTables(*Tables(*source_), *Tables(*target_));
  EXPECT_EQ(diff, (std::vector<std::string>{"parents: column extra only in the source", "only in the source: table stray"}));
}

INSTANTIATE_TEST_SUITE_P(Targets, CopyStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(CopyOrder, ACycleOrAMissingTableIsRefused) {
  std::vector<TableSchema> cycle = {{"a", {"x"}, {false}, {"x"}, {"b"}}, {"b", {"x"}, {false}, {"x"}, {"a"}},
                                    {"c", {"x"}, {false}, {"x"}, {}}};
  auto ordered = OrderForCopy(cycle);
  ASSERT_FALSE(ordered.ok());
  EXPECT_EQ(ordered.status().slug(), "storage/copy-refused");
  auto missing = OrderForCopy({{"a", {"x"}, {false}, {"x"}, {"nowhere"}}});
  ASSERT_FALSE(missing.ok());
}

TEST(CanonicalEncoding, TypesAndLengthsCannotBeConfused) {
  auto enc = [](const Value& v) {
    std::string out;
    AppendCanonical(v, &out);
    return out;
  };
  EXPECT_NE(enc(std::string("1")), enc(int64_t{1}));
  EXPECT_NE(enc(std::string("ab")), enc(Blob{"ab"}));
  EXPECT_NE(enc(std::string("")), enc(nullptr));
  EXPECT_NE(enc(1.0), enc(int64_t{1}));
  EXPECT_EQ(enc(int64_t{-2}), std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xfe", 9));
  // Two columns "a","bc" and "ab","c" do not run together.
  EXPECT_NE(enc(std::string("a")) + enc(std::string("bc")), enc(std::string("ab")) + enc(std::string("c")));
}

TEST(ResetSequences, PostgresIdentityColumnsContinueAfterCopiedIds) {
  auto db = postgres::OpenTemporaryPostgresForTest();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x TEXT);"
        "CREATE TABLE u (id BIGSERIAL PRIMARY KEY);"
        "INSERT INTO t (id, x) VALUES (41, 'a'), (7, 'b');");
  }).ok());
  auto n = ResetSequences(**db);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  Status s = (*db)->Write([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet t, tx.Query("INSERT INTO t (x) VALUES ('c') RETURNING id"));
    EXPECT_EQ(t.rows.at(0).Int(0), 42);
    GZ_ASSIGN_OR_RETURN(ResultSet u, tx.Query("INSERT INTO u DEFAULT VALUES RETURNING id"));
    EXPECT_EQ(u.rows.at(0).Int(0), 1);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  // Nothing to do on SQLite.
  auto sqlite = sqlite::OpenTemporarySqliteForTest();
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(*ResetSequences(**sqlite), 0);
}

}  // namespace
}  // namespace gz::storage
