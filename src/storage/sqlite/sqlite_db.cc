// SqliteDb: the writer baton with group commit, the reader pool, and the Tx handed to callbacks.
//
// Group commit, as a state machine on write_mu_ (see sqlite_db.h for the contract):
//
//   Write(): queue --wait until !writer_busy_--> take baton (writer_busy_ = true)
//     no open batch? BEGIN IMMEDIATE, new batch
//     SAVEPOINT gz_write; fn; RELEASE (fn OK) or ROLLBACK TO + RELEASE (fn failed)
//     others queued, batch under its limit, transaction alive?
//       yes: leave the batch open, hand the baton on, wait until the batch is done
//       no:  COMMIT (or ROLLBACK if no fn in it succeeded), mark the batch done, hand the baton on
//
// Every Write() whose fn succeeded returns the status of the COMMIT of its batch, so OK is only
// ever returned after the fsync. The last queued writer always finds queued_ == 0 and commits,
// so an open batch never waits for a writer that is not coming.
#include "storage/sqlite/sqlite_db.h"

#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <vector>

#include "storage/problems.h"
#include "storage/sqlite/connection.h"

namespace gz::storage::sqlite {
namespace {

Status BadOptions(std::string reason) {
  return InvalidArgument(std::string(problems::kBadOptions)).With("reason", std::move(reason));
}

// The Tx handed to a Read()/Write() callback. Once SQLite has rolled the transaction back by
// itself (disk full, I/O error), every later call fails with the error that caused it, so that
// a callback that ignores an error cannot go on writing outside any transaction.
class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<ResultSet> Query(std::string_view sql, const Params& params) override {
    GZ_RETURN_IF_ERROR(CheckUsable());
    return Track(conn_.Query(sql, params));
  }
  Status QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each) override {
    GZ_RETURN_IF_ERROR(CheckUsable());
    // The statement stays active while `each` runs; a statement run from inside it could reset
    // it (the cache hands out one prepared statement per SQL text), so they are refused.
    struct Streaming {
      bool& flag;
      explicit Streaming(bool& f) : flag(f) { flag = true; }
      ~Streaming() { flag = false; }
    } streaming(streaming_);
    return Track(conn_.QueryEach(sql, params, each));
  }
  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    GZ_RETURN_IF_ERROR(CheckUsable());
    return Track(conn_.Exec(sql, params));
  }
  Status ExecScript(std::string_view sql) override {
    GZ_RETURN_IF_ERROR(CheckUsable());
    return Track(conn_.ExecScript(sql));
  }

  Status CheckUsable() const {
    if (streaming_) return Internal("a statement run from inside a QueryEach() callback on the same Tx");
    return CheckAlive();
  }

  // The error that ended the transaction, or OK while it is open.
  Status CheckAlive() const {
    if (conn_.InTransaction()) return Status::Ok();
    if (!ended_by_.ok()) return ended_by_;
    return Internal("the transaction ended unexpectedly");
  }

 private:
  template <typename R>
  R Track(R r) {
    if constexpr (std::is_same_v<R, Status>) {
      if (!r.ok() && !conn_.InTransaction() && ended_by_.ok()) ended_by_ = r;
    } else {
      if (!r.ok() && !conn_.InTransaction() && ended_by_.ok()) ended_by_ = r.status();
    }
    return r;
  }

  Connection& conn_;
  Status ended_by_;
  bool streaming_ = false;  // inside QueryEach()
};

// Runs the callback; an exception becomes kInternal (it must not cross the storage interface).
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

class SqliteDb final : public Db {
 public:
  SqliteDb(std::string describe, int busy_timeout_ms, int group_commit_limit,
           std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers)
      : describe_(std::move(describe)),
        busy_timeout_ms_(busy_timeout_ms),
        group_commit_limit_(group_commit_limit),
        writer_(std::move(writer)),
        readers_(std::move(readers)) {
    for (auto& r : readers_) free_readers_.push_back(r.get());
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return describe_; }
  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Ping() override {
    return Read([](Tx& tx) { return tx.Query("SELECT 1 FROM sqlite_schema LIMIT 1").status(); });
  }
  WriteCounters write_counters() const override {
    std::lock_guard lk(write_mu_);
    return counters_;
  }

 private:
  // One group of write callbacks sharing a transaction.
  struct Batch {
    int runs = 0;       // callbacks run in it (limits its size)
    int members = 0;    // callbacks that succeeded and wait for its COMMIT
    bool done = false;  // COMMIT (or ROLLBACK) finished; `status` is final
    Status status;
  };

  struct Outcome {
    Status mine;   // the callback's result (or why it could not run)
    Status ended;  // non-OK if the whole transaction is gone, with the cause
  };
  // Runs fn inside SAVEPOINT gz_write on the writer; undoes only its own changes on failure.
  Outcome RunInSavepoint(const std::function<Status(Tx&)>& fn);
  // Ends the writer's transaction: COMMIT if `keep`, else ROLLBACK.
  Status EndWrite(bool keep);
  Result<Connection*> AcquireReader();
  void ReleaseReader(Connection* conn);

  const std::string describe_;
  const int busy_timeout_ms_;
  const int group_commit_limit_;

  std::unique_ptr<Connection> writer_;  // used only by the holder of the baton
  mutable std::mutex write_mu_;
  WriteCounters counters_;               // under write_mu_
  std::condition_variable write_cv_;
  bool writer_busy_ = false;             // the baton
  int queued_ = 0;                       // Write()s waiting for the baton
  std::shared_ptr<Batch> open_batch_;    // transaction left open for the next queued writer

  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<Connection*> free_readers_;
};

SqliteDb::Outcome SqliteDb::RunInSavepoint(const std::function<Status(Tx&)>& fn) {
  Outcome out;
  out.mine = writer_->Control("SAVEPOINT gz_write");
  if (!out.mine.ok()) {
    if (!writer_->InTransaction()) out.ended = out.mine;
    return out;
  }
  SqliteTx tx(*writer_);
  const Db* outer = tl_writing;  // a Write() on another store may be running this one
  tl_writing = this;
  out.mine = RunCallback(fn, tx);
  tl_writing = outer;
  if (Status alive = tx.CheckAlive(); !alive.ok()) {
    // SQLite rolled the whole transaction back (disk full, I/O error): the batch is lost too.
    if (out.mine.ok()) out.mine = alive;
    out.ended = alive;
    return out;
  }
  if (out.mine.ok()) out.mine = writer_->Control("RELEASE gz_write");
  if (!out.mine.ok()) {
    Status undo = writer_->Control("ROLLBACK TO gz_write");
    if (undo.ok()) undo = writer_->Control("RELEASE gz_write");
    if (!undo.ok()) {
      // The failed callback's changes cannot be separated from the batch: drop the batch.
      (void)writer_->Control("ROLLBACK");
      out.ended = Internal("could not undo a failed write callback: " + undo.ToString());
    }
  }
  return out;
}

Status SqliteDb::EndWrite(bool keep) {
  if (!writer_->InTransaction()) return Status::Ok();
  if (!keep) return writer_->Control("ROLLBACK");
  Status s = writer_->Control("COMMIT");
  if (!s.ok() && writer_->InTransaction()) (void)writer_->Control("ROLLBACK");
  return s;
}

Status SqliteDb::Write(const std::function<Status(Tx&)>& fn) {
  if (tl_writing == this) return Internal("Write() called inside a Write() callback on the same store");
  std::unique_lock lk(write_mu_);
  ++queued_;
  write_cv_.wait(lk, [&] { return !writer_busy_; });
  --queued_;
  writer_busy_ = true;
  std::shared_ptr<Batch> batch = std::move(open_batch_);
  open_batch_.reset();
  lk.unlock();

  if (!batch) {
    if (writer_->InTransaction()) (void)writer_->Control("ROLLBACK");  // left over by a failed ROLLBACK
    // IMMEDIATE takes the write lock now, so another process cannot make us fail mid-callback.
    Status begun = writer_->Control("BEGIN IMMEDIATE");
    if (!begun.ok()) {
      lk.lock();
      writer_busy_ = false;
      write_cv_.notify_all();
      return begun;
    }
    batch = std::make_shared<Batch>();
  }

  Outcome outcome = RunInSavepoint(fn);
  const Status& mine = outcome.mine;
  bool alive = outcome.ended.ok() && writer_->InTransaction();

  lk.lock();
  ++batch->runs;
  ++counters_.writes;
  if (mine.ok()) ++batch->members;
  bool commit_now = !alive || queued_ == 0 || batch->runs >= group_commit_limit_;
  if (!commit_now) {
    open_batch_ = batch;
    writer_busy_ = false;
    write_cv_.notify_all();
    if (!mine.ok()) return mine;  // nothing of ours is in the batch
    write_cv_.wait(lk, [&] { return batch->done; });
    return batch->status;
  }
  lk.unlock();

  // Still holding the baton: nobody else touches the writer during the COMMIT.
  Status result;
  if (alive) {
    result = EndWrite(batch->members > 0);
  } else {
    result = outcome.ended.ok() ? Internal("the write transaction ended unexpectedly") : outcome.ended;
  }

  lk.lock();
  batch->status = result;
  batch->done = true;
  if (result.ok() && alive && batch->members > 0) {
    ++counters_.commits;
    counters_.committed_writes += batch->members;
  }
  writer_busy_ = false;
  write_cv_.notify_all();
  return mine.ok() ? result : mine;
}

Result<Connection*> SqliteDb::AcquireReader() {
  std::unique_lock lk(read_mu_);
  if (!read_cv_.wait_for(lk, std::chrono::milliseconds(busy_timeout_ms_), [&] { return !free_readers_.empty(); })) {
    return Unavailable(std::string(problems::kBusy),
                       "no free reader connection within " + std::to_string(busy_timeout_ms_) + " ms");
  }
  Connection* conn = free_readers_.back();
  free_readers_.pop_back();
  return conn;
}

void SqliteDb::ReleaseReader(Connection* conn) {
  {
    std::lock_guard lk(read_mu_);
    free_readers_.push_back(conn);
  }
  read_cv_.notify_one();
}

Status SqliteDb::Read(const std::function<Status(Tx&)>& fn) {
  GZ_ASSIGN_OR_RETURN(Connection * conn, AcquireReader());
  struct Lease {
    SqliteDb* db;
    Connection* conn;
    ~Lease() { db->ReleaseReader(conn); }
  } lease{this, conn};

  if (conn->InTransaction()) (void)conn->Control("ROLLBACK");
  GZ_RETURN_IF_ERROR(conn->Control("BEGIN"));
  SqliteTx tx(*conn);
  Status s = RunCallback(fn, tx);
  if (s.ok()) s = tx.CheckAlive();
  if (conn->InTransaction()) {
    Status end = conn->Control(s.ok() ? "COMMIT" : "ROLLBACK");
    if (s.ok()) s = end;
    if (conn->InTransaction()) (void)conn->Control("ROLLBACK");
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<Db>> OpenSqlite(const SqliteOptions& options) {
  const std::string& path = options.path;
  if (path.empty()) return BadOptions("the path is empty");
  if (path == ":memory:" || path.rfind("file:", 0) == 0)
    return BadOptions("in-memory and URI-style names are not supported; name a file");
  if (path.find('\0') != std::string::npos) return BadOptions("the path contains a NUL byte");
  if (options.readers < 1 || options.readers > 64) return BadOptions("readers must be 1..64");
  if (options.busy_timeout_ms < 0) return BadOptions("busy_timeout_ms must be >= 0");
  if (options.group_commit_limit < 1) return BadOptions("group_commit_limit must be >= 1");
  if (!sqlite3_threadsafe()) {
    return Unavailable(std::string(problems::kCannotOpen), "libsqlite3 built with SQLITE_THREADSAFE=0")
        .With("reason", "this SQLite library was built without thread support");
  }

  GZ_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                      Connection::Open(path, Role::kWriter, options.busy_timeout_ms));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.readers; ++i) {
    GZ_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                        Connection::Open(path, Role::kReader, options.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }

  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  std::string shown = ec ? path : absolute.lexically_normal().string();
  std::string describe = (!shown.empty() && shown.front() == '/' ? "sqlite://" : "sqlite:") + shown;
  return std::unique_ptr<Db>(new SqliteDb(std::move(describe), options.busy_timeout_ms,
                                          options.group_commit_limit, std::move(writer), std::move(readers)));
}

}  // namespace gz::storage::sqlite
