// CsvReader: streams records from RFC 4180 CSV text, one record at a time.
//
// Layer: divisions domain (standard library only; reads from any std::istream).
// Handles quoted fields with commas and doubled quotes (""), CRLF or LF line ends, and a UTF-8
// byte-order mark before the first record. One record is one line: a quoted field may not span
// lines (no division name contains a line break), so a missing closing quote costs one row
// instead of swallowing the rest of the file. A malformed record is reported and skipped so
// that one bad row does not abort an import of 620,000.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace gz::divisions {

class CsvReader {
 public:
  enum class Outcome {
    kRecord,     // `fields` holds the next record
    kMalformed,  // the record at line() is malformed (error() says how); it was skipped
    kEnd,        // no more records
  };

  // `in` must outlive the reader.
  explicit CsvReader(std::istream& in) : in_(in) {}

  // Reads the next record into `fields` (cleared first). Blank lines are skipped.
  // On kMalformed the reader has consumed the bad physical line and can continue.
  Outcome Next(std::vector<std::string>* fields);

  // 1-based line number where the last record (or malformed record) started.
  int64_t line() const { return record_line_; }
  // Why the last record was malformed: "stray-quote" (a quote inside an unquoted field),
  // "text-after-quote" (a closing quote not followed by a comma or the line end) or
  // "unterminated-quote" (the line ended inside a quoted field).
  std::string_view error() const { return error_; }
  // Bytes consumed so far (for progress display).
  int64_t bytes_read() const { return bytes_read_; }

 private:
  std::istream& in_;
  std::string line_;
  int64_t record_line_ = 0;
  int64_t bytes_read_ = 0;
  std::string_view error_;
};

// Splits one CSV record held in `text` (one line, without its line end).
// Returns false, with `error` set as in CsvReader::error(), if it is malformed.
bool ParseCsvRecord(std::string_view text, std::vector<std::string>* fields, std::string_view* error);

}  // namespace gz::divisions
