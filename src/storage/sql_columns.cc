#include "storage/sql_columns.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace gz::storage {

std::string QualifiedColumns(std::string_view alias, std::string_view columns) {
  std::string out;
  size_t at = 0;
  while (at < columns.size()) {
    size_t end = columns.find(',', at);
    if (end == std::string_view::npos) end = columns.size();
    std::string_view name = columns.substr(at, end - at);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out += std::string(alias) + "." + std::string(name);
    at = end + 1;
  }
  return out;
}

size_t ColumnCount(std::string_view columns) {
  return static_cast<size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
}

Row SliceRow(const Row& row, size_t first, size_t n) {
  std::vector<Value> values;
  values.reserve(n);
  for (size_t i = first; i < first + n; ++i) values.push_back(row.at(i));
  return Row(std::move(values));
}

}  // namespace gz::storage
