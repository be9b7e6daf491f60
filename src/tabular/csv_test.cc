#include "tabular/csv.h"

#include <gtest/gtest.h>

#include "tabular/encoding.h"
#include "tabular/format.h"
#include "tabular/problems.h"

namespace gz::tabular {
namespace {

std::vector<std::vector<std::string>> Texts(const Table& table) {
  std::vector<std::vector<std::string>> out;
  auto add = [&out](const Row& row) {
    out.emplace_back();
    for (const Cell& cell : row.cells) out.back().push_back(cell.text);
  };
  add(table.header);
  for (const Row& row : table.rows) add(row);
  return out;
}

Table MustRead(std::string_view bytes, const ReadLimits& limits = {}) {
  Result<Table> table = ReadCsv(bytes, limits);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? *std::move(table) : Table{};
}

std::string Gb18030(std::string_view utf8) {
  std::string out;
  EXPECT_TRUE(internal::Utf8ToGb18030(utf8, &out));
  return out;
}

TEST(ReadCsvTest, QuotedFieldsEscapesAndLineEnds) {
  Table table = MustRead("姓名,备注\r\n\"张,三\",\"他说\"\"好\"\"\"\n李四,\r\n");
  EXPECT_EQ(Texts(table), (std::vector<std::vector<std::string>>{{"姓名", "备注"}, {"张,三", "他说\"好\""}, {"李四", ""}}));
  EXPECT_EQ(table.rows[1].number, 3);
  EXPECT_EQ(table.rows[1].cells[1].Ref(), "B3");
}

TEST(ReadCsvTest, QuotedLineBreakIsOneRowAsInExcel) {
  Table table = MustRead("姓名,地址\n张三,\"湖北省\r\n武汉市\"\n李四,\"蔡甸区\n\n大集街\"\n王五,x");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].cells[1].text, "湖北省\n武汉市");  // CRLF in a cell becomes Excel's LF
  EXPECT_EQ(table.rows[1].cells[1].text, "蔡甸区\n\n大集街");
  EXPECT_EQ(table.rows[2].number, 4);  // Excel's row, although it is text line 7
}

TEST(ReadCsvTest, BomIsStrippedAndBlankRowsLeftOutKeepingNumbers) {
  Table table = MustRead("\xEF\xBB\xBF\n,,\n户号,姓名,\n\n0001,张三\n,,,\n0002,李四,,\n");
  EXPECT_EQ(table.header.number, 3);
  EXPECT_EQ(table.width(), 2u);
  EXPECT_EQ(table.header.cells[0].text, "户号");  // no BOM left on the first heading
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].number, 5);
  EXPECT_EQ(table.rows[1].number, 7);
  EXPECT_EQ(table.rows[1].cells.size(), 2u);  // trailing empty cells past the header trimmed
}

TEST(ReadCsvTest, LoneCrEndsARecordAndMissingFinalNewlineIsFine) {
  EXPECT_EQ(Texts(MustRead("a,b\rc,d")), (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}}));
}

TEST(ReadCsvTest, UnterminatedQuoteCitesWhereTheQuoteOpened) {
  Result<Table> table = ReadCsv("姓名,地址\n张三,湖北\n李四,\"蔡甸区\n大集街,5\n王五,x\n", {});
  ASSERT_FALSE(table.ok());
  const Status& s = table.status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.slug(), problems::kBadCsv);
  EXPECT_EQ(s.Arg("reason"), "unterminated-quote");
  EXPECT_EQ(s.Arg("row"), "3");
  EXPECT_EQ(s.Arg("column"), "B");
  EXPECT_EQ(s.Arg("line"), "3");
}

TEST(ReadCsvTest, StrayQuoteAndTextAfterQuoteAreRejectedWithThePlace) {
  Result<Table> stray = ReadCsv("a,b,c\n1,2,3\"\n", {});
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.status().Arg("reason"), "stray-quote");
  EXPECT_EQ(stray.status().Arg("row"), "2");
  EXPECT_EQ(stray.status().Arg("column"), "C");

  Result<Table> after = ReadCsv("a,b\n\"x\ny\"z,2\n", {});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().Arg("reason"), "text-after-quote");
  EXPECT_EQ(after.status().Arg("row"), "2");
  EXPECT_EQ(after.status().Arg("column"), "A");
  EXPECT_EQ(after.status().Arg("line"), "3");
}

TEST(ReadCsvTest, Gb18030FromExcelOnChineseWindowsIsConverted) {
  // "姓名,身份证号" then a name with a four-byte GB18030 character (㐂, a rare name character).
  const std::string utf8 = "姓名,身份证号\r\n张三,420114199001011234\r\n李㐂,\"武汉\n蔡甸\"\r\n";
  const std::string gb = Gb18030(utf8);
  ASSERT_EQ(gb.substr(0, 4), "\xD0\xD5\xC3\xFB");  // 姓名 in GBK, so the fixture is what Excel writes
  ASSERT_FALSE(internal::IsValidUtf8(gb));
  Table table = MustRead(gb);
  EXPECT_EQ(Texts(table), Texts(MustRead(utf8)));
  EXPECT_EQ(table.rows[1].cells[0].text, "李㐂");
}

TEST(ReadCsvTest, DamagedUtf8IsNotMistakenForGb18030) {
  // Mostly good UTF-8 with one Latin-1 byte: GB18030 would "decode" it into nonsense.
  Result<Table> table = ReadCsv("姓名,村\n张三,大集村\n李四,caf\xE9 村\n", {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().slug(), problems::kBadEncoding);
  EXPECT_EQ(table.status().Arg("reason"), "not-utf8");
  EXPECT_EQ(table.status().Arg("row"), "3");
  EXPECT_EQ(table.status().Arg("column"), "B");

  // A byte-order mark promises UTF-8: no second guess.
  Result<Table> bom = ReadCsv("\xEF\xBB\xBF" + Gb18030("姓名\n张三\n"), {});
  ASSERT_FALSE(bom.ok());
  EXPECT_EQ(bom.status().Arg("reason"), "not-utf8");
  EXPECT_EQ(bom.status().Arg("row"), "1");
}

TEST(ReadCsvTest, NeitherUtf8NorGb18030IsRejectedWithThePlace) {
  // 0xFF never occurs in GB18030.
  Result<Table> table = ReadCsv("\xD0\xD5\xC3\xFB,x\n\xD5\xC5,\xFF\xFF\n", {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().slug(), problems::kBadEncoding);
  EXPECT_EQ(table.status().Arg("reason"), "not-gb18030");
  EXPECT_EQ(table.status().Arg("row"), "2");
  EXPECT_EQ(table.status().Arg("column"), "B");
}

TEST(ReadCsvTest, BinaryAndUtf16AndWorkbooksAreTurnedAway) {
  EXPECT_EQ(ReadCsv(std::string("a,b\n1,\0", 7), {}).status().Arg("reason"), "nul-byte");
  EXPECT_EQ(ReadCsv("\xFF\xFE" "a\0,\0", {}).status().Arg("reason"), "utf16");
  Result<Table> xls = ReadCsv("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file", {});
  EXPECT_EQ(xls.status().slug(), problems::kXlsNotSupported);
  EXPECT_EQ(xls.status().Arg("reason"), "xls-not-supported");
  EXPECT_EQ(ReadCsv("PK\x03\x04...", {}).status().Arg("reason"), "looks-like-xlsx");
}

TEST(ReadCsvTest, RandomBytesNeverCrashAndFailCleanly) {
  uint32_t state = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
      state = state * 1103515245u + 12345u;
      bytes += static_cast<char>(state >> 24);
    }
    Result<Table> table = ReadCsv(bytes, {});
    if (!table.ok()) {
      EXPECT_EQ(table.status().code(), Code::kInvalidArgument) << table.status().ToString();
    }
  }
}

TEST(ReadCsvTest, RandomCsvPunctuationNeverCrashesAndEveryErrorHasAPlace) {
  const std::string_view alphabet[] = {",", "\"", "\n", "\r", "a", "张", "\xEF\xBB\xBF", " ", "\"\""};
  uint32_t state = 99;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = 0; i < 40; ++i) {
      state = state * 1103515245u + 12345u;
      text += alphabet[(state >> 16) % std::size(alphabet)];
    }
    Result<Table> table = ReadCsv(text, {});
    if (table.ok()) continue;
    EXPECT_EQ(table.status().code(), Code::kInvalidArgument);
    if (table.status().slug() == problems::kBadCsv) {
      EXPECT_FALSE(table.status().Arg("row").empty()) << text;
      EXPECT_FALSE(table.status().Arg("column").empty()) << text;
    }
  }
}

TEST(ReadCsvTest, EmptyFileIsReported) {
  EXPECT_EQ(ReadCsv("", {}).status().slug(), problems::kEmpty);
  EXPECT_EQ(ReadCsv("\xEF\xBB\xBF\r\n,,\r\n", {}).status().slug(), problems::kEmpty);
}

TEST(ReadCsvTest, LimitsAreEnforcedWithThePlace) {
  ReadLimits limits;
  limits.max_rows = 2;
  Result<Table> rows = ReadCsv("h\n1\n2\n3\n", limits);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().slug(), problems::kTooLarge);
  EXPECT_EQ(rows.status().Arg("reason"), "rows");
  EXPECT_EQ(rows.status().Arg("limit"), "2");
  EXPECT_EQ(rows.status().Arg("row"), "4");

  limits = {};
  limits.max_columns = 3;
  EXPECT_TRUE(ReadCsv("a,b,c,,,,\n1,2,3,,,\n", limits).ok());  // empty padding is harmless
  Result<Table> columns = ReadCsv("a,b,c\n1,2,3,,x\n", limits);
  ASSERT_FALSE(columns.ok());
  EXPECT_EQ(columns.status().Arg("reason"), "columns");
  EXPECT_EQ(columns.status().Arg("column"), "E");

  limits = {};
  limits.max_cell_bytes = 5;
  EXPECT_EQ(ReadCsv("a\n\"123456\"\n", limits).status().Arg("reason"), "cell-bytes");
  EXPECT_EQ(ReadCsv("a\n123456\n", limits).status().Arg("reason"), "cell-bytes");

  limits = {};
  limits.max_cells = 5;
  EXPECT_EQ(ReadCsv("a,b\n1,2\n3,4\n", limits).status().Arg("reason"), "cells");

  limits = {};
  limits.max_file_bytes = 3;
  EXPECT_EQ(ReadCsv("a,b\n", limits).status().Arg("reason"), "file-bytes");
}

TEST(WriteCsvTest, BomCrlfAndQuotingOnlyWhereNeeded) {
  Table table = Table::FromStrings({"姓名", "备注"}, {{"张三", "a,b"}, {"李\"四", "行1\n行2"}, {"", "x"}});
  EXPECT_EQ(WriteCsv(table),
            "\xEF\xBB\xBF姓名,备注\r\n张三,\"a,b\"\r\n\"李\"\"四\",\"行1\n行2\"\r\n,x\r\n");
}

TEST(WriteCsvTest, RoundTripGivesTheSameTable) {
  Table table = Table::FromStrings(
      {"户号", "姓名", "身份证号", "地址", "备注"},
      {{"0001", "张三", "420114199001011234", "湖北省武汉市\n蔡甸区", "说\"好\", 行"},
       {"0002", "李四", "42011419900101123X", "", ""},
       {"0003", "", "", "", " 前后空格 "}});
  Result<Table> back = ReadCsv(WriteCsv(table), {});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, table);
}

TEST(WriteCsvTest, NeutralisedCellsComeBackWithTheirApostrophe) {
  Table table = Table::FromStrings({"a"}, {{"=1+1"}, {"-5"}});
  Result<Table> back = ReadCsv(WriteCsv(table), {});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rows[0].cells[0].text, "'=1+1");
  EXPECT_EQ(back->rows[1].cells[0].text, "'-5");
}

TEST(FormatTest, DetectsByMagicNumber) {
  EXPECT_EQ(DetectFormat("PK\x03\x04"), Format::kXlsx);
  EXPECT_EQ(DetectFormat("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), Format::kXls);
  EXPECT_EQ(DetectFormat("姓名,电话"), Format::kCsv);
  EXPECT_EQ(DetectFormat(""), Format::kCsv);
  EXPECT_TRUE(ReadTable("a\n1\n", {}).ok());
}

}  // namespace
}  // namespace gz::tabular
