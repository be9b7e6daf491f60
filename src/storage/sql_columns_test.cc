#include "storage/sql_columns.h"

#include <gtest/gtest.h>

namespace gz::storage {
namespace {

TEST(SqlColumns, QualifiesCountsAndSlices) {
  EXPECT_EQ(QualifiedColumns("s", "id, token_hash,account_id"), "s.id, s.token_hash, s.account_id");
  EXPECT_EQ(QualifiedColumns("a", "id"), "a.id");
  EXPECT_EQ(ColumnCount("id, token_hash, account_id"), 3u);
  EXPECT_EQ(ColumnCount("id"), 1u);
  Row row(std::vector<Value>{int64_t{1}, std::string("x"), nullptr, int64_t{4}});
  Row part = SliceRow(row, 1, 2);
  EXPECT_EQ(part.Text(0), "x");
  EXPECT_TRUE(part.IsNull(1));
  EXPECT_EQ(SliceRow(row, 3, 1).Int(0), 4);
}

}  // namespace
}  // namespace gz::storage
