// Copying a store between backends and digesting its tables (storage/copy_store.h).
#include "storage/copy_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <memory>
#include <set>

namespace gz::storage {
namespace {

Status Refused(std::string reason) {
  return Status(Code::kFailedPrecondition, "storage/copy-refused").With("reason", std::move(reason));
}

// Table and column names come from the stores' own catalogs, never from a person; quoting keeps
// a name that happens to be a keyword working on both engines.
std::string Quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ColumnList(const TableSchema& t) {
  std::string out;
  for (const std::string& c : t.columns) out += (out.empty() ? "" : ", ") + Quote(c);
  return out;
}

// Primary-key order (all columns when there is none), text in byte order on both engines so that
// the two sides stream their rows in the same order.
std::string OrderBy(const TableSchema& t, Dialect dialect) {
  std::vector<std::string> keys = t.primary_key.empty() ? t.columns : t.primary_key;
  std::string out;
  for (const std::string& k : keys) {
    auto it = std::find(t.columns.begin(), t.columns.end(), k);
    bool text = it != t.columns.end() && t.text_column[static_cast<size_t>(it - t.columns.begin())];
    out += (out.empty() ? "" : ", ") + Quote(k);
    if (text) out += dialect == Dialect::kSqlite ? " COLLATE BINARY" : " COLLATE \"C\"";
  }
  return out.empty() ? "" : " ORDER BY " + out;
}

std::string SelectAll(const TableSchema& t, Dialect dialect) {
  return "SELECT " + ColumnList(t) + " FROM " + Quote(t.name) + OrderBy(t, dialect);
}

bool IsTextType(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type.find("char") != std::string::npos || type.find("text") != std::string::npos ||
         type.find("clob") != std::string::npos;
}

Result<std::vector<TableSchema>> ReadSqliteTables(Tx& tx) {
  GZ_ASSIGN_OR_RETURN(ResultSet names, tx.Query("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
  std::vector<TableSchema> tables;
  for (const Row& n : names.rows) {
    TableSchema t;
    t.name = n.Text(0);
    GZ_ASSIGN_OR_RETURN(ResultSet cols, tx.Query("SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid", {t.name}));
    std::vector<std::pair<int64_t, std::string>> pk;
    for (const Row& c : cols.rows) {
      t.columns.push_back(c.Text(0));
      t.text_column.push_back(IsTextType(c.Text(1)));
      if (c.Int(2) > 0) pk.emplace_back(c.Int(2), c.Text(0));
    }
    std::sort(pk.begin(), pk.end());
    for (auto& [n_, c] : pk) t.primary_key.push_back(c);
    GZ_ASSIGN_OR_RETURN(ResultSet fks, tx.Query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)", {t.name}));
    for (const Row& f : fks.rows) t.references.push_back(f.Text(0));
    tables.push_back(std::move(t));
  }
  return tables;
}

Result<std::vector<TableSchema>> ReadPostgresTables(Tx& tx) {
  GZ_ASSIGN_OR_RETURN(ResultSet names, tx.Query("SELECT table_name::text FROM information_schema.tables "
                                                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"));
  std::vector<TableSchema> tables;
  for (const Row& n : names.rows) {
    TableSchema t;
    t.name = n.Text(0);
    GZ_ASSIGN_OR_RETURN(ResultSet cols,
                        tx.Query("SELECT column_name::text, data_type::text FROM information_schema.columns "
                                 "WHERE table_schema = current_schema() AND table_name::text = $1 ORDER BY ordinal_position",
                                 {t.name}));
    for (const Row& c : cols.rows) {
      t.columns.push_back(c.Text(0));
      t.text_column.push_back(IsTextType(c.Text(1)));
    }
    GZ_ASSIGN_OR_RETURN(ResultSet pk, tx.Query(
        "SELECT a.attname::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace ns ON ns.oid = t.relnamespace "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE ns.nspname = current_schema() AND t.relname::text = $1 AND i.indisprimary ORDER BY k.ord",
        {t.name}));
    for (const Row& p : pk.rows) t.primary_key.push_back(p.Text(0));
    GZ_ASSIGN_OR_RETURN(ResultSet fks, tx.Query(
        "SELECT DISTINCT r.relname::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace ns ON ns.oid = t.relnamespace JOIN pg_class r ON r.oid = c.confrelid "
        "WHERE c.contype = 'f' AND ns.nspname = current_schema() AND t.relname::text = $1",
        {t.name}));
    for (const Row& f : fks.rows) t.references.push_back(f.Text(0));
    tables.push_back(std::move(t));
  }
  return tables;
}

void AppendBigEndian(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

struct EvpDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

int64_t ValueBytes(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return static_cast<int64_t>(s->size());
  if (auto* b = std::get_if<Blob>(&v)) return static_cast<int64_t>(b->bytes.size());
  return 8;
}

}  // namespace

Result<std::vector<TableSchema>> ReadTables(Tx& tx) {
  Result<std::vector<TableSchema>> tables =
      tx.dialect() == Dialect::kSqlite ? ReadSqliteTables(tx) : ReadPostgresTables(tx);
  if (!tables.ok()) return tables;
  for (TableSchema& t : *tables) {
    std::sort(t.references.begin(), t.references.end());
    t.references.erase(std::unique(t.references.begin(), t.references.end()), t.references.end());
  }
  std::sort(tables->begin(), tables->end(), [](const TableSchema& a, const TableSchema& b) { return a.name < b.name; });
  return tables;
}

Result<std::vector<TableSchema>> OrderForCopy(std::vector<TableSchema> tables) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tables.size(); ++i) index[tables[i].name] = i;
  // Kahn's algorithm; the set keeps ties in name order.
  std::map<std::string, int> waiting_on;
  std::map<std::string, std::vector<std::string>> dependents;
  for (const TableSchema& t : tables) {
    int n = 0;
    for (const std::string& r : t.references) {
      if (r == t.name) continue;
      if (!index.count(r)) return Refused("table " + t.name + " references " + r + ", which the store does not have");
      ++n;
      dependents[r].push_back(t.name);
    }
    waiting_on[t.name] = n;
  }
  std::set<std::string> ready;
  for (const auto& [name, n] : waiting_on)
    if (n == 0) ready.insert(name);
  std::vector<TableSchema> ordered;
  while (!ready.empty()) {
    std::string name = *ready.begin();
    ready.erase(ready.begin());
    ordered.push_back(tables[index[name]]);
    for (const std::string& d : dependents[name])
      if (--waiting_on[d] == 0) ready.insert(d);
  }
  if (ordered.size() != tables.size()) {
    std::string cycle;
    for (const auto& [name, n] : waiting_on)
      if (n > 0) cycle += (cycle.empty() ? "" : ", ") + name;
    return Refused("the foreign keys of these tables form a cycle: " + cycle);
  }
  return ordered;
}

std::vector<std::string> CompareTables(const std::vector<TableSchema>& source, const std::vector<TableSchema>& target) {
  std::map<std::string, const TableSchema*> s, t;
  for (const TableSchema& x : source) s[x.name] = &x;
  for (const TableSchema& x : target) t[x.name] = &x;
  std::vector<std::string> out;
  for (const auto& [name, table] : s) {
    auto it = t.find(name);
    if (it == t.end()) {
      out.push_back("only in the source: table " + name);
      continue;
    }
    std::set<std::string> sc(table->columns.begin(), table->columns.end());
    std::set<std::string> tc(it->second->columns.begin(), it->second->columns.end());
    for (const std::string& c : sc)
      if (!tc.count(c)) out.push_back(name + ": column " + c + " only in the source");
    for (const std::string& c : tc)
      if (!sc.count(c)) out.push_back(name + ": column " + c + " only in the target");
  }
  for (const auto& [name, table] : t)
    if (!s.count(name)) out.push_back("only in the target: table " + name);
  return out;
}

Result<std::vector<std::string>> NonEmptyTables(Tx& tx, const std::vector<TableSchema>& tables) {
  std::vector<std::string> out;
  for (const TableSchema& t : tables) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT 1 FROM " + Quote(t.name) + " LIMIT 1"));
    if (!rs.empty()) out.push_back(t.name);
  }
  return out;
}

void AppendCanonical(const Value& value, std::string* out) {
  if (std::holds_alternative<std::nullptr_t>(value)) {
    out->push_back('\x00');
  } else if (auto* i = std::get_if<int64_t>(&value)) {
    out->push_back('\x01');
    AppendBigEndian(static_cast<uint64_t>(*i), out);
  } else if (auto* d = std::get_if<double>(&value)) {
    out->push_back('\x02');
    AppendBigEndian(std::bit_cast<uint64_t>(*d), out);
  } else if (auto* s = std::get_if<std::string>(&value)) {
    out->push_back('\x03');
    AppendBigEndian(s->size(), out);
    out->append(*s);
  } else if (auto* b = std::get_if<Blob>(&value)) {
    out->push_back('\x04');
    AppendBigEndian(b->bytes.size(), out);
    out->append(b->bytes);
  }
}

Result<TableDigest> DigestTable(Tx& tx, const TableSchema& table) {
  std::unique_ptr<EVP_MD_CTX, EvpDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return Internal("SHA-256 is not available");
  TableDigest digest;
  digest.table = table.name;
  std::string buffer;
  GZ_RETURN_IF_ERROR(tx.QueryEach(SelectAll(table, tx.dialect()), {}, [&](const Row& row) -> Status {
    buffer.clear();
    for (size_t i = 0; i < row.size(); ++i) AppendCanonical(row.at(i), &buffer);
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), buffer.size()) != 1) return Internal("SHA-256 failed");
    ++digest.rows;
    return Status::Ok();
  }));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &n) != 1) return Internal("SHA-256 failed");
  digest.sha256_hex = Hex(out, n);
  return digest;
}

Status CopyTables(Db& source, Db& target, const std::vector<TableSchema>& tables,
                  const std::vector<std::string>& clear_first, const CopyOptions& options) {
  const std::set<std::string> to_clear(clear_first.begin(), clear_first.end());
  return source.Read([&](Tx& src) -> Status {
    for (const TableSchema& table : tables) {
      const size_t ncols = table.columns.size();
      if (ncols == 0) return Internal("table " + table.name + " has no columns");
      // Bounded statements: both engines limit the parameters of one statement (SQLite 32766).
      const int rows_per_statement =
          std::max<int>(1, std::min<int>(options.batch_rows, static_cast<int>(2000 / ncols)));
      const int batch_rows = std::max(rows_per_statement, options.batch_rows / rows_per_statement * rows_per_statement);
      auto insert_sql = [&](size_t rows) {
        std::string sql = "INSERT INTO " + Quote(table.name) + " (" + ColumnList(table) + ") VALUES ";
        size_t p = 1;
        for (size_t r = 0; r < rows; ++r) {
          sql += r ? ", (" : "(";
          for (size_t c = 0; c < ncols; ++c) sql += (c ? ", $" : "$") + std::to_string(p++);
          sql += ")";
        }
        return sql;
      };
      const std::string full_insert = insert_sql(static_cast<size_t>(rows_per_statement));

      CopyProgress progress{table.name, 0, 0, false};
      GZ_ASSIGN_OR_RETURN(ResultSet count, src.Query("SELECT COUNT(*) FROM " + Quote(table.name)));
      progress.total = count.rows.at(0).Int(0);
      bool clear = to_clear.count(table.name) > 0;

      std::vector<std::vector<Value>> batch;
      int64_t batch_bytes = 0;
      auto flush = [&]() -> Status {
        if (batch.empty() && !clear) return Status::Ok();
        Status s = target.Write([&](Tx& tx) -> Status {
          // Runs again from the start if PostgreSQL retries the transaction: it only reads `batch`.
          if (clear) GZ_RETURN_IF_ERROR(tx.Exec("DELETE FROM " + Quote(table.name)).status());
          for (size_t begin = 0; begin < batch.size(); begin += static_cast<size_t>(rows_per_statement)) {
            size_t n = std::min(batch.size() - begin, static_cast<size_t>(rows_per_statement));
            Params params;
            params.reserve(n * ncols);
            for (size_t r = begin; r < begin + n; ++r)
              for (const Value& v : batch[r]) params.push_back(v);
            GZ_RETURN_IF_ERROR(tx.Exec(n == static_cast<size_t>(rows_per_statement) ? full_insert : insert_sql(n), params).status());
          }
          return Status::Ok();
        });
        if (!s.ok()) return s.With("table", table.name);
        clear = false;
        progress.copied += static_cast<int64_t>(batch.size());
        batch.clear();
        batch_bytes = 0;
        if (options.progress) options.progress(progress);
        return Status::Ok();
      };

      Status read = src.QueryEach(SelectAll(table, src.dialect()), {}, [&](const Row& row) -> Status {
        std::vector<Value> values;
        values.reserve(row.size());
        for (size_t i = 0; i < row.size(); ++i) {
          values.push_back(row.at(i));
          batch_bytes += ValueBytes(values.back());
        }
        batch.push_back(std::move(values));
        if (static_cast<int>(batch.size()) >= batch_rows || batch_bytes >= options.batch_bytes) return flush();
        return Status::Ok();
      });
      if (!read.ok()) return read.With("table", table.name);
      GZ_RETURN_IF_ERROR(flush());
      progress.done = true;
      if (options.progress) options.progress(progress);
    }
    return Status::Ok();
  });
}

Result<int> ResetSequences(Db& target) {
  if (target.dialect() != Dialect::kPostgres) return 0;
  struct Owned {
    std::string table, column, sequence;
  };
  std::vector<Owned> owned;
  GZ_RETURN_IF_ERROR(target.Read([&](Tx& tx) -> Status {
    owned.clear();
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(
        "SELECT t.relname::text, a.attname::text, s.oid::regclass::text FROM pg_class s "
        "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
        "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "JOIN pg_namespace ns ON ns.oid = t.relnamespace "
        "WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND ns.nspname = current_schema()"));
    for (const Row& r : rs.rows) owned.push_back({r.Text(0), r.Text(1), r.Text(2)});
    return Status::Ok();
  }));
  for (const Owned& o : owned) {
    GZ_RETURN_IF_ERROR(target.Write([&](Tx& tx) -> Status {
      // is_called = false with max + 1: the next nextval() returns exactly max + 1 (1 when empty).
      return tx.Query("SELECT setval($1::regclass, COALESCE((SELECT MAX(" + Quote(o.column) + ") FROM " +
                          Quote(o.table) + "), 0) + 1, false)",
                      {o.sequence})
          .status();
    }));
  }
  return static_cast<int>(owned.size());
}

}  // namespace gz::storage
