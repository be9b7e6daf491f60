// .xlsx: the writer's workbooks read back, and hand-made workbooks built here at run time for
// what the writer never produces (shared strings, rich text, numbers, sparse rows) and for what
// an attacker would send (bombs, entities, damaged archives).
#include "tabular/xlsx.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "tabular/format.h"
#include "tabular/formula.h"
#include "tabular/problems.h"
#include "tabular/xlsx_text.h"
#include "tabular/zip_archive.h"

namespace gz::tabular {
namespace {

using internal::ZipEntry;

constexpr std::string_view kNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Zip(const std::vector<ZipEntry>& entries) {
  Result<std::string> bytes = internal::WriteZip(entries);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

std::string Sheet(std::string_view sheet_data) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + std::string(kNs) + "\"><sheetData>" +
         std::string(sheet_data) + "</sheetData></worksheet>";
}

std::string SharedStrings(std::string_view items) {
  return "<?xml version=\"1.0\"?><sst xmlns=\"" + std::string(kNs) + "\">" + std::string(items) + "</sst>";
}

// The parts of a workbook as Excel lays it out; tests replace or drop parts to make trouble.
struct Workbook {
  std::map<std::string, std::string> parts;

  explicit Workbook(std::string sheet_xml, std::string shared_xml = {}) {
    parts["[Content_Types].xml"] = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
    parts["_rels/.rels"] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelNs) + "/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>";
    parts["xl/workbook.xml"] = "<workbook xmlns=\"" + std::string(kNs) + "\" xmlns:r=\"" + std::string(kRelNs) +
                               "\"><sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    std::string rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelNs) + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>";
    if (!shared_xml.empty()) {
      rels += "<Relationship Id=\"rId3\" Type=\"" + std::string(kRelNs) + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
      parts["xl/sharedStrings.xml"] = std::move(shared_xml);
    }
    parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>";
    parts["xl/worksheets/sheet1.xml"] = std::move(sheet_xml);
  }

  std::string Bytes() const {
    std::vector<ZipEntry> entries;
    for (const auto& [name, data] : parts) entries.push_back({name, data});
    return Zip(entries);
  }
};

Table MustRead(std::string_view bytes, const ReadLimits& limits = {}) {
  Result<Table> table = ReadXlsx(bytes, limits);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? *std::move(table) : Table{};
}

std::string ReadPart(std::string_view zip_bytes, std::string_view name) {
  ReadLimits limits;
  Result<internal::ZipReader> zip = internal::ZipReader::Open(zip_bytes, limits);
  EXPECT_TRUE(zip.ok());
  if (!zip.ok()) return {};
  const int64_t index = zip->Find(name);
  EXPECT_GE(index, 0) << name;
  std::string out;
  EXPECT_TRUE(zip->Read(index, [&out](std::string_view chunk) {
                   out += chunk;
                   return Status::Ok();
                 }).ok());
  return out;
}

// Overwrites a 32-bit little-endian field of entry `name` in its local header and its central
// directory record (the two places a ZIP states sizes and flags).
void PatchEntry(std::string* zip, std::string_view name, size_t local_offset, size_t central_offset, uint32_t value,
                bool or_bits = false) {
  auto patch = [&](size_t at, size_t width) {
    for (size_t k = 0; k < width; ++k) {
      const auto byte = static_cast<char>((value >> (8 * k)) & 0xFF);
      (*zip)[at + k] = or_bits ? static_cast<char>((*zip)[at + k] | byte) : byte;
    }
  };
  const size_t width = or_bits ? 2 : 4;
  int patched = 0;
  for (size_t i = 0; i + 46 < zip->size(); ++i) {
    if (zip->compare(i, 4, "PK\x03\x04") == 0 && zip->compare(i + 30, name.size(), name) == 0) {
      patch(i + local_offset, width);
      ++patched;
    } else if (zip->compare(i, 4, "PK\x01\x02") == 0 && zip->compare(i + 46, name.size(), name) == 0) {
      patch(i + central_offset, width);
      ++patched;
    }
  }
  ASSERT_EQ(patched, 2) << name;
}
constexpr size_t kLocalFlags = 6, kCentralFlags = 8;
constexpr size_t kLocalSize = 22, kCentralSize = 24;

std::string Repeat(std::string_view text, size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

// ---- The writer, read back ----

Table Neutralised(const Table& table) {
  Table out = table;
  auto fix = [](Row& row) {
    for (Cell& cell : row.cells) cell.text = NeutraliseFormula(cell.text);
  };
  fix(out.header);
  for (Row& row : out.rows) fix(row);
  return out;
}

TEST(XlsxRoundTripTest, WriteThenReadGivesTheSameTable) {
  Table table = Table::FromStrings(
      {"户号", "姓名", "身份证号", "地址", "备注"},
      {{"0001", "张三", "420114199001011234", "湖北省武汉市\n蔡甸区", "a & b <c> \"d\""},
       {"0002", "李四", "42011419900101123X", "", "  前后空格  "},
       {"0003", "王𠀀", "000123", "回车\r在中间", "_x0041_ 不是转义"},
       {"0004", "控制\x01字符", "\xEF\xBF\xBF", "tab\there", "😀"},
       {"0005", "=HYPERLINK(\"http://x\")", "-5", "+86 138", "＝1"}});
  Result<std::string> bytes = WriteXlsx(table, "花名册");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(DetectFormat(*bytes), Format::kXlsx);
  Result<Table> back = ReadXlsx(*bytes, {});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Neutralised(table));
  EXPECT_TRUE(back->CellsWithProblems().empty());
  // Same table, same bytes: exports can be compared and cached.
  EXPECT_EQ(*WriteXlsx(table, "花名册"), *bytes);
}

TEST(XlsxRoundTripTest, EveryCellIsAnInlineStringAndNoneAFormula) {
  Table table = Table::FromStrings({"a", "b"}, {{"=1+1", "@SUM(A1)"}, {"42", ""}});
  Result<std::string> bytes = WriteXlsx(table, "Sheet1");
  ASSERT_TRUE(bytes.ok());
  const std::string sheet = ReadPart(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);
  EXPECT_EQ(sheet.find("<v>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"A2\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">'=1+1</t></is></c>"),
            std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<c r=\"A3\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">42</t>"), std::string::npos);
  EXPECT_EQ(sheet.find("B3"), std::string::npos);  // empty cells are left out
  const std::string styles = ReadPart(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("numFmtId=\"49\""), std::string::npos);  // style 1 is Text
  EXPECT_NE(ReadPart(*bytes, "xl/workbook.xml").find("name=\"Sheet1\""), std::string::npos);
  EXPECT_NE(ReadPart(*bytes, "[Content_Types].xml").find("/xl/worksheets/sheet1.xml"), std::string::npos);
}

TEST(XlsxWriterTest, SheetNamesExcelWouldRefuseAreRefused) {
  Table table = Table::FromStrings({"a"}, {});
  EXPECT_TRUE(WriteXlsx(table, "2024年 村民花名册（第一组）").ok());
  EXPECT_TRUE(WriteXlsx(table, "A&B <x>").ok());
  for (std::string_view bad : {"", "a/b", "a[1]", "what?", "'quoted'", "History", "1234567890123456789012345678901x",
                               "\xFF"}) {
    Result<std::string> bytes = WriteXlsx(table, bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_EQ(bytes.status().slug(), problems::kBadSheetName) << bad;
  }
  EXPECT_TRUE(WriteXlsx(table, Repeat("村", 31)).ok());  // 31 characters, 93 bytes
}

TEST(XlsxWriterTest, ExcelLimitsAndBadTextAreErrorsNotBrokenFiles) {
  Table long_cell = Table::FromStrings({"a"}, {{std::string(32'768, 'x')}});
  EXPECT_EQ(WriteXlsx(long_cell, "s").status().Arg("reason"), "cell-chars");
  Table bad_utf8 = Table::FromStrings({"a"}, {{"\xC3"}});
  EXPECT_EQ(WriteXlsx(bad_utf8, "s").status().code(), Code::kInternal);
}

// ---- Hand-made workbooks: what Excel and WPS write ----

TEST(XlsxReaderTest, SparseCellsAndMissingReferencesArePlaced) {
  Workbook book(Sheet(
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>姓名</t></is></c><c r=\"C2\" t=\"inlineStr\"><is><t>电话</t></is></c></row>"
      "<row r=\"3\" spans=\"1:3\"><c r=\"B3\" s=\"4\"/><c r=\"C3\" t=\"inlineStr\"><is><t>138</t></is></c></row>"
      "<row><c t=\"inlineStr\"><is><t>张三</t></is></c><c/><c t=\"inlineStr\"><is><t>139</t></is></c></row>"
      "<row r=\"10\"><c r=\"AA10\" t=\"inlineStr\"><is><t>远</t></is></c></row>"));
  Table table = MustRead(book.Bytes());
  EXPECT_EQ(table.header.number, 2);
  ASSERT_EQ(table.width(), 3u);
  EXPECT_EQ(table.header.cells[1].text, "");
  EXPECT_EQ(table.header.cells[1].Ref(), "B2");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].number, 3);
  EXPECT_EQ(table.rows[0].Text(0), "");
  EXPECT_EQ(table.rows[0].cells[2].Ref(), "C3");
  EXPECT_EQ(table.rows[1].number, 4);  // <row> without r follows row 3
  EXPECT_EQ(table.rows[1].Text(0), "张三");
  EXPECT_EQ(table.rows[1].cells[2].Ref(), "C4");
  ASSERT_EQ(table.rows[2].cells.size(), 27u);
  EXPECT_EQ(table.rows[2].cells[26].Ref(), "AA10");
  EXPECT_EQ(table.rows[2].cells[26].text, "远");
}

TEST(XlsxReaderTest, SharedStringsWithRichTextRunsAndPhoneticGuides) {
  Workbook book(
      Sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
            "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row>"),
      SharedStrings("<si><t>姓名</t></si>"
                    "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>备</t></r><r><t xml:space=\"preserve\">注 </t></r></si>"
                    "<si><t>张三</t><rPh sb=\"0\" eb=\"2\"><t>zhang san</t></rPh><phoneticPr fontId=\"1\"/></si>"
                    "<si><t>行一_x000D_\n行二 _x005F_x0041_</t></si>"));
  Table table = MustRead(book.Bytes());
  EXPECT_EQ(table.header.cells[0].text, "姓名");
  EXPECT_EQ(table.header.cells[1].text, "备注 ");
  EXPECT_EQ(table.rows[0].cells[0].text, "张三");
  EXPECT_EQ(table.rows[0].cells[1].text, "行一\r\n行二 _x0041_");
}

TEST(XlsxReaderTest, NumbersAreKeptAsStoredAndLostIdNumbersAreFlagged) {
  Workbook book(Sheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>值</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\"><v>42</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"n\"><v>3.5</v></c></row>"
      "<row r=\"4\"><c r=\"A4\"><v>4.20114199001011E+17</v></c></row>"
      "<row r=\"5\"><c r=\"A5\"><v>420114199001011</v></c></row>"
      "<row r=\"6\"><c r=\"A6\"><v>4201141990010110</v></c></row>"
      "<row r=\"7\"><c r=\"A7\"><v>1E-3</v></c></row>"
      "<row r=\"8\"><c r=\"A8\" t=\"b\"><v>1</v></c></row>"
      "<row r=\"9\"><c r=\"A9\" t=\"b\"><v>0</v></c></row>"
      "<row r=\"10\"><c r=\"A10\" t=\"e\"><v>#N/A</v></c></row>"
      "<row r=\"11\"><c r=\"A11\"><f>SUM(A2:A3)</f><v>45.5</v></c></row>"
      "<row r=\"12\"><c r=\"A12\"><f>SUM(A2:A3)</f></c></row>"
      "<row r=\"13\"><c r=\"A13\" t=\"str\"><f>A1&amp;\"x\"</f><v>值x</v></c></row>"
      "<row r=\"14\"><c r=\"A14\"><v>abc</v></c></row>"
      "<row r=\"15\"><c r=\"A15\" t=\"d\"><v>2024-02-29T00:00:00</v></c></row>"
      "<row r=\"16\"><c r=\"A16\"><f>C2*2</f><v></v></c></row>"
      "<row r=\"17\"><c r=\"A17\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"B17\"><v>1</v></c></row>"));
  Table table = MustRead(book.Bytes());
  ASSERT_EQ(table.rows.size(), 16u);
  auto cell = [&](int row) { return table.rows[static_cast<size_t>(row - 2)].cells[0]; };
  EXPECT_EQ(cell(2).text, "42");
  EXPECT_EQ(cell(3).text, "3.5");
  EXPECT_EQ(cell(4).text, "4.20114199001011E+17");
  EXPECT_EQ(cell(4).problem, problems::kCellNumberLostPrecision);
  EXPECT_EQ(cell(5).text, "420114199001011");  // a 15-digit (first-generation) ID survives
  EXPECT_EQ(cell(5).problem, "");
  EXPECT_EQ(cell(6).problem, problems::kCellNumberLostPrecision);
  EXPECT_EQ(cell(7).text, "1E-3");
  EXPECT_EQ(cell(7).problem, "");
  EXPECT_EQ(cell(8).text, "TRUE");
  EXPECT_EQ(cell(9).text, "FALSE");
  EXPECT_EQ(cell(10).text, "#N/A");
  EXPECT_EQ(cell(10).problem, problems::kCellErrorValue);
  EXPECT_EQ(cell(11).text, "45.5");
  EXPECT_EQ(cell(11).problem, "");
  EXPECT_EQ(cell(12).text, "");
  EXPECT_EQ(cell(12).problem, problems::kCellFormulaNotCalculated);
  EXPECT_EQ(cell(13).text, "值x");
  EXPECT_EQ(cell(14).problem, problems::kCellBadNumber);
  EXPECT_EQ(cell(15).text, "2024-02-29T00:00:00");
  EXPECT_EQ(cell(16).problem, problems::kCellFormulaNotCalculated);  // as openpyxl writes it
  EXPECT_EQ(cell(17).text, "");  // a formula whose result is the empty string
  EXPECT_EQ(cell(17).problem, "");

  std::vector<const Cell*> flagged = table.CellsWithProblems();
  ASSERT_EQ(flagged.size(), 6u);
  Status status = CellProblem(*flagged[0]);
  EXPECT_EQ(status.slug(), "tabular/number-lost-precision");
  EXPECT_EQ(status.Arg("cell"), "A4");
}

TEST(XlsxReaderTest, PrefixedNamesAbsoluteTargetsAndAHiddenFirstSheet) {
  // As some .NET libraries write: prefixed elements, parts in other places, the first tab hidden.
  Workbook book("");
  book.parts.clear();
  book.parts["_rels/.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"R1\" Type=\"" + std::string(kRelNs) + "/officeDocument\" Target=\"/book/main.xml\"/>"
      "</Relationships>";
  book.parts["book/main.xml"] = "<x:workbook xmlns:x=\"" + std::string(kNs) + "\" xmlns:r=\"" + std::string(kRelNs) +
                                "\"><x:sheets><x:sheet name=\"配置\" sheetId=\"1\" state=\"hidden\" r:id=\"a\"/>"
                                "<x:sheet name=\"名单\" sheetId=\"2\" r:id=\"b\"/></x:sheets></x:workbook>";
  book.parts["book/_rels/main.xml.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"a\" Type=\"" + std::string(kRelNs) + "/worksheet\" Target=\"sheets/hidden.xml\"/>"
      "<Relationship Id=\"b\" Type=\"" + std::string(kRelNs) + "/worksheet\" Target=\"./sheets/../sheets/list.xml\"/>"
      "</Relationships>";
  book.parts["book/sheets/hidden.xml"] = Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hidden</t></is></c></row>");
  book.parts["book/sheets/list.xml"] =
      "<x:worksheet xmlns:x=\"" + std::string(kNs) + "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\">"
      "<x:is><x:t>名单</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>";
  Table table = MustRead(book.Bytes());
  EXPECT_EQ(table.header.cells[0].text, "名单");
}

TEST(XlsxReaderTest, EmptySheetAndMissingPartsAreReported) {
  EXPECT_EQ(ReadXlsx(Workbook(Sheet("<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>")).Bytes(), {}).status().slug(),
            problems::kEmpty);
  Workbook no_workbook(Sheet(""));
  no_workbook.parts.erase("xl/workbook.xml");
  EXPECT_EQ(ReadXlsx(no_workbook.Bytes(), {}).status().Arg("reason"), "no-workbook");
  Workbook no_sheet(Sheet(""));
  no_sheet.parts.erase("xl/worksheets/sheet1.xml");
  EXPECT_EQ(ReadXlsx(no_sheet.Bytes(), {}).status().Arg("reason"), "missing-part");
}

TEST(XlsxReaderTest, MalformedSheetsNameTheCell) {
  Result<Table> bad_index = ReadXlsx(
      Workbook(Sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>7</v></c></row>"),
               SharedStrings("<si><t>a</t></si>")).Bytes(), {});
  ASSERT_FALSE(bad_index.ok());
  EXPECT_EQ(bad_index.status().slug(), problems::kBadXlsx);
  EXPECT_EQ(bad_index.status().Arg("reason"), "bad-shared-string");
  EXPECT_EQ(bad_index.status().Arg("cell"), "B1");

  Result<Table> backwards = ReadXlsx(
      Workbook(Sheet("<row r=\"3\"><c r=\"C3\"><v>1</v></c><c r=\"B3\"><v>2</v></c></row>")).Bytes(), {});
  EXPECT_EQ(backwards.status().Arg("reason"), "out-of-order");
  EXPECT_EQ(backwards.status().Arg("cell"), "B3");

  EXPECT_EQ(ReadXlsx(Workbook(Sheet("<row r=\"2\"><c r=\"A1\"><v>1</v></c></row>")).Bytes(), {}).status().Arg("reason"),
            "bad-cell-ref");
  EXPECT_EQ(ReadXlsx(Workbook(Sheet("<row r=\"2\"/><row r=\"1\"/>")).Bytes(), {}).status().Arg("reason"),
            "out-of-order");
  EXPECT_EQ(ReadXlsx(Workbook(Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v>")).Bytes(), {}).status().Arg("reason"),
            "bad-xml");
}

// ---- Hostile files ----

TEST(XlsxHostileTest, DoctypeAndEntitiesAreRefused) {
  const std::string billion_laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
      "<worksheet xmlns=\"" + std::string(kNs) + "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t>"
      "</is></c></row></sheetData></worksheet>";
  Result<Table> laughs = ReadXlsx(Workbook(billion_laughs).Bytes(), {});
  ASSERT_FALSE(laughs.ok());
  EXPECT_EQ(laughs.status().Arg("reason"), "doctype");

  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<sst xmlns=\"" + std::string(kNs) + "\"><si><t>&x;</t></si></sst>";
  Result<Table> xxe = ReadXlsx(
      Workbook(Sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), external).Bytes(), {});
  ASSERT_FALSE(xxe.ok());
  EXPECT_EQ(xxe.status().Arg("reason"), "doctype");
}

TEST(XlsxHostileTest, DeepNestingIsRefused) {
  const std::string deep = Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>" + Repeat("<r>", 100) + Repeat("</r>", 100) +
                                 "</is></c></row>");
  EXPECT_EQ(ReadXlsx(Workbook(deep).Bytes(), {}).status().Arg("reason"), "xml-too-deep");
}

TEST(XlsxHostileTest, ZipBombEntryClaimingAHugeSizeIsNotOpened) {
  std::string bytes = Workbook(Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")).Bytes();
  PatchEntry(&bytes, "xl/worksheets/sheet1.xml", kLocalSize, kCentralSize, 0x7FFF'FFF0u);
  Result<Table> table = ReadXlsx(bytes, {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().slug(), problems::kTooLarge);
  EXPECT_EQ(table.status().Arg("reason"), "entry-bytes");
}

TEST(XlsxHostileTest, ZipBombThatInflatesPastTheLimitIsCutOff) {
  // 4 MiB of padding deflates to a few KiB; the limit here is 1 MiB.
  const std::string padded = Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(4 << 20, ' '));
  ReadLimits limits;
  limits.max_entry_bytes = 1 << 20;
  std::string bytes = Workbook(padded).Bytes();
  ASSERT_LT(bytes.size(), 64u << 10);
  EXPECT_EQ(ReadXlsx(bytes, limits).status().Arg("reason"), "entry-bytes");

  // Lying the other way (declaring 100 bytes) does not get it past the limit either: libzip
  // inflates past a declared size without complaint, so the bytes are counted as they come.
  PatchEntry(&bytes, "xl/worksheets/sheet1.xml", kLocalSize, kCentralSize, 100);
  EXPECT_EQ(ReadXlsx(bytes, limits).status().Arg("reason"), "entry-bytes");

  // Parts within the per-entry limit still add up to the total limit.
  limits = {};
  limits.max_entry_bytes = 4 << 20;
  limits.max_total_uncompressed_bytes = 5 << 20;
  const std::string shared = SharedStrings("<si><t>a</t></si>" + std::string(3 << 20, ' '));
  const std::string sheet = Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(5 << 19, ' '));
  EXPECT_EQ(ReadXlsx(Workbook(sheet, shared).Bytes(), limits).status().Arg("reason"), "total-bytes");
}

TEST(XlsxHostileTest, DamagedArchivesAndOtherFilesFailCleanly) {
  const std::string good = *WriteXlsx(Table::FromStrings({"a"}, {{"1"}}), "s");
  for (size_t cut : {good.size() / 2, good.size() - 10, size_t{30}, size_t{4}}) {
    Result<Table> truncated = ReadXlsx(good.substr(0, cut), {});
    ASSERT_FALSE(truncated.ok()) << cut;
    EXPECT_EQ(truncated.status().slug(), problems::kBadXlsx) << cut;
  }
  // Damage inside the deflated sheet: caught by inflate or by the CRC.
  std::string flipped = good;
  const size_t sheet_at = flipped.find("xl/worksheets/sheet1.xml");
  for (size_t i = sheet_at + 40; i < sheet_at + 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
  Result<Table> damaged = ReadXlsx(flipped, {});
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), Code::kInvalidArgument);

  EXPECT_EQ(ReadXlsx("姓名,电话\n", {}).status().Arg("reason"), "not-zip");
  uint32_t state = 7;
  for (int round = 0; round < 100; ++round) {
    std::string bytes = round % 2 ? "PK\x03\x04" : "";
    for (int i = 0; i < 2000; ++i) {
      state = state * 1664525u + 1013904223u;
      bytes += static_cast<char>(state >> 24);
    }
    Result<Table> table = ReadXlsx(bytes, {});
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.status().slug(), problems::kBadXlsx);
  }
}

TEST(XlsxHostileTest, MangledXmlNeverCrashes) {
  // Random damage to the XML inside a well-formed archive reaches the parser and the visitors
  // (damage to the deflated bytes mostly stops at inflate or the CRC, tested above).
  const std::string sheet = Sheet(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><r><t>名</t></r></is></c></row>"
      "<row r=\"2\"><c r=\"A2\"><f>1+1</f><v>2</v></c><c r=\"C2\" t=\"b\"><v>1</v></c></row>");
  const std::string shared = SharedStrings("<si><t>姓</t><rPh><t>x</t></rPh></si><si><r><t>a</t></r></si>");
  const char noise[] = {'<', '>', '/', '"', '=', 'c', 'r', 'v', 't', 's', '0', '9', ' ', '&', ';', '\x01', '\xE5'};
  uint32_t state = 2024;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  for (int round = 0; round < 300; ++round) {
    std::string s1 = sheet, s2 = shared;
    for (int k = 0; k < 3; ++k) {
      std::string& target = (next() >> 8) % 2 ? s1 : s2;
      target[(next() >> 8) % target.size()] = noise[(next() >> 8) % sizeof(noise)];
    }
    Result<Table> table = ReadXlsx(Workbook(s1, s2).Bytes(), {});
    if (!table.ok()) {
      EXPECT_EQ(table.status().code(), Code::kInvalidArgument) << table.status().ToString();
    }
  }
}

TEST(XlsxHostileTest, LegacyXlsAndEncryptedFilesAreRefusedWithAClearReason) {
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole += std::string(504, '\0');
  Result<Table> xls = ReadXlsx(ole, {});
  ASSERT_FALSE(xls.ok());
  EXPECT_EQ(xls.status().slug(), problems::kXlsNotSupported);
  EXPECT_EQ(xls.status().Arg("reason"), "xls-not-supported");
  EXPECT_NE(xls.status().note().find("save as .xlsx or CSV"), std::string::npos);
  EXPECT_EQ(ReadTable(ole, {}).status().slug(), problems::kXlsNotSupported);

  std::string encrypted = Workbook(Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")).Bytes();
  PatchEntry(&encrypted, "xl/worksheets/sheet1.xml", kLocalFlags, kCentralFlags, 1, /*or_bits=*/true);
  EXPECT_EQ(ReadXlsx(encrypted, {}).status().Arg("reason"), "encrypted");
}

TEST(XlsxHostileTest, RowColumnCellAndSharedStringLimits) {
  ReadLimits limits;
  limits.max_rows = 2;
  const std::string three_rows = Sheet(
      "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
      "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row><row r=\"4\"><c r=\"A4\"><v>4</v></c></row>");
  Result<Table> rows = ReadXlsx(Workbook(three_rows).Bytes(), limits);
  EXPECT_EQ(rows.status().Arg("reason"), "rows");
  EXPECT_EQ(rows.status().Arg("row"), "4");

  // A cell at XFD1 must not make a 16,384-cell row.
  limits = {};
  Result<Table> far = ReadXlsx(Workbook(Sheet("<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>")).Bytes(), limits);
  EXPECT_EQ(far.status().Arg("reason"), "columns");
  EXPECT_EQ(far.status().Arg("cell"), "XFD1");
  // ... but an empty, merely formatted one far out is harmless.
  EXPECT_TRUE(ReadXlsx(Workbook(Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"3\"/></row>")).Bytes(),
                       limits).ok());

  limits.max_cells = 3;
  EXPECT_EQ(ReadXlsx(Workbook(three_rows).Bytes(), limits).status().Arg("reason"), "cells");

  limits = {};
  limits.max_shared_strings = 2;
  EXPECT_EQ(ReadXlsx(Workbook(Sheet(""), SharedStrings(Repeat("<si><t>x</t></si>", 3))).Bytes(), limits)
                .status().Arg("reason"),
            "shared-strings");

  limits = {};
  limits.max_zip_entries = 3;
  EXPECT_EQ(ReadXlsx(Workbook(Sheet("")).Bytes(), limits).status().Arg("reason"), "zip-entries");

  limits = {};
  limits.max_file_bytes = 100;
  EXPECT_EQ(ReadXlsx(Workbook(Sheet("")).Bytes(), limits).status().Arg("reason"), "file-bytes");
}

// ---- SpreadsheetML spellings ----

TEST(XlsxTextTest, StoredNumberShapes) {
  using internal::CheckStoredNumber;
  using internal::NumberCheck;
  EXPECT_EQ(CheckStoredNumber("0"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber("-12.50"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber(".5"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber("999999999999999"), NumberCheck::kOk);          // 15 digits
  EXPECT_EQ(CheckStoredNumber("1000000000000000"), NumberCheck::kLostPrecision);  // 16
  EXPECT_EQ(CheckStoredNumber("9.99999999999999E+14"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber("1E+15"), NumberCheck::kLostPrecision);
  EXPECT_EQ(CheckStoredNumber("4.20114199001011E+17"), NumberCheck::kLostPrecision);
  EXPECT_EQ(CheckStoredNumber("6.2284E+18"), NumberCheck::kLostPrecision);  // a bank card
  EXPECT_EQ(CheckStoredNumber("0.000000000000000000001"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber("12345678901234567890E-10"), NumberCheck::kOk);
  EXPECT_EQ(CheckStoredNumber("-4.2E+17"), NumberCheck::kLostPrecision);
  for (std::string_view bad : {"", "-", "1.2.3", "1E", "E5", "abc", "1,5", " 1", "NaN", "1e+"}) {
    EXPECT_EQ(CheckStoredNumber(bad), NumberCheck::kNotANumber) << bad;
  }
}

TEST(XlsxTextTest, ExcelEscapesDecodeAndEncodeBothWays) {
  using internal::DecodeXString;
  using internal::EncodeXString;
  EXPECT_EQ(DecodeXString("a_x000D_b"), "a\rb");
  EXPECT_EQ(DecodeXString("_x005F_x000D_"), "_x000D_");
  EXPECT_EQ(DecodeXString("_xD83D__xDE00_"), "😀");
  EXPECT_EQ(DecodeXString("_xD83D_x"), "\xEF\xBF\xBDx");
  EXPECT_EQ(DecodeXString("_x12_ _xZZZZ_"), "_x12_ _xZZZZ_");
  EXPECT_EQ(EncodeXString("a\rb\x01<&>\t\n"), "a&#13;b_x0001_&lt;&amp;&gt;\t\n");
  for (std::string_view text : {"_x000D_", "a\r\nb", "\x1F\xEF\xBF\xBE", "普通文本", "__x0041__"}) {
    // What EncodeXString writes, XML-unescaped by a parser, decodes back to the text.
    std::string xml = EncodeXString(text);
    for (auto [entity, c] : {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&#13;", "\r"}, std::pair{"&amp;", "&"}}) {
      for (size_t at; (at = xml.find(entity)) != std::string::npos;) xml.replace(at, std::strlen(entity), c);
    }
    EXPECT_EQ(DecodeXString(xml), text);
  }
}

}  // namespace
}  // namespace gz::tabular
