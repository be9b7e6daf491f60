// Table helpers and the shape every reader gives its table. Layer: tabular.
#include "tabular/table.h"

#include <algorithm>
#include <utility>

#include "tabular/problems.h"
#include "tabular/table_builder.h"

namespace gz::tabular {
namespace {

constexpr int32_t kExcelMaxColumns = 16'384;
constexpr int32_t kExcelMaxRows = 1'048'576;

// A cell "holds" something when it has text, or a problem to report even without text (a
// formula whose value was not saved): such a cell must reach the importer's report.
bool Holds(const Cell& cell) { return !cell.text.empty() || !cell.problem.empty(); }

bool RowHasText(const Row& row) {
  for (const Cell& cell : row.cells) {
    if (Holds(cell)) return true;
  }
  return false;
}

// Number of cells up to and including the last one that holds something.
size_t TextWidth(const std::vector<Cell>& cells) {
  size_t width = cells.size();
  while (width > 0 && !Holds(cells[width - 1])) --width;
  return width;
}

// Makes cells[i].column == i + 1 for i < width, filling gaps and the tail with empty cells.
std::vector<Cell> Densify(std::vector<Cell> sparse, int32_t row_number, size_t width) {
  if (sparse.size() == width) {
    bool dense = true;
    for (size_t i = 0; i < sparse.size() && dense; ++i) dense = sparse[i].column == static_cast<int32_t>(i + 1);
    if (dense) return sparse;
  }
  std::vector<Cell> dense(width);
  for (size_t i = 0; i < width; ++i) {
    dense[i].row = row_number;
    dense[i].column = static_cast<int32_t>(i + 1);
  }
  for (Cell& cell : sparse) {
    const size_t index = static_cast<size_t>(cell.column - 1);
    if (index < width) dense[index] = std::move(cell);
  }
  return dense;
}

}  // namespace

std::string ColumnName(int32_t column) {
  std::string name;
  while (column > 0) {
    --column;  // bijective base 26: there is no zero digit
    name.insert(name.begin(), static_cast<char>('A' + column % 26));
    column /= 26;
  }
  return name;
}

bool ParseCellRef(std::string_view ref, int32_t* row, int32_t* column) {
  size_t i = 0;
  int64_t col = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    const char c = static_cast<char>(ref[i] & ~0x20);  // upper case
    col = col * 26 + (c - 'A' + 1);
    if (col > kExcelMaxColumns) return false;
    ++i;
  }
  if (i == 0) return false;
  int64_t r = 0;
  const size_t digits_start = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    r = r * 10 + (ref[i] - '0');
    if (r > kExcelMaxRows) return false;
    ++i;
  }
  if (i != ref.size()) return false;
  if (i > digits_start && r == 0) return false;
  *row = static_cast<int32_t>(r);
  *column = static_cast<int32_t>(col);
  return true;
}

int Table::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < header.cells.size(); ++i) {
    if (header.cells[i].text == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<const Cell*> Table::CellsWithProblems() const {
  std::vector<const Cell*> found;
  for (const Cell& cell : header.cells) {
    if (!cell.problem.empty()) found.push_back(&cell);
  }
  for (const Row& row : rows) {
    for (const Cell& cell : row.cells) {
      if (!cell.problem.empty()) found.push_back(&cell);
    }
  }
  return found;
}

Table Table::FromStrings(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
  auto make_row = [](const std::vector<std::string>& texts, int32_t number) {
    Row row;
    row.number = number;
    row.cells.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      row.cells.push_back(Cell{texts[i], number, static_cast<int32_t>(i + 1), {}});
    }
    return row;
  };
  Table table;
  table.header = make_row(header, 1);
  table.header.cells.resize(TextWidth(table.header.cells));
  table.rows.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const int32_t number = static_cast<int32_t>(i + 2);
    Row row = make_row(rows[i], number);
    row.cells = Densify(std::move(row.cells), number, std::max(table.width(), TextWidth(row.cells)));
    table.rows.push_back(std::move(row));
  }
  return table;
}

Status CellProblem(const Cell& cell) {
  if (cell.problem.empty()) return Status::Ok();
  Status status = InvalidArgument("tabular/" + std::string(cell.problem), "cell problem");
  status.With("reason", std::string(cell.problem));
  internal::AddPlace(status, cell.row, cell.column);
  return status;
}

namespace internal {

Status& AddPlace(Status& status, int32_t row, int32_t column) {
  if (row > 0) status.With("row", std::to_string(row));
  if (column > 0) status.With("column", ColumnName(column));
  if (row > 0 && column > 0) status.With("cell", ColumnName(column) + std::to_string(row));
  return status;
}

Status TooLargeError(std::string_view reason, int64_t limit, int32_t row, int32_t column) {
  Status status = InvalidArgument(std::string(problems::kTooLarge),
                                  "limit exceeded: " + std::string(reason) + " > " + std::to_string(limit));
  status.With("reason", std::string(reason)).With("limit", std::to_string(limit));
  return AddPlace(status, row, column);
}

Status TableBuilder::AddRow(Row row) {
  if (!RowHasText(row)) return Status::Ok();
  const size_t text_width = TextWidth(row.cells);
  const int32_t last_column = row.cells[text_width - 1].column;
  if (last_column > limits_.max_columns) {
    return TooLargeError("columns", limits_.max_columns, row.number, last_column);
  }
  if (!have_header_) {
    row.cells.resize(text_width);
    row.cells = Densify(std::move(row.cells), row.number, static_cast<size_t>(last_column));
    cells_ += static_cast<int64_t>(row.cells.size());
    if (cells_ > limits_.max_cells) return TooLargeError("cells", limits_.max_cells, row.number);
    table_.header = std::move(row);
    have_header_ = true;
    return Status::Ok();
  }
  if (static_cast<int64_t>(table_.rows.size()) >= limits_.max_rows) {
    return TooLargeError("rows", limits_.max_rows, row.number);
  }
  const size_t width = std::max(table_.width(), static_cast<size_t>(last_column));
  cells_ += static_cast<int64_t>(width);
  if (cells_ > limits_.max_cells) return TooLargeError("cells", limits_.max_cells, row.number);
  row.cells.resize(text_width);
  row.cells = Densify(std::move(row.cells), row.number, width);
  table_.rows.push_back(std::move(row));
  return Status::Ok();
}

Result<Table> TableBuilder::Finish() && {
  if (!have_header_) return InvalidArgument(std::string(problems::kEmpty), "no row holds any text");
  return std::move(table_);
}

}  // namespace internal
}  // namespace gz::tabular
