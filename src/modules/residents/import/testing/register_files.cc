// Synthetic village registers for tests. Layer: residents import, test support.
#include "modules/residents/import/testing/register_files.h"

#include "modules/residents/id_number.h"
#include "tabular/table.h"
#include "tabular/zip_archive.h"

namespace gz::residents::import::testing {
namespace {

constexpr std::string_view kNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string SyntheticId(std::string_view region, CivilDate born, int sequence) {
  Result<std::string> id = MakeIdNumber(region, born, sequence);
  return id.ok() ? *id : std::string();
}

int64_t ExcelSerial(CivilDate date) { return DaysFromCivil(date) - DaysFromCivil(CivilDate{1899, 12, 30}); }

std::string CsvOf(const Sheet& sheet) {
  std::string out;
  for (const auto& row : sheet) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      std::string_view cell = row[i];
      if (cell.starts_with('#')) cell.remove_prefix(1);
      if (cell.find_first_of(",\"\r\n") != std::string_view::npos) {
        out += '"';
        for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
      } else {
        out += cell;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string XlsxOf(const Sheet& sheet, std::string_view title) {
  std::vector<std::string> strings;
  auto shared = [&strings](std::string_view s) {
    for (size_t i = 0; i < strings.size(); ++i)
      if (strings[i] == s) return i;
    strings.emplace_back(s);
    return strings.size() - 1;
  };
  size_t width = 1;
  for (const auto& row : sheet) width = std::max(width, row.size());
  std::string data;
  int32_t r = 1;
  std::string merge;
  if (!title.empty()) {
    data += "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>" + std::to_string(shared(title)) + "</v></c></row>";
    merge = "<mergeCells count=\"1\"><mergeCell ref=\"A1:" + tabular::ColumnName(static_cast<int32_t>(width)) +
            "1\"/></mergeCells>";
    r = 2;
  }
  for (const auto& row : sheet) {
    data += "<row r=\"" + std::to_string(r) + "\">";
    for (size_t c = 0; c < row.size(); ++c) {
      if (row[c].empty()) continue;
      const std::string ref = tabular::ColumnName(static_cast<int32_t>(c + 1)) + std::to_string(r);
      if (row[c].starts_with('#')) data += "<c r=\"" + ref + "\"><v>" + Escape(row[c].substr(1)) + "</v></c>";
      else data += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(shared(row[c])) + "</v></c>";
    }
    data += "</row>";
    ++r;
  }
  std::string sst = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" + std::string(kNs) + "\">";
  for (const std::string& s : strings) sst += "<si><t>" + Escape(s) + "</t></si>";
  sst += "</sst>";
  std::vector<tabular::internal::ZipEntry> entries = {
      {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"_rels/.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelNs) + "/officeDocument\" Target=\"xl/workbook.xml\"/>"
       "</Relationships>"},
      {"xl/workbook.xml", "<workbook xmlns=\"" + std::string(kNs) + "\" xmlns:r=\"" + std::string(kRelNs) +
                              "\"><sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelNs) + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"" + std::string(kRelNs) + "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
       "</Relationships>"},
      {"xl/sharedStrings.xml", sst},
      {"xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + std::string(kNs) +
                                       "\"><sheetData>" + data + "</sheetData>" + merge + "</worksheet>"},
  };
  Result<std::string> zip = tabular::internal::WriteZip(entries);
  return zip.ok() ? *zip : std::string();
}

Sheet SampleRegister() {
  const std::string r = "420102";  // 武汉市江岸区: people move, and no demo resident has these numbers
  return {
      {"成功村村民花名册"},
      {"序号", "户号", "姓名", "性别", "出生日期", "公民身份号码", "与户主关系", "联系电话", "家庭住址", "特殊标识"},
      {"1", "001", "王建国", "男", "1965-06-06", SyntheticId(r, {1965, 6, 6}, 999), "户主", "15400001001", "1组12号", ""},
      {"2", "001", "李秀英", "女", "1967-08-08", SyntheticId(r, {1967, 8, 8}, 998), "配偶", "", "1组12号", "残疾"},
      {"3", "001", "王小明", "男", "1993-03-06", SyntheticId(r, {1993, 3, 6}, 997), "子", "15400001003", "1组12号", ""},
      {"4", "002", "张桂兰", "女", "1941-02-03", SyntheticId(r, {1941, 2, 3}, 996), "户主", "", "2组3号", "独居老人、低保"},
      {"5", "003", "刘德明", "男", "1970-10-10", SyntheticId(r, {1970, 10, 10}, 999), "户主", "154-0000-1005", "3组7号", ""},
      {"6", "003", "陈美芳", "女", "1972-12-12", SyntheticId(r, {1972, 12, 12}, 998), "妻", "", "", ""},
      {"7", "003", "刘思雨", "女", "2012-05-20", SyntheticId(r, {2012, 5, 20}, 998), "长女", "", "", ""},
  };
}

}  // namespace gz::residents::import::testing
