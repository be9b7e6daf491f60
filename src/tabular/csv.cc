// CSV reading and writing. Layer: tabular.
#include "tabular/csv.h"

#include <utility>

#include "tabular/encoding.h"
#include "tabular/format.h"
#include "tabular/formula.h"
#include "tabular/problems.h"
#include "tabular/table_builder.h"

namespace gz::tabular {
namespace {

using internal::AddPlace;
using internal::TooLargeError;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct Place {
  int32_t row = 1;
  int32_t column = 1;
  int32_t line = 1;
};

Status CsvError(std::string_view slug, std::string_view reason, const Place& place) {
  Status status = InvalidArgument(std::string(slug), std::string(reason));
  status.With("reason", std::string(reason));
  AddPlace(status, place.row, place.column);
  status.With("line", std::to_string(place.line));
  return status;
}

// Where byte `offset` of `raw` lies, by the same rules the parser follows. Quotes, commas and
// line ends are ASCII, and neither UTF-8 nor GB18030 uses ASCII bytes inside a multi-byte
// character, so this works on the undecoded bytes (to place an encoding error).
Place Locate(std::string_view raw, size_t offset) {
  Place place;
  bool in_quotes = false;
  bool field_start = true;
  for (size_t i = 0; i < offset && i < raw.size(); ++i) {
    const char c = raw[i];
    const bool crlf = c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n';
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < raw.size() && raw[i + 1] == '"') {
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (c == '\n' || (c == '\r' && !crlf)) {
        ++place.line;
      }
      continue;
    }
    if (c == '"' && field_start) {
      in_quotes = true;
      field_start = false;
    } else if (c == ',') {
      ++place.column;
      field_start = true;
    } else if (c == '\n' || (c == '\r' && !crlf)) {
      ++place.row;
      ++place.line;
      place.column = 1;
      field_start = true;
    } else if (!crlf) {
      field_start = false;
    }
  }
  return place;
}

// Decides the encoding and returns UTF-8 text without a byte-order mark, in *storage when it had
// to be converted.
Result<std::string_view> DecodeText(std::string_view raw, std::string* storage) {
  if (raw.starts_with("\xFF\xFE") || raw.starts_with("\xFE\xFF")) {
    return CsvError(problems::kBadEncoding, problems::kReasonUtf16, Place{});
  }
  const bool had_bom = raw.starts_with(kUtf8Bom);
  if (had_bom) raw.remove_prefix(kUtf8Bom.size());
  if (const size_t nul = raw.find('\0'); nul != std::string_view::npos) {
    return CsvError(problems::kBadEncoding, problems::kReasonNulByte, Locate(raw, nul));
  }
  const internal::Utf8Census census = internal::CensusUtf8(raw);
  if (census.invalid == 0) return raw;
  // GBK text reads as UTF-8 with a bad sequence every character or two, and only by chance
  // (about one character in twelve) as a valid multi-byte one; a damaged UTF-8 file is the
  // reverse. Decoding the latter as GB18030 would "succeed" and garble every name.
  if (had_bom || census.valid_multibyte > census.invalid) {
    return CsvError(problems::kBadEncoding, problems::kReasonNotUtf8, Locate(raw, census.first_invalid));
  }
  size_t bad_offset = 0;
  if (!internal::Gb18030ToUtf8(raw, storage, &bad_offset)) {
    return CsvError(problems::kBadEncoding, problems::kReasonNotGb18030, Locate(raw, bad_offset));
  }
  std::string_view text = *storage;
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());  // GB18030's own mark
  return text;
}

class Parser {
 public:
  Parser(std::string_view text, const ReadLimits& limits) : text_(text), limits_(limits), builder_(limits) {}

  Result<Table> Run() {
    while (i_ < text_.size()) GZ_RETURN_IF_ERROR(ParseRecord());
    return std::move(builder_).Finish();
  }

 private:
  bool AtEnd() const { return i_ >= text_.size(); }
  char Peek() const { return text_[i_]; }

  // Consumes a line end at i_ (CRLF, LF or CR); false if there is none.
  bool ConsumeLineEnd() {
    if (AtEnd()) return false;
    if (Peek() == '\n') {
      ++i_;
      return true;
    }
    if (Peek() == '\r') {
      ++i_;
      if (!AtEnd() && Peek() == '\n') ++i_;
      return true;
    }
    return false;
  }

  Status ParseRecord() {
    Row row;
    row.number = place_.row;
    place_.column = 1;
    while (true) {
      std::string field;
      GZ_RETURN_IF_ERROR(ParseField(&field));
      if (static_cast<int64_t>(field.size()) > static_cast<int64_t>(limits_.max_cell_bytes)) {
        return TooLargeError("cell-bytes", static_cast<int64_t>(limits_.max_cell_bytes), place_.row, place_.column);
      }
      // Empty fields past the column limit are harmless (Excel pads rows with commas); text there
      // is not.
      if (place_.column > limits_.max_columns) {
        if (!field.empty()) return TooLargeError("columns", limits_.max_columns, place_.row, place_.column);
      } else {
        row.cells.push_back(Cell{std::move(field), place_.row, place_.column, {}});
      }
      if (!AtEnd() && Peek() == ',') {
        ++i_;
        ++place_.column;
        continue;
      }
      break;  // at a line end or the end of the text (ParseField guarantees one of them)
    }
    GZ_RETURN_IF_ERROR(builder_.AddRow(std::move(row)));
    if (ConsumeLineEnd()) {
      ++place_.row;
      ++place_.line;
    }
    return Status::Ok();
  }

  Status ParseField(std::string* field) {
    if (AtEnd() || Peek() != '"') {
      const size_t start = i_;
      while (!AtEnd() && Peek() != ',' && Peek() != '\n' && Peek() != '\r') {
        if (Peek() == '"') return CsvError(problems::kBadCsv, problems::kReasonStrayQuote, place_);
        ++i_;
      }
      field->assign(text_.substr(start, i_ - start));
      return Status::Ok();
    }
    const Place opened = place_;
    ++i_;
    while (true) {
      if (AtEnd()) return CsvError(problems::kBadCsv, problems::kReasonUnterminatedQuote, opened);
      if (field->size() > limits_.max_cell_bytes) {
        return TooLargeError("cell-bytes", static_cast<int64_t>(limits_.max_cell_bytes), opened.row, opened.column);
      }
      const char c = text_[i_];
      if (c == '"') {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
          *field += '"';
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      }
      if (c == '\r' && i_ + 1 < text_.size() && text_[i_ + 1] == '\n') {
        *field += '\n';
        i_ += 2;
        ++place_.line;
        continue;
      }
      if (c == '\n' || c == '\r') ++place_.line;
      *field += c;
      ++i_;
    }
    if (!AtEnd() && Peek() != ',' && Peek() != '\n' && Peek() != '\r') {
      return CsvError(problems::kBadCsv, problems::kReasonTextAfterQuote, place_);
    }
    return Status::Ok();
  }

  std::string_view text_;
  const ReadLimits& limits_;
  internal::TableBuilder builder_;
  size_t i_ = 0;
  Place place_;
};

bool NeedsQuotes(std::string_view text) {
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

void AppendRow(const Row& row, std::string* out) {
  for (size_t i = 0; i < row.cells.size(); ++i) {
    if (i > 0) *out += ',';
    const std::string text = NeutraliseFormula(row.cells[i].text);
    if (!NeedsQuotes(text)) {
      *out += text;
      continue;
    }
    *out += '"';
    for (char c : text) {
      if (c == '"') *out += '"';
      *out += c;
    }
    *out += '"';
  }
  *out += "\r\n";
}

Result<Table> ReadCsvUnguarded(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return TooLargeError("file-bytes", static_cast<int64_t>(limits.max_file_bytes));
  }
  switch (DetectFormat(bytes)) {
    case Format::kXls:
      return InvalidArgument(std::string(problems::kXlsNotSupported),
                             "xls-not-supported: save as .xlsx or CSV (OLE compound file)")
          .With("reason", std::string(problems::kReasonXls));
    case Format::kXlsx:
      return CsvError(problems::kBadCsv, problems::kReasonLooksLikeXlsx, Place{});
    case Format::kCsv:
      break;
  }
  std::string storage;
  GZ_ASSIGN_OR_RETURN(std::string_view text, DecodeText(bytes, &storage));
  return Parser(text, limits).Run();
}

}  // namespace

Result<Table> ReadCsv(std::string_view bytes, const ReadLimits& limits) {
  return internal::NoThrow([&] { return ReadCsvUnguarded(bytes, limits); });
}

std::string WriteCsv(const Table& table) {
  std::string out(kUtf8Bom);
  AppendRow(table.header, &out);
  for (const Row& row : table.rows) AppendRow(row, &out);
  return out;
}

}  // namespace gz::tabular
