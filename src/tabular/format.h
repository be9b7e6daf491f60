// Which reader a file needs, told from its first bytes rather than its name (a clerk's
// "名单.csv" may well be a workbook renamed by hand).
//
// Layer: tabular (interface).
#pragma once

#include <string_view>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular {

enum class Format {
  kCsv,   // anything that is not one of the two below: CSV is decided by ReadCsv
  kXlsx,  // a ZIP container (Office Open XML)
  kXls,   // an OLE compound file: legacy .xls, or an .xlsx that Office encrypted with a password
};

Format DetectFormat(std::string_view bytes);

// ReadXlsx or ReadCsv by DetectFormat; an OLE file is "tabular/xls-not-supported".
Result<Table> ReadTable(std::string_view bytes, const ReadLimits& limits);

}  // namespace gz::tabular
