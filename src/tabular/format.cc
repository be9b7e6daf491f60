// Format detection by magic number. Layer: tabular.
#include "tabular/format.h"

#include "tabular/csv.h"
#include "tabular/xlsx.h"

namespace gz::tabular {

Format DetectFormat(std::string_view bytes) {
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return Format::kXls;
  // A local file header, or the end record of an empty archive.
  if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06")) return Format::kXlsx;
  return Format::kCsv;
}

Result<Table> ReadTable(std::string_view bytes, const ReadLimits& limits) {
  if (DetectFormat(bytes) == Format::kCsv) return ReadCsv(bytes, limits);
  return ReadXlsx(bytes, limits);  // which also rejects kXls with the clear reason
}

}  // namespace gz::tabular
