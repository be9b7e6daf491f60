// PostgresDb: the connection pool, the transactions and the Tx handed to callbacks (see
// postgres_db.h for the contract). Only this folder includes libpq-fe.h.
#include "storage/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/postgres/sql_text.h"
#include "storage/problems.h"

namespace gz::storage::postgres {
namespace {

using Clock = std::chrono::steady_clock;

// Type OIDs of pg_type (stable since PostgreSQL 7; libpq ships no header with them for clients).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kTextOid = 25, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// After a failed connection attempt, calls fail at once for this long instead of each trying
// again: an outage then costs callers nothing, and a restarted server is found within it.
constexpr auto kReconnectPause = std::chrono::milliseconds(200);

std::string Excerpt(std::string_view sql) {
  constexpr size_t kMax = 200;
  return sql.size() <= kMax ? std::string(sql) : std::string(sql.substr(0, kMax)) + "...";
}

// libpq's messages end with a newline.
std::string Trim(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Status BadOptions(std::string reason) {
  return InvalidArgument(std::string(problems::kBadOptions)).With("reason", std::move(reason));
}

Status Unreachable(std::string note) { return Unavailable(std::string(problems::kUnavailable), std::move(note)); }

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool IsRetryableSqlState(std::string_view state) { return state == "40001" || state == "40P01"; }

// Maps a failed result (or a broken connection) to a Status; see the table in postgres_db.h.
Status StatusFromResult(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state_c = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = state_c ? state_c : "";
  std::string where = sql.empty() ? std::string() : " in: " + Excerpt(sql);
  if (PQstatus(conn) == CONNECTION_BAD || state.empty() || state.rfind("08", 0) == 0 || state == "57P01" ||
      state == "57P02" || state == "57P03" || state == "53300") {
    return Unreachable("the database connection failed: " + Trim(PQerrorMessage(conn)) +
                       (state.empty() ? "" : " [" + state + "]") + where);
  }
  // Class 22 messages quote the offending value ("invalid input syntax for type bigint: ..."),
  // which may be personal data: keep only the SQLSTATE.
  std::string message = state.rfind("22", 0) == 0 ? std::string("data exception")
                                                   : Trim(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
  std::string note = message + " [SQLSTATE " + state + "]" + where;
  if (state == "23505") return AlreadyExists(std::string(problems::kConflict), std::move(note));
  if (state.rfind("23", 0) == 0) return FailedPrecondition(std::string(problems::kConstraint), std::move(note));
  if (IsRetryableSqlState(state) || state == "57014" || state == "55P03")
    return Unavailable(std::string(problems::kBusy), std::move(note));
  if (state == "53100") return Unavailable(std::string(problems::kDiskFull), std::move(note));
  return Internal(std::move(note));
}

// Network byte order, for the binary int8 / float8 parameters.
void PutBigEndian64(uint64_t v, char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

// Parameter arrays for PQexecParams / PQsendQueryParams; point into `params` and into itself.
class BoundParams {
 public:
  static Result<BoundParams> Make(const Params& params, std::string_view sql) {
    BoundParams b;
    size_t n = params.size();
    b.types_.assign(n, 0);
    b.values_.assign(n, nullptr);
    b.lengths_.assign(n, 0);
    b.formats_.assign(n, 0);
    b.numbers_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;  // untyped NULL
      if (auto* x = std::get_if<int64_t>(&v)) {
        PutBigEndian64(static_cast<uint64_t>(*x), b.numbers_[i].data());
        b.types_[i] = kInt8Oid;
      } else if (auto* d = std::get_if<double>(&v)) {
        uint64_t bits;
        std::memcpy(&bits, d, sizeof bits);
        PutBigEndian64(bits, b.numbers_[i].data());
        b.types_[i] = kFloat8Oid;
      } else if (auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return Internal("parameter $" + std::to_string(i + 1) +
                          " is text with a NUL byte, which PostgreSQL cannot store (use a Blob): " + Excerpt(sql));
        }
        // Typed text, as on SQLite a string is TEXT: an untyped one would be read as whatever
        // the column is, so a text could land in a BYTEA column meant for sealed bytes.
        b.types_[i] = kTextOid;
        b.values_[i] = s->c_str();
        continue;
      } else if (auto* blob = std::get_if<Blob>(&v)) {
        b.types_[i] = kByteaOid;
        b.values_[i] = blob->bytes.data();  // never null, also when empty (null would mean NULL)
        b.lengths_[i] = static_cast<int>(blob->bytes.size());
        b.formats_[i] = 1;
        continue;
      }
      b.values_[i] = b.numbers_[i].data();
      b.lengths_[i] = 8;
      b.formats_[i] = 1;
    }
    return b;
  }
  int count() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<std::array<char, 8>> numbers_;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A column value in text format, mapped to the port's Value by the column's type.
Value ReadValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* p = PQgetvalue(res, row, col);
  size_t n = static_cast<size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return static_cast<int64_t>(std::strtoll(p, nullptr, 10));
    case kBoolOid:
      return int64_t{p[0] == 't' ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(p, nullptr);  // "Infinity", "-Infinity" and "NaN" included
    case kNumericOid: {
      // SUM() and AVG() of integers are numeric: whole values stay integers when they fit.
      std::string_view text(p, n);
      if (text.find_first_of(".eEN") == std::string_view::npos) {
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(p, &end, 10);
        if (errno == 0 && end == p + n) return static_cast<int64_t>(v);
      }
      return std::strtod(p, nullptr);
    }
    case kByteaOid: {
      // bytea_output = hex (set on every connection): "\x" then two digits per byte.
      Blob blob;
      if (n >= 2 && p[0] == '\\' && p[1] == 'x') {
        blob.bytes.reserve((n - 2) / 2);
        for (size_t i = 2; i + 1 < n; i += 2)
          blob.bytes.push_back(static_cast<char>(HexDigit(p[i]) * 16 + HexDigit(p[i + 1])));
      }
      return blob;
    }
    default:
      return std::string(p, n);
  }
}

// Runs a callback; an exception becomes kInternal (it must not cross the storage interface).
Status RunCallback(const std::function<Status(Tx&)>& fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Internal(std::string("exception from a storage callback: ") + e.what());
  } catch (...) {
    return Internal("unknown exception from a storage callback");
  }
}

// Set while this thread runs a Write() callback, to refuse a nested Write() that would deadlock.
thread_local const Db* tl_writing = nullptr;

// One pooled connection and the statements prepared on it. Statement texts are constants of
// module code, so the cache stays small; the bound guards against SQL built at run time.
constexpr size_t kMaxPreparedStatements = 512;

struct Session {
  explicit Session(PGconn* c) : pg(c) {}
  ~Session() { PQfinish(pg); }
  PGconn* pg;
  // SQL text + the parameters' kinds -> the prepared statement's name. The kinds are part of the
  // key because a statement's parameter types are fixed when it is prepared.
  std::unordered_map<std::string, std::string> prepared;
  int next_statement = 0;
  // A read-only COMMIT was sent and its answer not read yet: whoever takes the connection next
  // reads it first (PostgresDb::Settle), so a Read() does not wait a round trip for it.
  bool commit_in_flight = false;
  // Left in a state the pool cannot vouch for: closed when released.
  bool discard = false;
};

// Gives a dead connection back and takes another (a Read's BEGIN not yet run: safe to switch).
using ReplaceSession = std::function<Result<Session*>(Session* dead)>;

// The Tx handed to a callback: one connection inside BEGIN ... COMMIT.
class PgTx final : public Tx {
 public:
  explicit PgTx(Session& session) : session_(&session), conn_(session.pg) {}
  // A Read(): `lazy_begin` goes out with the first statement, in the same flight (libpq's pipeline
  // mode), instead of costing a round trip of its own; until it ran, a connection found dead is
  // replaced once through `replace`.
  PgTx(Session& session, const char* lazy_begin, ReplaceSession replace)
      : session_(&session), conn_(session.pg), lazy_begin_(lazy_begin), replace_(std::move(replace)) {}
  // ReadStatement(): one statement outside any transaction (autocommit); a connection found dead
  // before it ran is replaced once, as for a Read().
  struct Autocommit {};
  PgTx(Session& session, Autocommit, ReplaceSession replace)
      : session_(&session), conn_(session.pg), autocommit_(true), replace_(std::move(replace)) {}
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<ResultSet> Query(std::string_view sql, const Params& params) override {
    ResultSet rs;
    GZ_RETURN_IF_ERROR(Run(sql, params, &rs, nullptr));
    return rs;
  }
  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    GZ_RETURN_IF_ERROR(Run(sql, params, nullptr, &changes));
    return changes;
  }
  Status ExecScript(std::string_view sql) override {
    GZ_RETURN_IF_ERROR(CheckUsable());
    GZ_ASSIGN_OR_RETURN(SqlShape shape, AnalyzeSql(sql));
    GZ_RETURN_IF_ERROR(RefuseTransactionControl(shape, sql));
    if (shape.max_placeholder > 0) return Internal("ExecScript() takes no parameters: " + Excerpt(sql));
    if (shape.statements == 0) return Status::Ok();
    GZ_RETURN_IF_ERROR(BeginIfLazy());
    // The simple-query protocol runs every statement of the text, stopping at the first error.
    ResultPtr res(PQexec(conn_, std::string(sql).c_str()));
    ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return CheckStillInTransaction();
    return Fail(StatusFromResult(conn_, res.get(), sql), res.get());
  }
  Status QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each) override;

  // The SQLSTATE of the statement that aborted the transaction ("" while it is healthy).
  const std::string& failed_state() const { return failed_state_; }
  const Status& failed() const { return failed_; }
  bool broken() const { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }
  // The connection the Tx ends on (null if it had to give up a dead one and got no other).
  Session* session() const { return session_; }
  // Whether a transaction was opened (a lazy BEGIN is sent only with a statement).
  bool begun() const { return !lazy_begin_; }

 private:
  Status CheckUsable() const {
    if (streaming_) return Internal("a statement run from inside a QueryEach() callback on the same Tx");
    if (!failed_.ok()) {
      return Status(failed_.code() == Code::kUnavailable ? Code::kUnavailable : Code::kInternal,
                    failed_.code() == Code::kUnavailable ? failed_.slug() : "internal",
                    "a statement after a failed one in the same transaction (PostgreSQL aborts the "
                    "transaction at the first error; return that error instead): " + failed_.ToString());
    }
    return Status::Ok();
  }

  Status RefuseTransactionControl(const SqlShape& shape, std::string_view sql) const {
    if (shape.transaction_control)
      return Internal("BEGIN/COMMIT/ROLLBACK inside Read()/Write(); the store manages the transaction: " + Excerpt(sql));
    return Status::Ok();
  }

  // Remembers the error that aborted the transaction.
  Status Fail(Status s, const PGresult* res) {
    if (failed_.ok()) {
      failed_ = s;
      const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      failed_state_ = state ? state : "broken";
    }
    return s;
  }

  // A statement that ended the transaction behind the store's back (it slipped past the check).
  Status CheckStillInTransaction() {
    if (PQtransactionStatus(conn_) == PQTRANS_INTRANS) return Status::Ok();
    return Fail(Internal("a statement ended the transaction that the store manages"), nullptr);
  }

  Status Run(std::string_view sql, const Params& params, ResultSet* rows, int64_t* changes) {
    GZ_RETURN_IF_ERROR(CheckUsable());
    GZ_ASSIGN_OR_RETURN(SqlShape shape, AnalyzeSql(sql));
    GZ_RETURN_IF_ERROR(RefuseTransactionControl(shape, sql));
    if (shape.statements > 1)
      return Internal("more than one statement in Query()/Exec(); use ExecScript(): " + Excerpt(sql));
    if (shape.statements == 0) return Internal("empty SQL statement");
    GZ_RETURN_IF_ERROR(CheckPlaceholders(shape, params.size(), sql));
    GZ_ASSIGN_OR_RETURN(BoundParams bound, BoundParams::Make(params, sql));
    ResultPtr res;
    for (int attempt = 0;; ++attempt) {
      Result<const std::string*> name = Prepared(sql, bound);
      if (!name.ok()) {
        if (RetryOnFreshConnection(attempt)) continue;
        return name.status();
      }
      if (!lazy_begin_) {
        res.reset(PQexecPrepared(conn_, (*name)->c_str(), bound.count(), bound.values(), bound.lengths(), bound.formats(), 0));
        if (autocommit_ && broken() && RetryOnFreshConnection(attempt)) continue;
        break;
      }
      Status begun = SendWithBegin(**name, bound, res);
      if (begun.ok()) break;
      if (RetryOnFreshConnection(attempt)) continue;
      return begun;
    }
    ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(StatusFromResult(conn_, res.get(), sql), res.get());
    if (rows) {
      int ncols = PQnfields(res.get()), nrows = PQntuples(res.get());
      rows->columns.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) rows->columns.emplace_back(PQfname(res.get(), c));
      rows->rows.reserve(static_cast<size_t>(nrows));
      for (int r = 0; r < nrows; ++r) {
        std::vector<Value> values;
        values.reserve(static_cast<size_t>(ncols));
        for (int c = 0; c < ncols; ++c) values.push_back(ReadValue(res.get(), r, c));
        rows->rows.emplace_back(std::move(values));
      }
    }
    if (changes) {
      std::string_view tag = PQcmdStatus(res.get());
      bool counts = tag.rfind("INSERT", 0) == 0 || tag.rfind("UPDATE", 0) == 0 || tag.rfind("DELETE", 0) == 0 ||
                    tag.rfind("MERGE", 0) == 0;
      *changes = counts ? std::strtoll(PQcmdTuples(res.get()), nullptr, 10) : 0;
    }
    return autocommit_ ? Status::Ok() : CheckStillInTransaction();
  }

  // The name of `sql` prepared on this connection for these parameter types; prepares it once
  // (parsing and planning once per connection instead of at every call).
  Result<const std::string*> Prepared(std::string_view sql, const BoundParams& bound) {
    std::string key(sql);
    key.push_back('\0');
    for (int i = 0; i < bound.count(); ++i) key += std::to_string(bound.types()[i]) + ",";
    if (auto it = session_->prepared.find(key); it != session_->prepared.end()) return &it->second;
    if (session_->prepared.size() >= kMaxPreparedStatements) {
      ResultPtr res(PQexec(conn_, "DEALLOCATE ALL"));
      if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return Fail(StatusFromResult(conn_, res.get(), "DEALLOCATE ALL"), res.get());
      session_->prepared.clear();
    }
    std::string name = "gz_" + std::to_string(session_->next_statement++);
    ResultPtr res(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), bound.count(), bound.types()));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return Fail(StatusFromResult(conn_, res.get(), sql), res.get());
    return &session_->prepared.emplace(std::move(key), std::move(name)).first->second;
  }

  // BEGIN and the prepared statement in one flight. Returns an error only if the BEGIN did not
  // run (then nothing ran); otherwise `out` is the statement's result (null if the connection
  // broke after the BEGIN).
  Status SendWithBegin(const std::string& name, const BoundParams& bound, ResultPtr& out) {
    if (!PQenterPipelineMode(conn_)) return Fail(StatusFromResult(conn_, nullptr, lazy_begin_), nullptr);
    bool sent = PQsendQueryParams(conn_, lazy_begin_, 0, nullptr, nullptr, nullptr, nullptr, 0) &&
                PQsendQueryPrepared(conn_, name.c_str(), bound.count(), bound.values(), bound.lengths(),
                                    bound.formats(), 0) &&
                PQpipelineSync(conn_);
    // Each query's results end with a null; the sync's own result ends the flight.
    std::array<ResultPtr, 2> first;  // the BEGIN's and the statement's first result
    size_t query = 0;
    bool synced = false;
    while (sent && PQstatus(conn_) != CONNECTION_BAD) {
      PGresult* raw = PQgetResult(conn_);
      if (!raw) {
        if (++query > first.size()) break;  // not what the protocol promises: give the connection up
        continue;
      }
      if (PQresultStatus(raw) == PGRES_PIPELINE_SYNC) {
        PQclear(raw);
        synced = true;
        break;
      }
      if (query < first.size() && !first[query]) {
        first[query].reset(raw);
      } else {
        PQclear(raw);
      }
    }
    if (synced && !PQexitPipelineMode(conn_)) synced = false;
    if (!synced) session_->discard = true;
    const PGresult* begin_res = first[0].get();
    if (!begin_res || PQresultStatus(begin_res) != PGRES_COMMAND_OK) {
      if (!synced && PQstatus(conn_) != CONNECTION_BAD)
        return Fail(Unreachable("the pipelined BEGIN did not complete: " + Trim(PQerrorMessage(conn_))), nullptr);
      return Fail(StatusFromResult(conn_, begin_res, lazy_begin_), begin_res);
    }
    lazy_begin_ = nullptr;
    out = std::move(first[1]);
    if (!synced && out && PQstatus(conn_) != CONNECTION_BAD) out.reset();  // treat as broken below
    return Status::Ok();
  }

  // For the statements that are not pipelined (scripts, streams): the lazy BEGIN on its own.
  Status BeginIfLazy() {
    for (int attempt = 0; lazy_begin_; ++attempt) {
      ResultPtr res(PQexec(conn_, lazy_begin_));
      if (res && PQresultStatus(res.get()) == PGRES_COMMAND_OK) {
        lazy_begin_ = nullptr;
        break;
      }
      (void)Fail(StatusFromResult(conn_, res.get(), lazy_begin_), res.get());
      if (!RetryOnFreshConnection(attempt)) return failed_;
    }
    return Status::Ok();
  }

  // Before the lazy BEGIN ran nothing was done in the transaction, so a pooled connection found
  // dead (a server restart) is swapped for a fresh one, once, and the flight sent again.
  bool RetryOnFreshConnection(int attempt) {
    if (attempt > 0 || (!lazy_begin_ && !autocommit_) || !replace_ || !broken()) return false;
    Result<Session*> fresh = replace_(session_);
    if (!fresh.ok()) {
      session_ = nullptr;
      conn_ = nullptr;
      return false;
    }
    session_ = *fresh;
    conn_ = session_->pg;
    failed_ = Status::Ok();
    failed_state_.clear();
    return true;
  }

  // A control statement of our own (SAVEPOINT ...), not checked for transaction control.
  Status Control(const char* sql) {
    ResultPtr res(PQexec(conn_, sql));
    if (res && PQresultStatus(res.get()) == PGRES_COMMAND_OK) return Status::Ok();
    return Fail(StatusFromResult(conn_, res.get(), sql), res.get());
  }

  Session* session_;
  PGconn* conn_;
  const char* lazy_begin_ = nullptr;
  bool autocommit_ = false;
  ReplaceSession replace_;
  Status failed_;
  std::string failed_state_;
  bool streaming_ = false;
};

Status PgTx::QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each) {
  GZ_RETURN_IF_ERROR(CheckUsable());
  GZ_ASSIGN_OR_RETURN(SqlShape shape, AnalyzeSql(sql));
  GZ_RETURN_IF_ERROR(RefuseTransactionControl(shape, sql));
  if (shape.statements != 1) return Internal("QueryEach() takes exactly one statement: " + Excerpt(sql));
  GZ_RETURN_IF_ERROR(CheckPlaceholders(shape, params.size(), sql));
  GZ_ASSIGN_OR_RETURN(BoundParams bound, BoundParams::Make(params, sql));
  GZ_RETURN_IF_ERROR(BeginIfLazy());
  // Stopping early means cancelling the statement, which aborts what it runs in: the savepoint,
  // not the caller's transaction.
  GZ_RETURN_IF_ERROR(Control("SAVEPOINT gz_each"));
  if (!PQsendQueryParams(conn_, std::string(sql).c_str(), bound.count(), bound.types(), bound.values(),
                         bound.lengths(), bound.formats(), 0)) {
    return Fail(StatusFromResult(conn_, nullptr, sql), nullptr);
  }
  PQsetSingleRowMode(conn_);
  Status stopped;       // the callback's non-OK status, if it stopped the stream
  Status query_error;   // the statement's own failure
  std::string query_state;
  bool cancelled = false;
  std::vector<Value> values;
  while (PGresult* raw = PQgetResult(conn_)) {
    ResultPtr res(raw);
    ExecStatusType st = PQresultStatus(raw);
    if (st == PGRES_SINGLE_TUPLE) {
      if (!stopped.ok()) continue;  // draining after a stop
      int ncols = PQnfields(raw);
      values.clear();
      values.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(ReadValue(raw, 0, c));
      Row row(std::move(values));
      streaming_ = true;
      try {
        stopped = each(row);
      } catch (const std::exception& e) {
        stopped = Internal(std::string("exception from a QueryEach() callback: ") + e.what());
      } catch (...) {
        stopped = Internal("unknown exception from a QueryEach() callback");
      }
      streaming_ = false;
      values = std::move(row).Release();
      if (!stopped.ok() && !cancelled) {
        cancelled = true;
        if (PGcancel* cancel = PQgetCancel(conn_)) {
          char buf[256];
          (void)PQcancel(cancel, buf, sizeof buf);  // if it fails, the rest is drained instead
          PQfreeCancel(cancel);
        }
      }
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && query_error.ok()) {
      const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
      query_state = state ? state : "";
      if (!(cancelled && query_state == "57014")) query_error = StatusFromResult(conn_, raw, sql);
    }
  }
  if (!query_error.ok() && stopped.ok()) {
    (void)Fail(query_error, nullptr);
    failed_state_ = query_state.empty() ? "broken" : query_state;
    return query_error;
  }
  if (PQstatus(conn_) == CONNECTION_BAD) return Fail(StatusFromResult(conn_, nullptr, sql), nullptr);
  if (!stopped.ok()) {
    GZ_RETURN_IF_ERROR(Control("ROLLBACK TO SAVEPOINT gz_each"));
    GZ_RETURN_IF_ERROR(Control("RELEASE SAVEPOINT gz_each"));
    return stopped;
  }
  GZ_RETURN_IF_ERROR(Control("RELEASE SAVEPOINT gz_each"));
  return Status::Ok();
}

class PostgresDb final : public Db {
 public:
  explicit PostgresDb(PostgresOptions options) : options_(std::move(options)) {}
  ~PostgresDb() override {
    for (Session* c : idle_) delete c;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return describe_; }
  Status Read(const std::function<Status(Tx&)>& fn) override;
  Result<ResultSet> ReadStatement(std::string_view sql, const Params& params) override;
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Ping() override {
    return Read([](Tx& tx) { return tx.Query("SELECT 1").status(); });
  }
  WriteCounters write_counters() const override {
    std::lock_guard lk(counters_mu_);
    return counters_;
  }
  Status WithStoreLock(std::string_view name, std::chrono::milliseconds wait, const std::function<Status()>& fn) override;

  // Opens the first connection (kept in the pool) and learns what Describe() shows.
  Status Start();

 private:
  Result<Session*> Connect();
  // A pooled connection ready for a new transaction (a read-only COMMIT left in flight by the
  // previous user read and checked first), or a new one.
  Result<Session*> Acquire();
  Result<Session*> AcquireUnsettled();
  // For a Read()'s or ReadStatement()'s Tx: gives a dead pooled connection back and takes another.
  ReplaceSession Replacer() {
    return [this](Session* dead) {
      Release(dead);
      return Acquire();
    };
  }
  // Gives the connection a Tx ends on back to the pool.
  struct TxLease {
    PostgresDb* db;
    const PgTx& tx;
    ~TxLease() {
      if (tx.session()) db->Release(tx.session());
    }
  };
  // Reads the answer to a COMMIT left in flight; false if the connection is not fit for reuse.
  static bool Settle(Session& session);
  // Gives the connection back, or closes it if it is broken or not idle; a broken one also
  // closes every idle connection (after a server restart they are all dead).
  void Release(Session* session);
  // BEGIN on a pooled connection, retrying once on a new connection if the pooled one was dead.
  Result<Session*> Begin(const char* begin_sql);
  static Status Finish(PGconn* conn, const char* sql);
  // One run of a write callback in its own transaction. `retry` is set when the transaction
  // failed to serialize and may run again.
  Status WriteOnce(const std::function<Status(Tx&)>& fn, bool& retry);

  const PostgresOptions options_;
  std::string describe_ = "postgresql://";

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Session*> idle_;
  int open_ = 0;  // connections open or being opened
  Clock::time_point pause_until_{};
  Status last_connect_error_;

  std::mutex writer_mu_;  // one Write() at a time (one_writer_per_process)

  mutable std::mutex counters_mu_;
  WriteCounters counters_;
};

Result<Session*> PostgresDb::Connect() {
  std::string timeout = std::to_string(std::max(2, (options_.connect_timeout_ms + 999) / 1000));
  // Defaults come before the conninfo, so that what the operator wrote in it wins.
  const char* keys[] = {"connect_timeout", "application_name", "keepalives", "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "dbname", "client_encoding", nullptr};
  const char* values[] = {timeout.c_str(), "gongzhi", "1", "10", "3", "3", options_.conninfo.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn) return Unreachable("libpq could not allocate a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    Status s = Unreachable("cannot connect to PostgreSQL: " + Trim(PQerrorMessage(conn)));
    PQfinish(conn);
    return s;
  }
  // NOTICEs ("relation ... already exists, skipping") would go to stderr; the log is ours.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::string setup = "SET statement_timeout = " + std::to_string(options_.statement_timeout_ms) +
                      "; SET lock_timeout = " + std::to_string(options_.lock_timeout_ms) +
                      "; SET bytea_output = 'hex'; SET TIME ZONE 'UTC'; SET extra_float_digits = 1";
  ResultPtr res(PQexec(conn, setup.c_str()));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    Status s = StatusFromResult(conn, res.get(), "SET ...");
    PQfinish(conn);
    return s;
  }
  return new Session(conn);
}

Result<Session*> PostgresDb::Acquire() {
  while (true) {
    GZ_ASSIGN_OR_RETURN(Session * session, AcquireUnsettled());
    if (Settle(*session)) return session;
    // Closed (with every idle one if it is broken); a fresh connection needs no settling, so
    // this ends.
    session->discard = true;
    Release(session);
  }
}

bool PostgresDb::Settle(Session& session) {
  if (!session.commit_in_flight) return true;
  session.commit_in_flight = false;
  bool committed = true;
  // Normally the answer is already in the socket buffer: taking it from there first spares
  // PQgetResult's poll() (it polls before reading when nothing is parsed yet).
  (void)PQconsumeInput(session.pg);
  while (PGresult* res = PQgetResult(session.pg)) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK) committed = false;
    PQclear(res);
  }
  return committed && PQstatus(session.pg) == CONNECTION_OK && PQtransactionStatus(session.pg) == PQTRANS_IDLE;
}

Result<Session*> PostgresDb::AcquireUnsettled() {
  std::unique_lock lk(pool_mu_);
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
  while (true) {
    if (!idle_.empty()) {
      Session* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    if (open_ < options_.pool_size) {
      if (Clock::now() < pause_until_) return last_connect_error_;
      ++open_;
      lk.unlock();
      Result<Session*> conn = Connect();
      lk.lock();
      if (!conn.ok()) {
        --open_;
        pause_until_ = Clock::now() + kReconnectPause;
        last_connect_error_ = conn.status();
        pool_cv_.notify_all();  // waiters should fail fast too, not wait for a connection
        return conn.status();
      }
      return *conn;
    }
    if (pool_cv_.wait_until(lk, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= options_.pool_size) {
      return Unavailable(std::string(problems::kBusy), "no free PostgreSQL connection within " +
                                                           std::to_string(options_.acquire_timeout_ms) + " ms");
    }
    if (Clock::now() < pause_until_ && idle_.empty()) return last_connect_error_;
  }
}

void PostgresDb::Release(Session* session) {
  PGconn* conn = session->pg;
  std::vector<Session*> dead;
  {
    std::lock_guard lk(pool_mu_);
    PGTransactionStatusType ts = PQtransactionStatus(conn);
    bool healthy = !session->discard && PQstatus(conn) == CONNECTION_OK &&
                   (ts == PQTRANS_IDLE || (ts == PQTRANS_ACTIVE && session->commit_in_flight));
    if (healthy) {
      idle_.push_back(session);
    } else {
      dead.push_back(session);
      --open_;
      if (PQstatus(conn) == CONNECTION_BAD) {
        open_ -= static_cast<int>(idle_.size());
        dead.insert(dead.end(), idle_.begin(), idle_.end());
        idle_.clear();
      }
    }
  }
  pool_cv_.notify_all();
  for (Session* c : dead) delete c;  // outside the lock: PQfinish may send a Terminate message
}

Status PostgresDb::Finish(PGconn* conn, const char* sql) {
  ResultPtr res(PQexec(conn, sql));
  if (res && PQresultStatus(res.get()) == PGRES_COMMAND_OK) return Status::Ok();
  return StatusFromResult(conn, res.get(), sql);
}

Result<Session*> PostgresDb::Begin(const char* begin_sql) {
  for (int attempt = 0;; ++attempt) {
    GZ_ASSIGN_OR_RETURN(Session * session, Acquire());
    Status s = Finish(session->pg, begin_sql);
    if (s.ok()) return session;
    bool dead = PQstatus(session->pg) == CONNECTION_BAD;
    Release(session);
    // Nothing was done yet, so a dead pooled connection is replaced safely, once.
    if (!dead || attempt >= 1) return s;
  }
}

// Round trips: the BEGIN travels with the first statement, and the COMMIT's answer is read by
// the connection's next user, so a Read() of one statement waits once instead of three times
// (twice when the connection is reused before the COMMIT's answer came back).
Status PostgresDb::Read(const std::function<Status(Tx&)>& fn) {
  GZ_ASSIGN_OR_RETURN(Session * session, Acquire());
  PgTx tx(*session, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", Replacer());
  TxLease lease{this, tx};
  Status s = RunCallback(fn, tx);
  if (s.ok() && !tx.failed().ok()) s = tx.failed();
  if (tx.broken()) return s.ok() ? Unreachable("the connection broke during Read()") : s;
  if (!tx.begun()) return s;  // no statement ran: there is no transaction to end
  PGconn* conn = tx.session()->pg;
  if (!s.ok()) {
    (void)Finish(conn, "ROLLBACK");
    return s;
  }
  // Everything the callback read came from one snapshot already, and a read-only transaction
  // has nothing to lose at COMMIT: send it, do not wait. If it cannot even be sent the
  // connection is unusable and is closed on release; the answer is still correct.
  if (PQsendQuery(conn, "COMMIT")) {
    tx.session()->commit_in_flight = true;
  } else {
    tx.session()->discard = true;
  }
  return Status::Ok();
}

Result<ResultSet> PostgresDb::ReadStatement(std::string_view sql, const Params& params) {
  if (!IsSelectStatement(sql)) return Internal("ReadStatement() runs a SELECT only: " + Excerpt(sql));
  GZ_ASSIGN_OR_RETURN(Session * session, Acquire());
  PgTx tx(*session, PgTx::Autocommit{}, Replacer());
  TxLease lease{this, tx};
  Result<ResultSet> rows = tx.Query(sql, params);
  if (tx.broken()) return rows.ok() ? Unreachable("the connection broke during ReadStatement()") : rows.status();
  return rows;
}

Status PostgresDb::WriteOnce(const std::function<Status(Tx&)>& fn, bool& retry) {
  retry = false;
  GZ_ASSIGN_OR_RETURN(Session * session, Begin("BEGIN ISOLATION LEVEL SERIALIZABLE"));
  struct Lease {
    PostgresDb* db;
    Session* session;
    ~Lease() { db->Release(session); }
  } lease{this, session};
  PGconn* conn = session->pg;
  PgTx tx(*session);
  const Db* outer = tl_writing;  // a Write() on another store may be running this one
  tl_writing = this;
  Status mine = RunCallback(fn, tx);
  tl_writing = outer;
  {
    std::lock_guard lk(counters_mu_);
    ++counters_.writes;
  }
  if (tx.broken()) return mine.ok() || mine.code() != Code::kUnavailable ? Unreachable("the connection broke during Write()") : mine;
  if (!tx.failed().ok()) {
    (void)Finish(conn, "ROLLBACK");
    // Whatever the callback made of the error, a serialization failure means "run it again".
    if (IsRetryableSqlState(tx.failed_state())) {
      retry = true;
      return tx.failed();
    }
    return mine.ok() ? tx.failed() : mine;
  }
  if (!mine.ok()) {
    (void)Finish(conn, "ROLLBACK");
    return mine;
  }
  ResultPtr res(PQexec(conn, "COMMIT"));
  ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK) {
    if (PQstatus(conn) == CONNECTION_BAD)
      return Unreachable("the connection broke during COMMIT; the write may or may not have been committed");
    const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
    retry = state && IsRetryableSqlState(state);
    Status s = StatusFromResult(conn, res.get(), "COMMIT");
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) (void)Finish(conn, "ROLLBACK");
    return s;
  }
  std::lock_guard lk(counters_mu_);
  ++counters_.commits;
  ++counters_.committed_writes;
  return Status::Ok();
}

Status PostgresDb::Write(const std::function<Status(Tx&)>& fn) {
  if (tl_writing == this) return Internal("Write() called inside a Write() callback on the same store");
  std::unique_lock<std::mutex> one_writer;
  if (options_.one_writer_per_process) one_writer = std::unique_lock(writer_mu_);
  thread_local std::minstd_rand jitter(static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  Status s;
  for (int attempt = 1;; ++attempt) {
    bool retry = false;
    s = WriteOnce(fn, retry);
    if (!retry) return s;
    if (attempt >= options_.max_write_attempts) {
      return Unavailable(std::string(problems::kBusy),
                         "the write failed to serialize " + std::to_string(attempt) + " times: " + s.ToString());
    }
    // Randomized, growing pause, so that the transactions that collided do not collide again.
    int cap_ms = std::min(100, 1 << std::min(attempt, 7));
    std::this_thread::sleep_for(std::chrono::microseconds(jitter() % (cap_ms * 1000) + 100));
  }
}

// A session advisory lock, on a connection outside the pool so that `fn` can use every pooled
// one. The key includes the schema: databases split by county schema (search_path) lock apart,
// as do the tests, which each run in a schema of their own. Polled with pg_try_advisory_lock
// rather than waited for in pg_advisory_lock, which lock_timeout would cut short.
Status PostgresDb::WithStoreLock(std::string_view name, std::chrono::milliseconds wait,
                                 const std::function<Status()>& fn) {
  GZ_ASSIGN_OR_RETURN(Session * raw, Connect());
  std::unique_ptr<Session> session(raw);
  PGconn* conn = session->pg;
  const std::string key = std::string(name);
  const char* values[] = {key.c_str()};
  auto run = [&](const char* sql) -> Result<bool> {
    ResultPtr res(PQexecParams(conn, sql, 1, nullptr, values, nullptr, nullptr, 0));
    if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) return StatusFromResult(conn, res.get(), sql);
    return PQntuples(res.get()) == 1 && std::string_view(PQgetvalue(res.get(), 0, 0)) == "t";
  };
  const auto deadline = Clock::now() + wait;
  while (true) {
    GZ_ASSIGN_OR_RETURN(bool got, run("SELECT pg_try_advisory_lock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))"));
    if (got) break;
    if (Clock::now() >= deadline) {
      return Unavailable(std::string(problems::kBusy), "another process held the store lock " + key + " too long");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Status s;
  try {
    s = fn();
  } catch (...) {
    (void)run("SELECT pg_advisory_unlock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))");
    throw;
  }
  // Closing the connection would release it as well; unlocking first says so in the server's view.
  (void)run("SELECT pg_advisory_unlock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))");
  return s;
}

Status PostgresDb::Start() {
  GZ_ASSIGN_OR_RETURN(Session * session, Acquire());
  PGconn* conn = session->pg;
  std::string user = PQuser(conn) ? PQuser(conn) : "";
  std::string host = PQhost(conn) ? PQhost(conn) : "";
  std::string port = PQport(conn) ? PQport(conn) : "";
  std::string db = PQdb(conn) ? PQdb(conn) : "";
  if (!host.empty() && host.front() == '/') host = "[" + host + "]";  // a socket directory
  describe_ = "postgresql://" + (user.empty() ? "" : user + "@") + host + (port.empty() ? "" : ":" + port) + "/" + db;
  Release(session);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Db>> OpenPostgres(const PostgresOptions& options) {
  if (options.conninfo.empty()) return BadOptions("the connection string is empty");
  if (options.conninfo.find('\0') != std::string::npos) return BadOptions("the connection string contains a NUL byte");
  if (options.pool_size < 1 || options.pool_size > 1000) return BadOptions("pool_size must be 1..1000");
  if (options.acquire_timeout_ms < 0) return BadOptions("acquire_timeout_ms must be >= 0");
  if (options.connect_timeout_ms < 1000) return BadOptions("connect_timeout_ms must be >= 1000");
  if (options.statement_timeout_ms < 1 || options.lock_timeout_ms < 1)
    return BadOptions("statement_timeout_ms and lock_timeout_ms must be >= 1");
  if (options.max_write_attempts < 1) return BadOptions("max_write_attempts must be >= 1");
  if (!PQisthreadsafe()) {
    return Unavailable(std::string(problems::kCannotOpen), "libpq is not thread-safe")
        .With("reason", "this libpq was built without thread support");
  }
  auto db = std::make_unique<PostgresDb>(options);
  if (Status s = db->Start(); !s.ok()) {
    return Unavailable(std::string(problems::kCannotOpen), s.note()).With("reason", s.note());
  }
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace gz::storage::postgres
