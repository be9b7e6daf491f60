// The audit trail's writer on a real SQLite file: the chain, time that never goes back, seq without
// gaps under concurrent appends, the append-only triggers, and a trail that survives a restart.
#include "modules/audit/sql/audit_sql.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "crypto/secrets.h"
#include "modules/audit/problems.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace gz::audit {
namespace {

using namespace std::chrono_literals;

access::AuditEvent Event(std::string action = "residents.reveal") {
  access::AuditEvent e;
  e.action = std::move(action);
  e.actor_account = 7;
  e.roles = "village_cadre@420114001205";
  e.division = "420114001205";
  e.object_type = "resident";
  e.object_id = "12345";
  e.purpose = "低保复核";
  e.request_id = "req-1";
  return e;
}

struct Stored {
  int64_t seq, at_ms;
  std::string prev_hash, hash;
};

std::vector<Stored> ReadAll(storage::Db& db) {
  std::vector<Stored> out;
  Status s = db.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT seq, at_ms, prev_hash, hash FROM audit_records ORDER BY seq"));
    for (const auto& row : rs.rows) out.push_back({row.Int(0), row.Int(1), row.Text(2), row.Text(3)});
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

class AuditSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, AuditMigrations(), clock_).ok());
  }
  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
};

TEST_F(AuditSqlTest, ChainsRecordsFromTheGenesisHash) {
  SqlAuditSink sink(*db_, clock_);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink.Append(Event()).ok());
  auto rows = ReadAll(*db_);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].seq, 1);
  EXPECT_EQ(rows[0].prev_hash, GenesisHash());
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[2].prev_hash, rows[1].hash);
  EXPECT_NE(rows[0].hash, rows[1].hash);  // same event, different seq: different hash
}

TEST_F(AuditSqlTest, StoredHashIsTheHashOfTheCanonicalEncoding) {
  Result<AuditRecord> rec = [&] {
    Result<AuditRecord> out = Internal("not run");
    Status s = db_->Write([&](storage::Tx& tx) {
      out = AppendAuditRecordInTx(tx, Event(), 1767225600123);
      return out.ok() ? Status::Ok() : out.status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }();
  ASSERT_TRUE(rec.ok());
  auto rows = ReadAll(*db_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at_ms, 1767225600123);
  EXPECT_EQ(rows[0].hash, ChainHash(*rec));
  EXPECT_EQ(rows[0].hash, crypto::Sha256(CanonicalEncoding(*rec)));
}

TEST_F(AuditSqlTest, TimeNeverGoesBackWhenTheClockStepsBack) {
  SqlAuditSink sink(*db_, clock_);
  ASSERT_TRUE(sink.Append(Event()).ok());
  clock_.StepWallForTest(-1h);
  ASSERT_TRUE(sink.Append(Event()).ok());
  clock_.Advance(5ms);
  ASSERT_TRUE(sink.Append(Event()).ok());
  clock_.StepWallForTest(2h);
  ASSERT_TRUE(sink.Append(Event()).ok());
  auto rows = ReadAll(*db_);
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_GE(rows[i].at_ms, rows[i - 1].at_ms) << i;
  EXPECT_EQ(rows[1].at_ms, rows[0].at_ms);  // clamped, not an hour earlier
  EXPECT_EQ(rows[3].at_ms - rows[0].at_ms, 3600005);
}

TEST_F(AuditSqlTest, AppendInTxRollsBackWithTheCallersChange) {
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(AppendAuditInTx(tx, Event("residents.update"), 1));
    return FailedPrecondition("test/abort");
  });
  EXPECT_EQ(s.slug(), "test/abort");
  EXPECT_TRUE(ReadAll(*db_).empty());
  SqlAuditSink sink(*db_, clock_);
  ASSERT_TRUE(sink.Append(Event()).ok());
  EXPECT_EQ(ReadAll(*db_).front().seq, 1);  // no gap left by the rolled-back append
}

TEST_F(AuditSqlTest, ConcurrentAppendsFromSeveralThreadsLeaveNoGap) {
  SqlAuditSink sink(*db_, clock_);
  constexpr int kThreads = 6, kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        access::AuditEvent e = Event();
        e.actor_account = t + 1;
        if (t % 2 == 0) {
          if (!sink.Append(e).ok()) ++failures;
        } else {
          Status s = db_->Write([&](storage::Tx& tx) { return AppendAuditInTx(tx, e, NowMs(clock_)); });
          if (!s.ok()) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = ReadAll(*db_);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[i].prev_hash, i == 0 ? GenesisHash() : rows[i - 1].hash) << i;
  }
}

TEST_F(AuditSqlTest, TriggersRefuseUpdateAndDelete) {
  SqlAuditSink sink(*db_, clock_);
  ASSERT_TRUE(sink.Append(Event()).ok());
  Status upd = db_->Write([](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE audit_records SET purpose = 'x' WHERE seq = 1"));
    (void)n;
    return Status::Ok();
  });
  EXPECT_FALSE(upd.ok());
  Status del = db_->Write([](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM audit_records"));
    (void)n;
    return Status::Ok();
  });
  EXPECT_FALSE(del.ok());
  auto rows = ReadAll(*db_);
  ASSERT_EQ(rows.size(), 1u);
  Status purpose_kept = db_->Read([](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT purpose FROM audit_records WHERE seq = 1"));
    return rs.rows.at(0).Text(0) == "低保复核" ? Status::Ok() : Internal("purpose changed");
  });
  EXPECT_TRUE(purpose_kept.ok()) << purpose_kept.ToString();
}

TEST_F(AuditSqlTest, ChainContinuesAcrossRestart) {
  auto dir = storage::sqlite::TempDirForTest::Create();
  ASSERT_TRUE(dir.ok());
  storage::sqlite::SqliteOptions options;
  options.path = dir->path() + "/gz.db";
  std::string last_hash;
  {
    auto db = storage::sqlite::OpenSqlite(options);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::ApplyMigrations(**db, AuditMigrations(), clock_).ok());
    SqlAuditSink sink(**db, clock_);
    ASSERT_TRUE(sink.Append(Event()).ok());
    ASSERT_TRUE(sink.Append(Event()).ok());
    last_hash = ReadAll(**db).back().hash;
  }
  auto db = storage::sqlite::OpenSqlite(options);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(storage::ApplyMigrations(**db, AuditMigrations(), clock_).ok());
  SqlAuditSink sink(**db, clock_);
  ASSERT_TRUE(sink.Append(Event()).ok());
  auto rows = ReadAll(**db);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].seq, 3);
  EXPECT_EQ(rows[2].prev_hash, last_hash);
}

TEST_F(AuditSqlTest, MalformedEventIsRefusedAsABug) {
  access::AuditEvent e = Event();
  e.action = "Residents Reveal";
  Status s = db_->Write([&](storage::Tx& tx) { return AppendAuditInTx(tx, e, 1); });
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_EQ(s.slug(), problems::kBadEvent);
  EXPECT_EQ(s.Arg("field"), "action");
  e = Event();
  e.purpose.assign(kMaxPurposeBytes + 1, 'x');
  s = db_->Write([&](storage::Tx& tx) { return AppendAuditInTx(tx, e, 1); });
  EXPECT_EQ(s.Arg("field"), "purpose");
  e = Event();
  e.division = "420114";  // a county code is canonicalized, not refused
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) { return AppendAuditInTx(tx, e, 1); }).ok());
}

TEST_F(AuditSqlTest, SinkReportsUnavailableWhenTheTrailCannotBeWritten) {
  auto db = storage::sqlite::OpenTemporarySqliteForTest();  // no migrations: no table
  ASSERT_TRUE(db.ok());
  SqlAuditSink sink(**db, clock_);
  Status s = sink.Append(Event());
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.slug(), problems::kUnavailable);
}

}  // namespace
}  // namespace gz::audit
