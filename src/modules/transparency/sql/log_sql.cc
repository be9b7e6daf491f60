// Layer: transparency sql (see log_sql.h).
#include "modules/transparency/sql/log_sql.h"

#include <mutex>
#include <unordered_map>

#include "modules/transparency/problems.h"
#include "tlog/merkle.h"
#include "tlog/tiles.h"

namespace gz::transparency {
namespace {

using storage::Blob;
using storage::Dialect;

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE tlog_entries (
  idx      INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),
  village  TEXT NOT NULL CHECK (length(village) = 12),
  entry    BLOB NOT NULL CHECK (typeof(entry) = 'blob' AND length(entry) BETWEEN 1 AND 65535)
);
CREATE INDEX tlog_entries_by_village ON tlog_entries (village, idx);
CREATE TABLE tlog_hashes (
  idx   INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),
  hash  BLOB NOT NULL CHECK (typeof(hash) = 'blob' AND length(hash) = 32)
);
CREATE TABLE tlog_checkpoints (
  size          INTEGER NOT NULL PRIMARY KEY CHECK (size >= 0),
  note          TEXT NOT NULL,
  signed_at_ms  INTEGER NOT NULL
);
CREATE TRIGGER tlog_entries_no_update BEFORE UPDATE ON tlog_entries
BEGIN SELECT RAISE(ABORT, 'tlog_entries is append-only'); END;
CREATE TRIGGER tlog_entries_no_delete BEFORE DELETE ON tlog_entries
BEGIN SELECT RAISE(ABORT, 'tlog_entries is append-only'); END;
CREATE TRIGGER tlog_hashes_no_update BEFORE UPDATE ON tlog_hashes
BEGIN SELECT RAISE(ABORT, 'tlog_hashes is append-only'); END;
CREATE TRIGGER tlog_hashes_no_delete BEFORE DELETE ON tlog_hashes
BEGIN SELECT RAISE(ABORT, 'tlog_hashes is append-only'); END;
CREATE TRIGGER tlog_checkpoints_no_update BEFORE UPDATE ON tlog_checkpoints
BEGIN SELECT RAISE(ABORT, 'tlog_checkpoints is append-only'); END;
CREATE TRIGGER tlog_checkpoints_no_delete BEFORE DELETE ON tlog_checkpoints
BEGIN SELECT RAISE(ABORT, 'tlog_checkpoints is append-only'); END;
CREATE TABLE tlog_lock (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1));
INSERT INTO tlog_lock (id) VALUES (1);
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE tlog_entries (
  idx      BIGINT NOT NULL PRIMARY KEY CHECK (idx >= 0),
  village  TEXT COLLATE "C" NOT NULL CHECK (length(village) = 12),
  entry    BYTEA NOT NULL CHECK (octet_length(entry) BETWEEN 1 AND 65535)
);
CREATE INDEX tlog_entries_by_village ON tlog_entries (village, idx);
CREATE TABLE tlog_hashes (
  idx   BIGINT NOT NULL PRIMARY KEY CHECK (idx >= 0),
  hash  BYTEA NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE TABLE tlog_checkpoints (
  size          BIGINT NOT NULL PRIMARY KEY CHECK (size >= 0),
  note          TEXT NOT NULL,
  signed_at_ms  BIGINT NOT NULL
);
CREATE FUNCTION tlog_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'the transparency log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER tlog_entries_no_update_delete BEFORE UPDATE OR DELETE ON tlog_entries
  FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_entries_no_truncate BEFORE TRUNCATE ON tlog_entries
  FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_hashes_no_update_delete BEFORE UPDATE OR DELETE ON tlog_hashes
  FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_hashes_no_truncate BEFORE TRUNCATE ON tlog_hashes
  FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON tlog_checkpoints
  FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_checkpoints_no_truncate BEFORE TRUNCATE ON tlog_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TABLE tlog_lock (id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1));
INSERT INTO tlog_lock (id) VALUES (1);
)sql";

constexpr std::string_view kLock = "SELECT id FROM tlog_lock WHERE id = 1 FOR UPDATE";
constexpr std::string_view kSize = "SELECT idx FROM tlog_entries ORDER BY idx DESC LIMIT 1";
constexpr std::string_view kInsertEntry = "INSERT INTO tlog_entries (idx, village, entry) VALUES ($1, $2, $3)";

std::mutex listener_mu;
std::function<void()>& Listener() {
  static std::function<void()> listener;
  return listener;
}

Status Tampered(std::string reason) {
  return Status(Code::kUnavailable, std::string(problems::kTampered)).With("reason", std::move(reason));
}

Result<int64_t> SizeIn(storage::Tx& tx) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet last, tx.Query(kSize));
  return last.empty() ? int64_t{0} : last.rows.front().Int(0) + 1;
}

// Stored hashes by index, a bounded number per statement.
Result<std::vector<tlog::Hash>> ReadHashesIn(storage::Tx& tx, std::span<const int64_t> indexes) {
  std::vector<tlog::Hash> out(indexes.size());
  constexpr size_t kChunk = 256;
  for (size_t start = 0; start < indexes.size(); start += kChunk) {
    size_t end = std::min(indexes.size(), start + kChunk);
    std::string sql = "SELECT idx, hash FROM tlog_hashes WHERE idx IN (";
    storage::Params params;
    for (size_t i = start; i < end; ++i) {
      if (i > start) sql += ", ";
      sql += '$';
      sql += std::to_string(i - start + 1);
      params.emplace_back(indexes[i]);
    }
    sql += ")";
    std::unordered_map<int64_t, tlog::Hash> found;
    GZ_RETURN_IF_ERROR(tx.QueryEach(sql, params, [&](const storage::Row& row) -> Status {
      Result<tlog::Hash> h = tlog::HashFromBytes(row.TextView(1));
      if (!h.ok()) return Tampered("stored hash " + std::to_string(row.Int(0)) + " is not 32 bytes");
      found.emplace(row.Int(0), *h);
      return Status::Ok();
    }));
    for (size_t i = start; i < end; ++i) {
      auto it = found.find(indexes[i]);
      if (it == found.end()) return Tampered("stored hash " + std::to_string(indexes[i]) + " is missing");
      out[i] = it->second;
    }
  }
  return out;
}

class SqlLogReader final : public LogReader {
 public:
  explicit SqlLogReader(storage::Tx& tx) : tx_(tx) {}
  Result<int64_t> Size() override { return SizeIn(tx_); }
  Result<std::vector<tlog::Hash>> ReadHashes(std::span<const int64_t> indexes) override {
    return ReadHashesIn(tx_, indexes);
  }
  Status ForEachEntry(int64_t begin, int64_t end, const std::function<Status(const StoredEntry&)>& each) override {
    StoredEntry e;
    return tx_.QueryEach("SELECT idx, village, entry FROM tlog_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
                         {begin, end}, [&](const storage::Row& row) -> Status {
                           e.index = row.Int(0);
                           e.village.assign(row.TextView(1));
                           e.entry.assign(row.TextView(2));
                           return each(e);
                         });
  }
  Status ForEachStoredHash(int64_t begin, const std::function<Status(int64_t, const tlog::Hash&)>& each) override {
    return tx_.QueryEach("SELECT idx, hash FROM tlog_hashes WHERE idx >= $1 ORDER BY idx", {begin},
                         [&](const storage::Row& row) -> Status {
                           Result<tlog::Hash> h = tlog::HashFromBytes(row.TextView(1));
                           if (!h.ok()) return Tampered("stored hash " + std::to_string(row.Int(0)) + " is not 32 bytes");
                           return each(row.Int(0), *h);
                         });
  }
  Result<std::optional<SignedCheckpoint>> LatestCheckpoint() override {
    return One("SELECT size, note, signed_at_ms FROM tlog_checkpoints ORDER BY size DESC LIMIT 1", {});
  }
  Result<std::optional<SignedCheckpoint>> CheckpointOfSize(int64_t size) override {
    return One("SELECT size, note, signed_at_ms FROM tlog_checkpoints WHERE size = $1", {size});
  }
  Status ForEachCheckpoint(const std::function<Status(const SignedCheckpoint&)>& each) override {
    return tx_.QueryEach("SELECT size, note, signed_at_ms FROM tlog_checkpoints ORDER BY size", {},
                         [&](const storage::Row& row) -> Status {
                           return each(SignedCheckpoint{row.Int(0), row.Text(1), row.Int(2)});
                         });
  }

 private:
  Result<std::optional<SignedCheckpoint>> One(std::string_view sql, const storage::Params& params) {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx_.Query(sql, params));
    if (rs.empty()) return std::optional<SignedCheckpoint>();
    const storage::Row& row = rs.rows.front();
    return std::optional<SignedCheckpoint>(SignedCheckpoint{row.Int(0), row.Text(1), row.Int(2)});
  }
  storage::Tx& tx_;
};

}  // namespace

const std::vector<storage::Migration>& TransparencyMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"transparency", 1, "create_tlog", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

void SetAppendListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(listener_mu);
  Listener() = std::move(listener);
}

Result<std::uint64_t> AppendEntryInTx(storage::Tx& tx, std::string_view village_code, std::string_view entry) {
  if (entry.empty() || entry.size() > tlog::kMaxEntryBytes)
    return InvalidArgument(std::string(problems::kBadEntry)).With("reason", "entry-size");
  if (village_code.size() != 12 || village_code.find_first_not_of("0123456789") != std::string_view::npos)
    return InvalidArgument(std::string(problems::kBadEntry)).With("reason", "village-code");
  if (tx.dialect() == Dialect::kPostgres) {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet locked, tx.Query(kLock));
    if (locked.empty()) return Internal("tlog_lock has no row");
  }
  GZ_ASSIGN_OR_RETURN(int64_t n, SizeIn(tx));
  tlog::HashReader reader = [&tx](std::span<const int64_t> indexes) { return ReadHashesIn(tx, indexes); };
  GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> hashes, tlog::StoredHashesForLeaf(n, tlog::LeafHash(entry), reader));
  GZ_ASSIGN_OR_RETURN(int64_t inserted, tx.Exec(kInsertEntry, {n, std::string(village_code), Blob{std::string(entry)}}));
  if (inserted != 1) return Internal("tlog entry insert changed no row");
  std::string sql = "INSERT INTO tlog_hashes (idx, hash) VALUES ";
  storage::Params params;
  const int64_t first = tlog::StoredHashIndex(0, n);
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += "($";
    sql += std::to_string(2 * i + 1);
    sql += ", $";
    sql += std::to_string(2 * i + 2);
    sql += ')';
    params.emplace_back(first + static_cast<int64_t>(i));
    params.emplace_back(Blob{tlog::HashBytes(hashes[i])});
  }
  GZ_ASSIGN_OR_RETURN(int64_t stored, tx.Exec(sql, params));
  if (stored != static_cast<int64_t>(hashes.size())) return Internal("tlog hash insert changed too few rows");
  {
    std::lock_guard<std::mutex> lock(listener_mu);
    if (Listener()) Listener()();
  }
  return static_cast<std::uint64_t>(n);
}

Status SqlLogStore::Read(const std::function<Status(LogReader&)>& fn) {
  return db_.Read([&](storage::Tx& tx) {
    SqlLogReader reader(tx);
    return fn(reader);
  });
}

Status SqlLogStore::SaveCheckpoint(const SignedCheckpoint& c) {
  return db_.Write([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t size, SizeIn(tx));
    if (c.size > size) return Tampered("checkpoint larger than the stored log");
    GZ_ASSIGN_OR_RETURN(storage::ResultSet last,
                        tx.Query("SELECT size FROM tlog_checkpoints ORDER BY size DESC LIMIT 1"));
    if (!last.empty() && last.rows.front().Int(0) >= c.size)
      return Status(Code::kFailedPrecondition, "tlog/stale-checkpoint");
    GZ_ASSIGN_OR_RETURN(int64_t inserted,
                        tx.Exec("INSERT INTO tlog_checkpoints (size, note, signed_at_ms) VALUES ($1, $2, $3)",
                                {c.size, c.note, c.signed_at_ms}));
    if (inserted != 1) return Internal("tlog checkpoint insert changed no row");
    return Status::Ok();
  });
}

}  // namespace gz::transparency
