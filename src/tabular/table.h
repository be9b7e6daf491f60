// Table: a spreadsheet as village offices keep it -- one header row and data rows of UTF-8 text.
//
// Layer: tabular (interface; standard library and core only, so module domain code may use it).
// Every cell remembers where it came from, 1-based, in the numbering a clerk sees when the file is
// open in Excel or WPS: row 7, column C. A CSV record whose quoted field holds a line break is one
// row, as in Excel (not two text-editor lines). Error messages and dry-run reports cite "C7".
//
// The readers (csv.h, xlsx.h) give every table the same shape, so that an importer can address a
// cell by header position without bounds checks:
//   - rows with no text are left out (Excel's ",,,," lines, formatted but empty sheet rows) unless
//     a cell has a problem to report; the rows that remain keep their own numbers;
//   - the header is the first row that is not blank; trailing empty header cells are dropped;
//   - every data row has at least as many cells as the header (missing cells are empty, with
//     their row and column set); cells beyond the header are kept only up to the last one that
//     holds text, so an importer can report "a value in a column without a heading".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::tabular {

// Limits that keep a hostile or mistaken upload from costing the server more than a normal one.
// The defaults fit a county's resident list many times over (a village has a few thousand
// people); callers may lower them. Cell and row limits apply to both formats.
struct ReadLimits {
  size_t max_file_bytes = 20u << 20;                // the upload as received (zipped, for .xlsx)
  int32_t max_rows = 100'000;                       // data rows after blank rows are left out
  int32_t max_columns = 512;                        // Excel allows 16,384; no register needs 512
  int64_t max_cells = 1'000'000;                    // rows x width, counted as they are built
  size_t max_cell_bytes = 128u << 10;               // Excel's 32,767 characters, in UTF-8
  // .xlsx only: the ZIP container and its XML parts.
  int32_t max_zip_entries = 1'000;
  uint64_t max_entry_bytes = 100ull << 20;          // uncompressed, one part (zip bomb)
  uint64_t max_total_uncompressed_bytes = 200ull << 20;  // uncompressed, every part read
  int32_t max_shared_strings = 1'000'000;
  int32_t max_xml_depth = 32;                       // a worksheet nests about 7 deep
};

// 1 -> "A", 26 -> "Z", 27 -> "AA", 16384 -> "XFD". Empty for column < 1.
std::string ColumnName(int32_t column);

// Parses an A1-style reference ("C7", "AA10", "XFD1048576"). Without a row part ("AA") sets
// row to 0. Returns false for anything else, or past Excel's 16,384 columns and 1,048,576 rows.
bool ParseCellRef(std::string_view ref, int32_t* row, int32_t* column);

struct Cell {
  std::string text;           // UTF-8, exactly as stored (numbers keep their stored spelling)
  int32_t row = 0;            // 1-based
  int32_t column = 0;         // 1-based; ColumnName() gives the letters
  // Empty, or why the text cannot be trusted as the clerk meant it: one of the kCell* codes in
  // problems.h ("number-lost-precision", ...). Points at a string literal, never at the file.
  std::string_view problem;

  std::string ColumnName() const { return tabular::ColumnName(column); }
  std::string Ref() const { return tabular::ColumnName(column) + std::to_string(row); }  // "C7"
  bool operator==(const Cell&) const = default;
};

struct Row {
  int32_t number = 0;  // 1-based row in the file
  std::vector<Cell> cells;

  // The text of the cell at 0-based `index`, or empty past the end.
  std::string_view Text(size_t index) const {
    return index < cells.size() ? std::string_view(cells[index].text) : std::string_view();
  }
  bool operator==(const Row&) const = default;
};

struct Table {
  Row header;
  std::vector<Row> rows;

  size_t width() const { return header.cells.size(); }
  // 0-based index of the first header cell whose text is `name`, or -1.
  int FindColumn(std::string_view name) const;
  // Every cell, header included, whose problem is set, in reading order.
  std::vector<const Cell*> CellsWithProblems() const;
  bool operator==(const Table&) const = default;

  // A table to export, numbered as a sheet would be: the header is row 1, data rows follow from
  // row 2. Shaped like a reader's result (rows padded to the header width), so that
  // Read(Write(t)) == t for a table without blank rows or formula-like text.
  static Table FromStrings(const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows);
};

// The per-cell problem of `cell` as a Status the importer can put in its row-by-row report:
// kInvalidArgument, slug "tabular/" + problem, arguments row, column (letters) and reason.
// OK when the cell has no problem. Never carries the cell's text (it may be personal data).
Status CellProblem(const Cell& cell);

}  // namespace gz::tabular
