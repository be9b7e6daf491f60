// The SQL lexer of the PostgreSQL backend: what can hide a ';' or a '$1' is skipped.
#include "storage/postgres/sql_text.h"

#include <gtest/gtest.h>

namespace gz::storage::postgres {
namespace {

SqlShape Shape(std::string_view sql) {
  Result<SqlShape> r = AnalyzeSql(sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : SqlShape{};
}

TEST(SqlText, CountsStatementsButNotCommentsOrEmptyOnes) {
  EXPECT_EQ(Shape("SELECT 1").statements, 1);
  EXPECT_EQ(Shape("SELECT 1;").statements, 1);
  EXPECT_EQ(Shape(" ; ;\n-- only a comment\n/* and /* nested */ one */").statements, 0);
  EXPECT_EQ(Shape("CREATE TABLE a (x BIGINT); -- a; b\nINSERT INTO a VALUES (1);").statements, 2);
}

TEST(SqlText, SemicolonsAndPlaceholdersInsideQuotesDoNotCount) {
  SqlShape s = Shape("SELECT ';$9', \"odd;$8\"\"name\", E'it\\'s;$7', $tag$ ; $6 $tag$, $$;$5$$ FROM t WHERE a = $2 AND b = $1");
  EXPECT_EQ(s.statements, 1);
  EXPECT_EQ(s.placeholders, (std::set<int>{1, 2}));
  EXPECT_EQ(s.max_placeholder, 2);
}

TEST(SqlText, FindsTransactionControlAtTheStartOfAnyStatement) {
  EXPECT_TRUE(Shape("COMMIT").transaction_control);
  EXPECT_TRUE(Shape("select 1; commit").transaction_control);
  EXPECT_TRUE(Shape("  begin isolation level serializable").transaction_control);
  EXPECT_TRUE(Shape("ROLLBACK").transaction_control);
  EXPECT_TRUE(Shape("end").transaction_control);
  EXPECT_TRUE(Shape("PREPARE TRANSACTION 'x'").transaction_control);
  EXPECT_FALSE(Shape("ROLLBACK TO SAVEPOINT s").transaction_control);
  EXPECT_FALSE(Shape("SAVEPOINT s; RELEASE SAVEPOINT s").transaction_control);
  EXPECT_FALSE(Shape("PREPARE q AS SELECT 1").transaction_control);
  EXPECT_FALSE(Shape("SELECT 'commit'; UPDATE t SET status = 'begin'").transaction_control);
  EXPECT_FALSE(Shape("-- commit\nSELECT 1").transaction_control);
}

TEST(SqlText, UnterminatedTokensAreRefused) {
  EXPECT_FALSE(AnalyzeSql("SELECT 'abc").ok());
  EXPECT_FALSE(AnalyzeSql("SELECT \"abc").ok());
  EXPECT_FALSE(AnalyzeSql("SELECT 1 /* x").ok());
  EXPECT_FALSE(AnalyzeSql("SELECT $a$ x").ok());
  EXPECT_FALSE(AnalyzeSql("SELECT $99999999").ok());
}

TEST(SqlText, PlaceholdersMustBeExactlyOneToN) {
  EXPECT_TRUE(CheckPlaceholders(Shape("SELECT $1, $2, $1"), 2, "").ok());
  EXPECT_TRUE(CheckPlaceholders(Shape("SELECT 1"), 0, "").ok());
  EXPECT_FALSE(CheckPlaceholders(Shape("SELECT $1"), 2, "").ok());
  EXPECT_FALSE(CheckPlaceholders(Shape("SELECT $1, $3"), 3, "").ok());
  EXPECT_FALSE(CheckPlaceholders(Shape("SELECT $2"), 1, "").ok());
}

}  // namespace
}  // namespace gz::storage::postgres
