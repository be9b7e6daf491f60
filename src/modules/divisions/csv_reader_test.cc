// Tests of the CSV reader: quoting, separators inside names, line ends, malformed lines.
#include "modules/divisions/csv_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gz::divisions {
namespace {

using Fields = std::vector<std::string>;

Fields Parse(std::string_view text) {
  Fields fields;
  std::string_view error;
  EXPECT_TRUE(ParseCsvRecord(text, &fields, &error)) << text << ": " << error;
  return fields;
}

std::string_view ParseError(std::string_view text) {
  Fields fields;
  std::string_view error;
  EXPECT_FALSE(ParseCsvRecord(text, &fields, &error)) << text;
  return error;
}

TEST(CsvRecordTest, PlainAndQuotedFields) {
  EXPECT_EQ(Parse(R"(110101,"东城区",1101,11)"), (Fields{"110101", "东城区", "1101", "11"}));
  EXPECT_EQ(Parse("a"), (Fields{"a"}));
  EXPECT_EQ(Parse(R"("")"), (Fields{""}));
}

TEST(CsvRecordTest, CommaInsideQuotesIsPartOfTheName) {
  EXPECT_EQ(Parse(R"(1,"甲,乙村委会",2)"), (Fields{"1", "甲,乙村委会", "2"}));
  EXPECT_EQ(Parse(R"(1,",",2)"), (Fields{"1", ",", "2"}));
}

TEST(CsvRecordTest, DoubledQuoteIsOneQuote) {
  EXPECT_EQ(Parse(R"(1,"他说""好""",2)"), (Fields{"1", "他说\"好\"", "2"}));
  EXPECT_EQ(Parse(R"("""")"), (Fields{"\""}));
}

TEST(CsvRecordTest, EmptyFields) {
  EXPECT_EQ(Parse("1,,3"), (Fields{"1", "", "3"}));
  EXPECT_EQ(Parse("1,2,"), (Fields{"1", "2", ""}));
  EXPECT_EQ(Parse(",,"), (Fields{"", "", ""}));
}

TEST(CsvRecordTest, MalformedLinesSayWhy) {
  EXPECT_EQ(ParseError(R"(1,"未闭合,2)"), "unterminated-quote");
  EXPECT_EQ(ParseError(R"(1,"名"x,2)"), "text-after-quote");
  EXPECT_EQ(ParseError(R"(1,名"称,2)"), "stray-quote");
}

TEST(CsvReaderTest, StreamsRecordsAcrossLineEndings) {
  std::istringstream in("\xEF\xBB\xBF" "code,name\r\n42,\"湖北省\"\r\n\n4201,\"武汉市\"");
  CsvReader reader(in);
  Fields f;
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);
  EXPECT_EQ(f, (Fields{"code", "name"}));  // the BOM is dropped
  EXPECT_EQ(reader.line(), 1);
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);
  EXPECT_EQ(f, (Fields{"42", "湖北省"}));  // the \r is dropped
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);  // the blank line is skipped
  EXPECT_EQ(f, (Fields{"4201", "武汉市"}));
  EXPECT_EQ(reader.line(), 4);
  EXPECT_EQ(reader.Next(&f), CsvReader::Outcome::kEnd);
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(in.str().size()));
}

TEST(CsvReaderTest, MalformedLineIsSkippedAndReadingGoesOn) {
  std::istringstream in("1,\"a\n2,\"b\"\n3,c\"d\n4,e\n");
  CsvReader reader(in);
  Fields f;
  EXPECT_EQ(reader.Next(&f), CsvReader::Outcome::kMalformed);
  EXPECT_EQ(reader.error(), "unterminated-quote");
  EXPECT_EQ(reader.line(), 1);
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);
  EXPECT_EQ(f, (Fields{"2", "b"}));
  EXPECT_EQ(reader.Next(&f), CsvReader::Outcome::kMalformed);
  EXPECT_EQ(reader.error(), "stray-quote");
  EXPECT_EQ(reader.line(), 3);
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);
  EXPECT_EQ(f, (Fields{"4", "e"}));
  EXPECT_EQ(reader.Next(&f), CsvReader::Outcome::kEnd);
}

}  // namespace
}  // namespace gz::divisions
