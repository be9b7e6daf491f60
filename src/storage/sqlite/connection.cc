// SQLite connection: configuration, statement cache, binding, value and error mapping.
#include "storage/sqlite/connection.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <strings.h>

#include "storage/problems.h"

namespace gz::storage::sqlite {
namespace {

// Statement texts are constants in module code, so the cache stays small; the bound only guards
// against SQL built at run time (IN lists of varying length).
constexpr size_t kMaxCachedStatements = 512;

std::string Excerpt(std::string_view sql) {
  constexpr size_t kMax = 200;
  return sql.size() <= kMax ? std::string(sql) : std::string(sql.substr(0, kMax)) + "...";
}

Status CannotOpen(std::string reason, std::string note) {
  return Unavailable(std::string(problems::kCannotOpen), std::move(note)).With("reason", std::move(reason));
}

// "reason" for a failed open: SQLite's message plus the OS error, if any.
std::string OpenFailureReason(sqlite3* db) {
  if (!db) return "out of memory";
  std::string reason = sqlite3_errmsg(db);
  if (int e = sqlite3_system_errno(db); e != 0) reason += std::string(" (") + std::strerror(e) + ")";
  return reason;
}

// Pragmas that protect the guarantees of db.h (durability, integrity, the read/write split):
// module SQL may read them but never set them.
bool IsProtectedPragma(const char* name) {
  static constexpr const char* kProtected[] = {
      "synchronous",  "journal_mode",   "foreign_keys",             "query_only",
      "locking_mode", "writable_schema", "ignore_check_constraints", "schema_version",
      "trusted_schema"};
  for (const char* p : kProtected)
    if (strcasecmp(p, name) == 0) return true;
  return false;
}

Value ReadColumn(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);  // after column_text, as SQLite requires
      return p ? std::string(p, static_cast<size_t>(n)) : std::string();
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      return Blob{p ? std::string(p, static_cast<size_t>(n)) : std::string()};  // empty blob: p is null
    }
    default:
      return nullptr;
  }
}

// Resets a cached statement when the call that uses it ends, whatever the outcome, so that it
// neither holds a read lock nor keeps pointers to the caller's parameters.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

// "$7" -> 7; anything else -> 0.
size_t PlaceholderNumber(const char* name) {
  if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9') return 0;
  size_t n = 0;
  for (const char* p = name + 1; *p; ++p) {
    if (*p < '0' || *p > '9' || n > 100000) return 0;
    n = n * 10 + static_cast<size_t>(*p - '0');
  }
  return n;
}

bool OnlySpace(const char* p, const char* end) {
  return std::all_of(p, end, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';'; });
}

}  // namespace

Status StatusFromSqlite(sqlite3* db, int rc, std::string_view sql) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string note = message + " [" + sqlite3_errstr(rc) + ", code " + std::to_string(rc) + "]";
  if (!sql.empty()) note += " in: " + Excerpt(sql);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return AlreadyExists(std::string(problems::kConflict), std::move(note));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return FailedPrecondition(std::string(problems::kConstraint), std::move(note));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(std::string(problems::kBusy), std::move(note));
    case SQLITE_FULL:
      return Unavailable(std::string(problems::kDiskFull), std::move(note));
    case SQLITE_IOERR: {
      int e = db ? sqlite3_system_errno(db) : 0;
      if (e == ENOSPC || e == EDQUOT) return Unavailable(std::string(problems::kDiskFull), std::move(note));
      return Internal(std::move(note));
    }
    default:
      return Internal(std::move(note));
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Role role, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = CannotOpen(OpenFailureReason(db), "sqlite3_open_v2 " + path);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);

  auto run = [&](const char* sql) -> Status {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return Status::Ok();
    return CannotOpen(OpenFailureReason(db), std::string(sql) + " on " + path);
  };
  if (role == Role::kWriter) {
    // The first statement to read the file header: a file that is not a database fails here.
    // It returns the journal mode now in force: "wal", or the old one if WAL is not possible.
    std::string mode;
    auto first_column = [](void* out, int, char** values, char**) {
      if (values && values[0]) *static_cast<std::string*>(out) = values[0];
      return 0;
    };
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", first_column, &mode, nullptr) != SQLITE_OK)
      return CannotOpen(OpenFailureReason(db), "PRAGMA journal_mode = WAL on " + path);
    if (mode != "wal")
      return CannotOpen("the file system does not support WAL (shared memory)", "journal_mode stayed " + mode);
  }
  GZ_RETURN_IF_ERROR(run("PRAGMA synchronous = FULL"));
  GZ_RETURN_IF_ERROR(run("PRAGMA foreign_keys = ON"));
  if (role == Role::kReader) GZ_RETURN_IF_ERROR(run("PRAGMA query_only = ON"));
  // Installed last: the pragmas above are exactly what it refuses afterwards.
  sqlite3_set_authorizer(db, &Connection::Authorize, conn.get());
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : control_statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

int Connection::Authorize(void* self, int action, const char* a1, const char* a2, const char*, const char*) {
  auto* conn = static_cast<Connection*>(self);
  switch (action) {
    case SQLITE_TRANSACTION:
      if (conn->control_allowed_) return SQLITE_OK;
      conn->denied_ = "BEGIN/COMMIT/ROLLBACK inside Read()/Write(); the store manages the transaction";
      return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      conn->denied_ = "ATTACH/DETACH";
      return SQLITE_DENY;
    case SQLITE_PRAGMA:
      if (a2 != nullptr && a1 != nullptr && IsProtectedPragma(a1)) {
        conn->denied_ = std::string("setting PRAGMA ") + a1;
        return SQLITE_DENY;
      }
      return SQLITE_OK;
    default:
      return SQLITE_OK;
  }
}

Result<sqlite3_stmt*> Connection::Prepare(StatementCache& cache, std::string_view sql) {
  if (auto it = cache.find(sql); it != cache.end()) return it->second;
  if (cache.size() >= kMaxCachedStatements) {
    // Nothing is mid-step here (every call steps to completion), so finalizing all is safe.
    for (auto& [text, stmt] : cache) sqlite3_finalize(stmt);
    cache.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  denied_.clear();
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    Status s = StatusFromSqlite(db_, rc, sql);
    if (rc == SQLITE_AUTH) s = Internal("refused by the storage layer: " + denied_ + "; in: " + Excerpt(sql));
    return s;
  }
  if (!stmt) return Internal("empty SQL statement");
  const char* end = sql.data() + sql.size();
  if (!OnlySpace(tail, end)) {
    // Something follows: another statement, or only a comment (which is harmless).
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v3(db_, tail, static_cast<int>(end - tail), 0, &next, nullptr);
    sqlite3_finalize(next);
    if (rc != SQLITE_OK || next != nullptr) {
      sqlite3_finalize(stmt);
      return Internal("more than one statement in Query()/Exec(); use ExecScript(): " + Excerpt(sql));
    }
  }
  cache.emplace(std::string(sql), stmt);
  return stmt;
}

Status Connection::Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
  int count = sqlite3_bind_parameter_count(stmt);
  if (static_cast<size_t>(count) != params.size()) {
    return Internal("the statement has " + std::to_string(count) + " distinct parameters but " +
                    std::to_string(params.size()) + " values were given: " + Excerpt(sql));
  }
  for (int index = 1; index <= count; ++index) {
    const char* name = sqlite3_bind_parameter_name(stmt, index);
    size_t n = PlaceholderNumber(name);
    if (n == 0 || n > params.size()) {
      return Internal(std::string("placeholder ") + (name ? name : "?") + " is not one of $1..$" +
                      std::to_string(params.size()) + ": " + Excerpt(sql));
    }
    // count distinct names, each $k with k <= count: so $1..$count each appear exactly once.
    const Value& v = params[n - 1];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *i);
    } else if (auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      // SQLITE_STATIC: ResetOnExit clears the binding before `params` can go away.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (auto* b = std::get_if<Blob>(&v)) {
      // A zero-length blob must stay a blob, not become NULL.
      rc = b->bytes.empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                            : sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return StatusFromSqlite(db_, rc, sql);
  }
  return Status::Ok();
}

Status Connection::Run(StatementCache& cache, std::string_view sql, const Params& params, ResultSet* rows,
                       int64_t* changes, const std::function<Status(const Row&)>* each) {
  GZ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(cache, sql));
  ResetOnExit reset{stmt};
  GZ_RETURN_IF_ERROR(Bind(stmt, params, sql));
  if (rows) {
    int n = sqlite3_column_count(stmt);
    rows->columns.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const char* name = sqlite3_column_name(stmt, i);
      rows->columns.emplace_back(name ? name : "");
    }
  }
  int64_t total_before = sqlite3_total_changes64(db_);
  int rc;
  std::vector<Value> values;  // when streaming, one buffer serves every row
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!rows && !each) continue;
    int n = sqlite3_column_count(stmt);
    values.clear();
    values.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) values.push_back(ReadColumn(stmt, i));
    if (each) {
      Row row(std::move(values));
      Status s = (*each)(row);
      values = std::move(row).Release();
      GZ_RETURN_IF_ERROR(s);
    } else {
      rows->rows.emplace_back(std::move(values));
      values = {};
    }
  }
  if (rc != SQLITE_DONE) return StatusFromSqlite(db_, rc, sql);
  // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, even across a later
  // DDL statement; if nothing changed during this one, it changed nothing.
  if (changes) *changes = sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
  return Status::Ok();
}

Result<ResultSet> Connection::Query(std::string_view sql, const Params& params) {
  ResultSet rs;
  GZ_RETURN_IF_ERROR(Run(statements_, sql, params, &rs, nullptr));
  return rs;
}

Status Connection::QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each) {
  return Run(statements_, sql, params, nullptr, nullptr, &each);
}

Result<int64_t> Connection::Exec(std::string_view sql, const Params& params) {
  int64_t changes = 0;
  GZ_RETURN_IF_ERROR(Run(statements_, sql, params, nullptr, &changes));
  return changes;
}

Status Connection::ExecScript(std::string_view sql) {
  const char* p = sql.data();
  const char* end = p + sql.size();
  while (p < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    denied_.clear();
    int rc = sqlite3_prepare_v3(db_, p, static_cast<int>(end - p), 0, &stmt, &tail);
    std::string_view current(p, static_cast<size_t>((tail ? tail : end) - p));
    if (rc != SQLITE_OK) {
      if (rc == SQLITE_AUTH) return Internal("refused by the storage layer: " + denied_ + "; in: " + Excerpt(current));
      return StatusFromSqlite(db_, rc, current);
    }
    p = tail;
    if (!stmt) continue;  // only whitespace or a comment was left
    if (sqlite3_bind_parameter_count(stmt) > 0) {
      sqlite3_finalize(stmt);
      return Internal("ExecScript() takes no parameters: " + Excerpt(current));
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Status s = rc == SQLITE_DONE ? Status::Ok() : StatusFromSqlite(db_, rc, current);
    sqlite3_finalize(stmt);
    GZ_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status Connection::Control(std::string_view sql) {
  control_allowed_ = true;
  Status s = Run(control_statements_, sql, {}, nullptr, nullptr);
  control_allowed_ = false;
  return s;
}

}  // namespace gz::storage::sqlite
