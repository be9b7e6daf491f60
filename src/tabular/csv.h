// CSV as Excel and WPS save it: reading (RFC 4180, UTF-8 or GB18030) and writing (UTF-8 + BOM).
//
// Layer: tabular (interface).
//
// Reading. Quoted fields may hold commas, doubled quotes ("") and line breaks; records end with
// CRLF, LF or a lone CR. A UTF-8 byte-order mark is stripped. The encoding is detected, not
// asked for: valid UTF-8 is UTF-8; otherwise the bytes are decoded as GB18030 (which includes
// GBK, the code page of "CSV (comma delimited)" from a Chinese Windows) when they are valid
// GB18030. Two cases are rejected rather than decoded, because decoding would turn names into
// nonsense without anyone noticing: a file with a UTF-8 byte-order mark, and a file that is mostly
// well-formed UTF-8 with a few bad bytes (a damaged UTF-8 file, not a GBK one). Inside a quoted
// field CRLF becomes LF, the line break of an Excel cell. Unlike the divisions reader, a quoted
// field may span lines (an address cell with a line break), so an unterminated quote fails the
// whole file, citing the row and column where the quote opened.
//
// Errors (kInvalidArgument, see problems.h): "tabular/bad-csv", "tabular/bad-encoding",
// "tabular/too-large", "tabular/xls-not-supported", "tabular/empty", with {row}, {column} (letters)
// and {line} where the problem is.
//
// Writing. UTF-8 with a byte-order mark (without one, Excel on a Chinese Windows reads the file
// as GBK and shows mojibake; the mark also stops Excel from taking a file that starts with "ID"
// for SYLK), CRLF line ends, and quotes around any field with a comma, quote, CR or LF. Every
// cell goes through NeutraliseFormula (formula.h). Header first, then rows, in order; cell
// positions are not consulted.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular {

Result<Table> ReadCsv(std::string_view bytes, const ReadLimits& limits);

std::string WriteCsv(const Table& table);

}  // namespace gz::tabular
