// Writing a minimal .xlsx workbook. Layer: tabular.
#include "tabular/xlsx.h"

#include <algorithm>
#include <string>
#include <vector>

#include "tabular/encoding.h"
#include "tabular/formula.h"
#include "tabular/problems.h"
#include "tabular/table_builder.h"
#include "tabular/xlsx_text.h"
#include "tabular/zip_archive.h"

namespace gz::tabular {
namespace {

constexpr int64_t kExcelMaxRows = 1'048'576;
constexpr int32_t kExcelMaxColumns = 16'384;
constexpr size_t kExcelMaxCellUnits = 32'767;  // UTF-16 code units
constexpr size_t kExcelMaxSheetName = 31;

constexpr std::string_view kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

constexpr std::string_view kContentTypes =
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "</Types>";

constexpr std::string_view kRootRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

constexpr std::string_view kWorkbookRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "</Relationships>";

// Style 1 is the number format "@" (Text): a clerk who edits an exported ID number, or types a
// new one below, keeps text instead of Excel turning it into 4.20114E+17.
constexpr std::string_view kStyles =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"宋体\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>";

Status BadSheetName(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadSheetName), "sheet name: " + std::string(reason))
      .With("reason", std::string(reason));
}

// UTF-16 length of valid UTF-8: every lead byte counts one, a 4-byte sequence two.
size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

Status CheckSheetName(std::string_view name) {
  if (name.empty()) return BadSheetName("empty");
  if (!internal::IsValidUtf8(name)) return BadSheetName("not-utf8");
  if (Utf16Length(name) > kExcelMaxSheetName) return BadSheetName("too-long");
  if (name.find_first_of(":\\/?*[]") != std::string_view::npos) return BadSheetName("bad-character");
  if (name.front() == '\'' || name.back() == '\'') return BadSheetName("apostrophe");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) return BadSheetName("bad-character");
  }
  // Excel keeps "History" for its change tracking and refuses it as a sheet name.
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "history") return BadSheetName("reserved");
  return Status::Ok();
}

Status AppendRow(const Row& row, int32_t number, std::string* xml) {
  bool opened = false;
  for (size_t i = 0; i < row.cells.size(); ++i) {
    if (row.cells[i].text.empty()) continue;
    const int32_t column = static_cast<int32_t>(i + 1);
    if (column > kExcelMaxColumns) return internal::TooLargeError("columns", kExcelMaxColumns, number, column);
    const std::string text = NeutraliseFormula(row.cells[i].text);
    if (!internal::IsValidUtf8(text)) {
      return Internal("export: cell " + ColumnName(column) + std::to_string(number) + " is not UTF-8");
    }
    if (Utf16Length(text) > kExcelMaxCellUnits) {
      return internal::TooLargeError("cell-chars", static_cast<int64_t>(kExcelMaxCellUnits), number, column);
    }
    if (!opened) {
      *xml += "<row r=\"" + std::to_string(number) + "\">";
      opened = true;
    }
    *xml += "<c r=\"";
    *xml += ColumnName(column);
    *xml += std::to_string(number);
    *xml += "\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">";
    *xml += internal::EncodeXString(text);
    *xml += "</t></is></c>";
  }
  if (opened) *xml += "</row>";
  return Status::Ok();
}

Result<std::string> WriteXlsxUnguarded(const Table& table, std::string_view sheet_name) {
  GZ_RETURN_IF_ERROR(CheckSheetName(sheet_name));
  if (static_cast<int64_t>(table.rows.size()) + 1 > kExcelMaxRows) {
    return internal::TooLargeError("rows", kExcelMaxRows);
  }
  size_t width = table.width();
  for (const Row& row : table.rows) width = std::max(width, row.cells.size());
  width = std::min(width, static_cast<size_t>(kExcelMaxColumns));

  std::string sheet(kXmlDecl);
  sheet += "<worksheet xmlns=\"";
  sheet += kMainNs;
  sheet += "\">";
  if (width > 0) {
    // Text format for the whole width, so that rows a clerk adds are text as well.
    sheet += "<cols><col min=\"1\" max=\"" + std::to_string(width) + "\" width=\"16\" style=\"1\" customWidth=\"1\"/></cols>";
  }
  sheet += "<sheetData>";
  GZ_RETURN_IF_ERROR(AppendRow(table.header, 1, &sheet));
  for (size_t i = 0; i < table.rows.size(); ++i) {
    GZ_RETURN_IF_ERROR(AppendRow(table.rows[i], static_cast<int32_t>(i + 2), &sheet));
  }
  sheet += "</sheetData></worksheet>";

  std::string workbook(kXmlDecl);
  workbook += "<workbook xmlns=\"";
  workbook += kMainNs;
  workbook +=
      "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"";
  workbook += internal::EscapeXml(sheet_name);
  workbook += "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

  // [Content_Types].xml first: some readers look for it at the start of the archive.
  std::vector<internal::ZipEntry> entries;
  entries.push_back({"[Content_Types].xml", std::string(kXmlDecl) + std::string(kContentTypes)});
  entries.push_back({"_rels/.rels", std::string(kXmlDecl) + std::string(kRootRels)});
  entries.push_back({"xl/workbook.xml", std::move(workbook)});
  entries.push_back({"xl/_rels/workbook.xml.rels", std::string(kXmlDecl) + std::string(kWorkbookRels)});
  entries.push_back({"xl/styles.xml", std::string(kXmlDecl) + std::string(kStyles)});
  entries.push_back({"xl/worksheets/sheet1.xml", std::move(sheet)});
  return internal::WriteZip(entries);
}

}  // namespace

Result<std::string> WriteXlsx(const Table& table, std::string_view sheet_name) {
  return internal::NoThrow([&] { return WriteXlsxUnguarded(table, sheet_name); });
}

}  // namespace gz::tabular
