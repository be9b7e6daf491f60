// Reading the first worksheet of an .xlsx workbook. Layer: tabular.
#include "tabular/xlsx.h"

#include <charconv>
#include <utility>
#include <vector>

#include "tabular/problems.h"
#include "tabular/table_builder.h"
#include "tabular/xlsx_text.h"
#include "tabular/xml_stream.h"
#include "tabular/zip_archive.h"

namespace gz::tabular {
namespace {

using internal::AddPlace;
using internal::FindAttr;
using internal::TooLargeError;
using internal::XmlVisitor;
using internal::ZipReader;

constexpr int32_t kExcelMaxRows = 1'048'576;

Status BadXlsx(std::string_view reason, std::string note, int32_t row = 0, int32_t column = 0) {
  Status status = InvalidArgument(std::string(problems::kBadXlsx), std::move(note));
  status.With("reason", std::string(reason));
  AddPlace(status, row, column);
  return status;
}

// ---- Package structure (OPC): relationships and part names ----

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
  bool external = false;
};

class RelsVisitor : public XmlVisitor {
 public:
  explicit RelsVisitor(std::vector<Relationship>* rels) : rels_(rels) {}
  Status Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return Status::Ok();
    Relationship rel;
    if (const char* v = FindAttr(attrs, "Id")) rel.id = v;
    if (const char* v = FindAttr(attrs, "Type")) rel.type = v;
    if (const char* v = FindAttr(attrs, "Target")) rel.target = v;
    if (const char* v = FindAttr(attrs, "TargetMode")) rel.external = std::string_view(v) == "External";
    rels_->push_back(std::move(rel));
    return Status::Ok();
  }
  Status End(std::string_view) override { return Status::Ok(); }
  Status Text(std::string_view) override { return Status::Ok(); }

 private:
  std::vector<Relationship>* rels_;
};

struct SheetEntry {
  std::string rel_id;
  bool visible = true;
};

class WorkbookVisitor : public XmlVisitor {
 public:
  explicit WorkbookVisitor(std::vector<SheetEntry>* sheets) : sheets_(sheets) {}
  Status Start(std::string_view name, const char** attrs) override {
    if (name != "sheet") return Status::Ok();
    SheetEntry sheet;
    if (const char* v = FindAttr(attrs, "id")) sheet.rel_id = v;  // r:id, not sheetId
    if (const char* v = FindAttr(attrs, "state")) sheet.visible = std::string_view(v) == "visible";
    sheets_->push_back(std::move(sheet));
    return Status::Ok();
  }
  Status End(std::string_view) override { return Status::Ok(); }
  Status Text(std::string_view) override { return Status::Ok(); }

 private:
  std::vector<SheetEntry>* sheets_;
};

bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

std::string_view DirOf(std::string_view part) {
  const size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels".
std::string RelsPathFor(std::string_view part) {
  const std::string_view dir = DirOf(part);
  return std::string(dir) + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
}

// A relationship target, relative to the folder of its source part or absolute ("/xl/..."), as
// a ZIP entry name with "." and ".." resolved.
std::string ResolveTarget(std::string_view source_dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(source_dir) + std::string(target);
  std::vector<std::string_view> segments;
  std::string_view rest = joined;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string path;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) path += '/';
    path += segments[i];
  }
  return path;
}

Status ParsePart(ZipReader& zip, int64_t index, std::string_view part, XmlVisitor& visitor,
                 const ReadLimits& limits) {
  internal::XmlStream xml(visitor, limits, part);
  GZ_RETURN_IF_ERROR(zip.Read(index, [&xml](std::string_view chunk) { return xml.Feed(chunk); }));
  return xml.Finish();
}

// Reads a .rels part; a missing one is an empty list (the callers fall back to the usual names).
Result<std::vector<Relationship>> ReadRels(ZipReader& zip, const std::string& path, const ReadLimits& limits) {
  std::vector<Relationship> rels;
  const int64_t index = zip.Find(path);
  if (index < 0) return rels;
  RelsVisitor visitor(&rels);
  GZ_RETURN_IF_ERROR(ParsePart(zip, index, path, visitor, limits));
  return rels;
}

// ---- Shared strings ----

class SharedStringsVisitor : public XmlVisitor {
 public:
  SharedStringsVisitor(std::vector<std::string>* strings, const ReadLimits& limits)
      : strings_(strings), limits_(limits) {}

  Status Start(std::string_view name, const char**) override {
    if (name == "si") {
      if (static_cast<int64_t>(strings_->size()) >= limits_.max_shared_strings) {
        return TooLargeError("shared-strings", limits_.max_shared_strings);
      }
      in_si_ = true;
      current_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;  // furigana-style guides are not part of the text
    } else if (name == "t" && in_si_ && phonetic_depth_ == 0) {
      in_t_ = true;
    }
    return Status::Ok();
  }
  Status End(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "si") {
      in_si_ = false;
      strings_->push_back(internal::DecodeXString(current_));
    }
    return Status::Ok();
  }
  Status Text(std::string_view text) override {
    if (!in_t_) return Status::Ok();
    current_ += text;
    if (current_.size() > limits_.max_cell_bytes) {
      return TooLargeError("cell-bytes", static_cast<int64_t>(limits_.max_cell_bytes));
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string>* strings_;
  const ReadLimits& limits_;
  std::string current_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_depth_ = 0;
};

// ---- The worksheet ----

bool ParsePositive(std::string_view text, int64_t max, int32_t* out) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > max) return false;
  *out = static_cast<int32_t>(value);
  return true;
}

class SheetVisitor : public XmlVisitor {
 public:
  SheetVisitor(const std::vector<std::string>& shared, const ReadLimits& limits, internal::TableBuilder& builder)
      : shared_(shared), limits_(limits), builder_(builder) {}

  Status Start(std::string_view name, const char** attrs) override {
    if (name == "sheetData") {
      in_data_ = true;
      return Status::Ok();
    }
    if (!in_data_) return Status::Ok();
    if (name == "row") return StartRow(attrs);
    if (name == "c") return StartCell(attrs);
    if (!in_cell_) return Status::Ok();
    if (name == "v") {
      in_v_ = true;
      has_value_ = true;
    } else if (name == "f") {
      has_formula_ = true;
    } else if (name == "is") {
      in_is_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_is_ && phonetic_depth_ == 0) {
      in_t_ = true;
    }
    return Status::Ok();
  }

  Status End(std::string_view name) override {
    if (name == "sheetData") {
      in_data_ = false;
    } else if (!in_data_) {
      return Status::Ok();
    } else if (name == "row") {
      in_row_ = false;
      return builder_.AddRow(std::move(row_));
    } else if (name == "c") {
      in_cell_ = false;
      return EndCell();
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    }
    return Status::Ok();
  }

  Status Text(std::string_view text) override {
    std::string* target = in_v_ ? &value_ : in_t_ ? &inline_ : nullptr;
    if (!target) return Status::Ok();
    *target += text;
    if (target->size() > limits_.max_cell_bytes) {
      return TooLargeError("cell-bytes", static_cast<int64_t>(limits_.max_cell_bytes), row_.number, column_);
    }
    return Status::Ok();
  }

 private:
  Status StartRow(const char** attrs) {
    int32_t number = last_row_ + 1;
    if (const char* r = FindAttr(attrs, "r")) {
      if (!ParsePositive(r, kExcelMaxRows, &number)) return BadXlsx("bad-row-number", "row r out of range", last_row_ + 1);
    }
    if (number <= last_row_) return BadXlsx("out-of-order", "rows not ascending", number);
    if (number > kExcelMaxRows) return BadXlsx("bad-row-number", "past Excel's last row", number);
    row_ = Row{};
    row_.number = number;
    last_row_ = number;
    last_column_ = 0;
    in_row_ = true;
    return Status::Ok();
  }

  Status StartCell(const char** attrs) {
    if (!in_row_) return BadXlsx("bad-cell-ref", "a cell outside a row");
    int32_t column = last_column_ + 1;
    if (const char* r = FindAttr(attrs, "r")) {
      int32_t ref_row = 0;
      if (!ParseCellRef(r, &ref_row, &column) || (ref_row != 0 && ref_row != row_.number)) {
        return BadXlsx("bad-cell-ref", "cell reference does not fit its row", row_.number);
      }
    }
    if (column <= last_column_) return BadXlsx("out-of-order", "cells not ascending", row_.number, column);
    last_column_ = column;
    column_ = column;
    const char* t = FindAttr(attrs, "t");
    type_ = t ? t : "n";
    value_.clear();
    inline_.clear();
    has_value_ = has_formula_ = in_v_ = in_is_ = in_t_ = false;
    phonetic_depth_ = 0;
    in_cell_ = true;
    return Status::Ok();
  }

  Status EndCell() {
    Cell cell;
    cell.row = row_.number;
    cell.column = column_;
    if (type_ == "s") {
      if (has_value_) {
        size_t index = 0;
        const auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
        if (ec != std::errc() || end != value_.data() + value_.size() || index >= shared_.size()) {
          return BadXlsx("bad-shared-string", "shared string index out of range", row_.number, column_);
        }
        cell.text = shared_[index];
      }
    } else if (type_ == "inlineStr") {
      cell.text = internal::DecodeXString(inline_.empty() && has_value_ ? value_ : inline_);
    } else if (type_ == "str") {
      cell.text = internal::DecodeXString(value_);
    } else if (type_ == "b") {
      if (value_ == "1") {
        cell.text = "TRUE";
      } else if (value_ == "0") {
        cell.text = "FALSE";
      } else {
        cell.text = value_;
        if (!value_.empty()) cell.problem = problems::kCellBadNumber;
      }
    } else if (type_ == "e") {
      cell.text = value_;
      cell.problem = problems::kCellErrorValue;
    } else if (type_ == "d") {
      cell.text = value_;
    } else {
      cell.text = value_;
      if (!value_.empty()) {
        switch (internal::CheckStoredNumber(value_)) {
          case internal::NumberCheck::kOk: break;
          case internal::NumberCheck::kLostPrecision: cell.problem = problems::kCellNumberLostPrecision; break;
          case internal::NumberCheck::kNotANumber: cell.problem = problems::kCellBadNumber; break;
        }
      }
    }
    // A formula whose result was never computed: no <v>, or an empty one (openpyxl writes
    // <v></v>). An empty string result (t="str") is a real result.
    if (has_formula_ && type_ != "inlineStr" && (!has_value_ || (value_.empty() && type_ != "str"))) {
      cell.problem = problems::kCellFormulaNotCalculated;
    }
    if (cell.text.size() > limits_.max_cell_bytes) {
      return TooLargeError("cell-bytes", static_cast<int64_t>(limits_.max_cell_bytes), cell.row, cell.column);
    }
    if (cell.text.empty() && cell.problem.empty()) return Status::Ok();  // styled but empty
    if (cell.column > limits_.max_columns) {
      return TooLargeError("columns", limits_.max_columns, cell.row, cell.column);
    }
    row_.cells.push_back(std::move(cell));
    return Status::Ok();
  }

  const std::vector<std::string>& shared_;
  const ReadLimits& limits_;
  internal::TableBuilder& builder_;
  Row row_;
  int32_t last_row_ = 0;
  int32_t last_column_ = 0;
  int32_t column_ = 0;
  std::string type_;
  std::string value_;
  std::string inline_;
  bool in_data_ = false, in_row_ = false, in_cell_ = false;
  bool in_v_ = false, in_is_ = false, in_t_ = false;
  bool has_value_ = false, has_formula_ = false;
  int phonetic_depth_ = 0;
};

// ---- Finding the parts ----

struct Parts {
  std::string sheet;
  std::string shared_strings;  // empty: none
};

Result<Parts> FindParts(ZipReader& zip, const ReadLimits& limits) {
  Parts parts;
  std::string workbook = "xl/workbook.xml";
  GZ_ASSIGN_OR_RETURN(std::vector<Relationship> root_rels, ReadRels(zip, "_rels/.rels", limits));
  for (const Relationship& rel : root_rels) {
    if (!rel.external && EndsWith(rel.type, "/officeDocument")) {
      workbook = ResolveTarget("", rel.target);
      break;
    }
  }
  const int64_t workbook_index = zip.Find(workbook);
  if (workbook_index < 0) return BadXlsx("no-workbook", "no workbook part: " + workbook);
  std::vector<SheetEntry> sheets;
  WorkbookVisitor workbook_visitor(&sheets);
  GZ_RETURN_IF_ERROR(ParsePart(zip, workbook_index, workbook, workbook_visitor, limits));
  GZ_ASSIGN_OR_RETURN(std::vector<Relationship> rels, ReadRels(zip, RelsPathFor(workbook), limits));

  const std::string_view dir = DirOf(workbook);
  std::string first_hidden;
  for (const SheetEntry& sheet : sheets) {
    for (const Relationship& rel : rels) {
      if (rel.id != sheet.rel_id || rel.external || !EndsWith(rel.type, "/worksheet")) continue;
      if (sheet.visible && parts.sheet.empty()) parts.sheet = ResolveTarget(dir, rel.target);
      if (!sheet.visible && first_hidden.empty()) first_hidden = ResolveTarget(dir, rel.target);
    }
    if (!parts.sheet.empty()) break;
  }
  if (parts.sheet.empty()) parts.sheet = first_hidden;
  // Workbooks from careless generators lack relationships; the conventional name still works.
  if (parts.sheet.empty() && zip.Find(std::string(dir) + "worksheets/sheet1.xml") >= 0) {
    parts.sheet = std::string(dir) + "worksheets/sheet1.xml";
  }
  if (parts.sheet.empty()) return BadXlsx("no-worksheet", "the workbook lists no worksheet");

  for (const Relationship& rel : rels) {
    if (!rel.external && EndsWith(rel.type, "/sharedStrings")) {
      parts.shared_strings = ResolveTarget(dir, rel.target);
      break;
    }
  }
  if (parts.shared_strings.empty() && zip.Find(std::string(dir) + "sharedStrings.xml") >= 0) {
    parts.shared_strings = std::string(dir) + "sharedStrings.xml";
  }
  return parts;
}

Result<Table> ReadXlsxUnguarded(std::string_view bytes, const ReadLimits& limits) {
  GZ_ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open(bytes, limits));
  GZ_ASSIGN_OR_RETURN(Parts parts, FindParts(zip, limits));

  std::vector<std::string> shared;
  if (!parts.shared_strings.empty()) {
    const int64_t index = zip.Find(parts.shared_strings);
    if (index < 0) return BadXlsx("missing-part", "shared strings part missing: " + parts.shared_strings);
    SharedStringsVisitor visitor(&shared, limits);
    GZ_RETURN_IF_ERROR(ParsePart(zip, index, parts.shared_strings, visitor, limits));
  }

  const int64_t sheet_index = zip.Find(parts.sheet);
  if (sheet_index < 0) return BadXlsx("missing-part", "worksheet part missing: " + parts.sheet);
  internal::TableBuilder builder(limits);
  SheetVisitor visitor(shared, limits, builder);
  GZ_RETURN_IF_ERROR(ParsePart(zip, sheet_index, parts.sheet, visitor, limits));
  return std::move(builder).Finish();
}

}  // namespace

Result<Table> ReadXlsx(std::string_view bytes, const ReadLimits& limits) {
  return internal::NoThrow([&] { return ReadXlsxUnguarded(bytes, limits); });
}

}  // namespace gz::tabular
