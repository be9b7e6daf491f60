// RFC 4180 record splitting, line by line. Layer: divisions domain.
#include "modules/divisions/csv_reader.h"

namespace gz::divisions {

bool ParseCsvRecord(std::string_view text, std::vector<std::string>* fields, std::string_view* error) {
  fields->clear();
  std::string field;
  size_t i = 0;
  while (true) {
    field.clear();
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          *error = "unterminated-quote";
          return false;
        }
        char c = text[i++];
        if (c != '"') {
          field += c;
        } else if (i < text.size() && text[i] == '"') {
          field += '"';  // "" inside quotes is one quote
          ++i;
        } else {
          break;
        }
      }
      if (i < text.size() && text[i] != ',') {
        *error = "text-after-quote";
        return false;
      }
    } else {
      while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') {
          *error = "stray-quote";
          return false;
        }
        field += text[i++];
      }
    }
    fields->push_back(field);
    if (i >= text.size()) return true;
    ++i;  // the comma; a trailing comma yields a last empty field
    if (i == text.size()) {
      fields->emplace_back();
      return true;
    }
  }
}

CsvReader::Outcome CsvReader::Next(std::vector<std::string>* fields) {
  while (std::getline(in_, line_)) {
    ++record_line_;
    bytes_read_ += static_cast<int64_t>(line_.size()) + (in_.eof() ? 0 : 1);
    std::string_view text = line_;
    if (record_line_ == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.empty()) continue;
    if (!ParseCsvRecord(text, fields, &error_)) return Outcome::kMalformed;
    return Outcome::kRecord;
  }
  return Outcome::kEnd;
}

}  // namespace gz::divisions
