// SqlDivisionStore. Layer: divisions sql.
#include "modules/divisions/sql/sql_division_store.h"

#include <unordered_map>

#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

using storage::Params;
using storage::Row;
using storage::Tx;

// Rows per multi-row statement: large enough to cut round trips, small enough for any
// parameter limit (SQLite 32766, PostgreSQL 65535). Fixed, so each text is prepared once.
constexpr size_t kChunk = 100;
constexpr size_t kMaxAncestors = kLevelCount - 1;

constexpr std::string_view kColumns = "code, name, short_name";

// "$first, $first+1, ..., $first+n-1"
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

std::string SelectByCodes(size_t n) {
  return "SELECT " + std::string(kColumns) + " FROM divisions_divisions WHERE code IN (" + Placeholders(1, n) +
         ") ORDER BY code";
}

std::string InsertRows(size_t n) {
  std::string sql = "INSERT INTO divisions_divisions (code, name, short_name, level, parent_code) VALUES ";
  for (size_t i = 0; i < n; ++i) {
    if (i) sql += ", ";
    sql += "(" + Placeholders(i * 5 + 1, 5) + ")";
  }
  return sql;
}

const std::string& SelectChunkSql() {
  static const std::string sql = SelectByCodes(kChunk);
  return sql;
}
const std::string& SelectAncestorsSql() {
  static const std::string sql = SelectByCodes(kMaxAncestors);
  return sql;
}
const std::string& InsertChunkSql() {
  static const std::string sql = InsertRows(kChunk);
  return sql;
}
const std::string& InsertOneSql() {
  static const std::string sql = InsertRows(1);
  return sql;
}

// A stored row back into a Division; a malformed stored code is a bug or corruption, not input.
Result<Division> FromRow(const Row& row) {
  std::string code_text = row.Text(0);
  Result<DivisionCode> code = DivisionCode::Parse(code_text);
  if (!code.ok()) return Internal("divisions_divisions holds a malformed code: " + code.status().ToString());
  return Division{*std::move(code), row.Text(1), row.Text(2)};
}

Result<std::vector<Division>> FromRows(const storage::ResultSet& rs) {
  std::vector<Division> out;
  out.reserve(rs.rows.size());
  for (const Row& row : rs.rows) {
    GZ_ASSIGN_OR_RETURN(Division d, FromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

void AppendRow(Params& params, const Division& d) {
  params.emplace_back(d.code.canonical());
  params.emplace_back(d.name);
  params.emplace_back(d.short_name);
  params.emplace_back(static_cast<int64_t>(d.level()));
  if (std::optional<DivisionCode> parent = d.parent_code()) {
    params.emplace_back(parent->canonical());
  } else {
    params.emplace_back(nullptr);
  }
}

// The stored names of those codes of `batch` that exist, by code.
Result<std::unordered_map<std::string, std::pair<std::string, std::string>>> ExistingNames(
    Tx& tx, std::span<const Division> batch) {
  std::unordered_map<std::string, std::pair<std::string, std::string>> existing;
  for (size_t at = 0; at < batch.size(); at += kChunk) {
    size_t n = std::min(kChunk, batch.size() - at);
    Params params;
    params.reserve(kChunk);
    // A short last chunk repeats its last code, so the one statement text serves every chunk.
    for (size_t i = 0; i < kChunk; ++i) params.emplace_back(batch[at + std::min(i, n - 1)].code.canonical());
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(SelectChunkSql(), params));
    for (const Row& row : rs.rows) existing.emplace(row.Text(0), std::make_pair(row.Text(1), row.Text(2)));
  }
  return existing;
}

}  // namespace

Result<Division> SqlDivisionStore::Get(const DivisionCode& code) {
  std::optional<Division> found;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT code, name, short_name FROM divisions_divisions WHERE code = $1",
                                 {code.canonical()}));
    if (rs.empty()) return Status::Ok();
    GZ_ASSIGN_OR_RETURN(Division d, FromRow(rs.rows[0]));
    found = std::move(d);
    return Status::Ok();
  }));
  if (!found) return NotFound(std::string(problems::kUnknownCode)).With("code", code.canonical());
  return *std::move(found);
}

Result<DivisionPage> SqlDivisionStore::Children(const std::optional<DivisionCode>& parent, const Page& page) {
  DivisionPage out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    // One snapshot for the page and the total, so they agree.
    storage::ResultSet items, total;
    if (parent) {
      GZ_ASSIGN_OR_RETURN(items, tx.Query("SELECT code, name, short_name FROM divisions_divisions "
                                          "WHERE parent_code = $1 ORDER BY code LIMIT $2 OFFSET $3",
                                          {parent->canonical(), page.limit, page.offset}));
      GZ_ASSIGN_OR_RETURN(total, tx.Query("SELECT count(*) FROM divisions_divisions WHERE parent_code = $1",
                                          {parent->canonical()}));
    } else {
      GZ_ASSIGN_OR_RETURN(items, tx.Query("SELECT code, name, short_name FROM divisions_divisions "
                                          "WHERE parent_code IS NULL ORDER BY code LIMIT $1 OFFSET $2",
                                          {page.limit, page.offset}));
      GZ_ASSIGN_OR_RETURN(total, tx.Query("SELECT count(*) FROM divisions_divisions WHERE parent_code IS NULL"));
    }
    GZ_ASSIGN_OR_RETURN(out.items, FromRows(items));
    out.total = total.rows.at(0).Int(0);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Division>> SqlDivisionStore::Ancestors(const DivisionCode& code) {
  std::vector<DivisionCode> chain = code.Ancestors();
  if (chain.empty()) return std::vector<Division>{};
  Params params;
  // Padded with the last ancestor, so one statement text serves every depth.
  for (size_t i = 0; i < kMaxAncestors; ++i) params.emplace_back(chain[std::min(i, chain.size() - 1)].canonical());
  std::vector<Division> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(SelectAncestorsSql(), params));
    // ORDER BY code is province first: an ancestor's padded code sorts before its descendants'.
    GZ_ASSIGN_OR_RETURN(out, FromRows(rs));
    return Status::Ok();
  }));
  return out;
}

Result<LevelCounts> SqlDivisionStore::CountByLevel(const std::optional<DivisionCode>& root) {
  std::string first = root ? root->SubtreeFirst() : std::string(12, '0');
  std::string last = root ? root->SubtreeLast() : std::string(12, '9');
  LevelCounts counts{};
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT level, count(*) FROM divisions_divisions "
                                 "WHERE code BETWEEN $1 AND $2 GROUP BY level",
                                 {first, last}));
    for (const Row& row : rs.rows) {
      int64_t level = row.Int(0);
      if (level < 1 || level > kLevelCount) return Internal("divisions_divisions holds level " + std::to_string(level));
      counts[level - 1] = row.Int(1);
    }
    return Status::Ok();
  }));
  return counts;
}

Result<UpsertCounts> SqlDivisionStore::Upsert(std::span<const Division> batch) {
  UpsertCounts counts;
  if (batch.empty()) return counts;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    counts = UpsertCounts{};  // the backend may run fn again after a retry
    GZ_ASSIGN_OR_RETURN(auto existing, ExistingNames(tx, batch));
    std::vector<const Division*> fresh;
    for (const Division& d : batch) {
      int level = LevelIndex(d.level());
      auto it = existing.find(d.code.canonical());
      if (it == existing.end()) {
        fresh.push_back(&d);
        ++counts.inserted[level];
      } else if (it->second.first != d.name || it->second.second != d.short_name) {
        GZ_RETURN_IF_ERROR(tx.Exec("UPDATE divisions_divisions SET name = $2, short_name = $3 WHERE code = $1",
                                   {d.code.canonical(), d.name, d.short_name})
                               .status());
        ++counts.updated[level];
      } else {
        ++counts.unchanged[level];
      }
    }
    // Batch order is kept, so parents are inserted before their children (foreign key).
    size_t at = 0;
    Params params;
    for (; at + kChunk <= fresh.size(); at += kChunk) {
      params.clear();
      for (size_t i = 0; i < kChunk; ++i) AppendRow(params, *fresh[at + i]);
      GZ_RETURN_IF_ERROR(tx.Exec(InsertChunkSql(), params).status());
    }
    for (; at < fresh.size(); ++at) {
      params.clear();
      AppendRow(params, *fresh[at]);
      GZ_RETURN_IF_ERROR(tx.Exec(InsertOneSql(), params).status());
    }
    return Status::Ok();
  }));
  return counts;
}

}  // namespace gz::divisions
