// The log on a real store (SQLite, or PostgreSQL with GZ_TEST_BACKEND=postgres): appends inside callers' transactions (rolled back with them),
// dense indexes under concurrent writers, stored hashes equal to the in-memory reference,
// signing, proofs and tiles from the store, and tampering behind the triggers' back caught by
// the self-check and by the signer.
#include "modules/transparency/sql/log_sql.h"

#include <gtest/gtest.h>

#include <thread>

#include "modules/transparency/transparency_log.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/backends_for_test.h"
#include "tlog/note.h"
#include "tlog/tiles.h"

namespace gz::transparency {
namespace {

constexpr std::string_view kVillage = "420114001205";

// What an attacker with write access to the store does first, in each dialect.
std::string DropTriggers(storage::Dialect d) {
  if (d == storage::Dialect::kPostgres)
    return "ALTER TABLE tlog_entries DISABLE TRIGGER USER; ALTER TABLE tlog_hashes DISABLE TRIGGER USER;"
           "ALTER TABLE tlog_checkpoints DISABLE TRIGGER USER;";
  return "DROP TRIGGER tlog_entries_no_update; DROP TRIGGER tlog_entries_no_delete;"
         "DROP TRIGGER tlog_hashes_no_update; DROP TRIGGER tlog_hashes_no_delete;"
         "DROP TRIGGER tlog_checkpoints_no_update; DROP TRIGGER tlog_checkpoints_no_delete;";
}

// A BLOB / BYTEA literal of hex digits.
std::string HexLiteral(storage::Dialect d, const std::string& hex) {
  return d == storage::Dialect::kPostgres ? "'\\x" + hex + "'::bytea" : "x'" + hex + "'";
}


class TlogSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::OpenTemporaryStoreForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, TransparencyMigrations(), clock_).ok());
    key_ = *tlog::GenerateSignerKey("gongzhi.example/420114");
    store_ = std::make_unique<SqlLogStore>(*db_);
    log_ = std::make_unique<TransparencyLog>(*store_, key_, clock_);
  }
  int64_t Append(const std::string& entry) {
    int64_t index = -1;
    Status s = db_->Write([&](storage::Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(std::uint64_t i, AppendEntryInTx(tx, kVillage, entry));
      index = static_cast<int64_t>(i);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return index;
  }
  void Exec(std::string_view sql) {
    // Tampering "behind the log's back": the triggers are dropped first, as an attacker with the
    // file would do.
    Status s = db_->Write([&](storage::Tx& tx) { return tx.ExecScript(sql); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  tlog::SignerKey key_;
  std::unique_ptr<SqlLogStore> store_;
  std::unique_ptr<TransparencyLog> log_;
};

TEST_F(TlogSqlTest, AppendsMatchTheReferenceTreeAndSignedCheckpointsVerify) {
  ASSERT_EQ(**log_->SignPending(), 0);  // the empty tree gets a checkpoint too
  tlog::MemoryTree reference;
  for (int i = 0; i < 300; ++i) {
    std::string e = "entry " + std::to_string(i);
    ASSERT_EQ(Append(e), i);
    reference.Append(tlog::LeafHash(e));
    if (i == 10 || i == 256) {
      ASSERT_EQ(**log_->SignPending(), i + 1);
    }
  }
  EXPECT_FALSE(log_->Inclusion(280, std::nullopt).ok());  // not signed yet
  ASSERT_EQ(**log_->SignPending(), 300);
  EXPECT_FALSE(log_->SignPending()->has_value());  // nothing new

  SignedCheckpoint latest = *log_->Latest();
  tlog::Checkpoint c = *tlog::ParseCheckpoint(*tlog::OpenNote(latest.note, {log_->verifier()}));
  EXPECT_EQ(c.origin, "gongzhi.example/420114");
  EXPECT_EQ(c.size, 300);
  EXPECT_EQ(c.root, *reference.Root());

  InclusionAnswer inc = *log_->Inclusion(280, std::nullopt);
  EXPECT_EQ(inc.tree_size, 300);
  EXPECT_TRUE(tlog::VerifyInclusion(280, 300, tlog::LeafHash("entry 280"), inc.proof, c.root));
  ASSERT_TRUE(inc.checkpoint.has_value());
  InclusionAnswer old = *log_->Inclusion(3, 11);
  EXPECT_TRUE(old.checkpoint.has_value());
  EXPECT_FALSE(log_->Inclusion(3, 12)->checkpoint.has_value());  // 12 is not a signed size
  EXPECT_EQ(log_->Inclusion(20, 11).status().slug(), "tlog/bad-range");
  EXPECT_EQ(log_->Inclusion(300, std::nullopt).status().slug(), "tlog/not-included-yet");

  std::vector<tlog::Hash> cons = *log_->Consistency(11, 300);
  EXPECT_TRUE(tlog::VerifyConsistency(11, *tlog::TreeHash(11, reference.reader()), 300, c.root, cons));
  EXPECT_EQ(log_->Consistency(11, 301).status().slug(), "tlog/bad-range");

  EXPECT_EQ(*log_->TileData({0, 0, 256, false}), *tlog::ReadTileData({0, 0, 256, false}, reference.reader()));
  EXPECT_EQ(*log_->TileData({0, 1, 44, false}), *tlog::ReadTileData({0, 1, 44, false}, reference.reader()));
  EXPECT_EQ(*log_->TileData({1, 0, 1, false}), *tlog::ReadTileData({1, 0, 1, false}, reference.reader()));
  std::vector<std::string> bundle = *tlog::DecodeBundle(*log_->TileData({0, 1, 44, true}));
  ASSERT_EQ(bundle.size(), 44u);
  EXPECT_EQ(bundle[0], "entry 256");
  EXPECT_EQ(log_->TileData({0, 1, 45, false}).status().slug(), "tlog/tile-not-found");
  EXPECT_EQ(log_->Entry(7)->entry.entry, "entry 7");

  StoredLogReport report = *log_->SelfCheck();
  EXPECT_EQ(report.entries, 300);
  EXPECT_EQ(report.checkpoints, 4);
}

TEST_F(TlogSqlTest, AnAppendRollsBackWithItsTransactionAndBadEntriesAreRefused) {
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(AppendEntryInTx(tx, kVillage, "lost").status());
    return Aborted("test/rollback");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Append("kept"), 0);
  Status bad = db_->Write([&](storage::Tx& tx) { return AppendEntryInTx(tx, kVillage, std::string(65536, 'x')).status(); });
  EXPECT_EQ(bad.slug(), "tlog/bad-entry");
  bad = db_->Write([&](storage::Tx& tx) { return AppendEntryInTx(tx, "42011400120", "x").status(); });
  EXPECT_EQ(bad.slug(), "tlog/bad-entry");
  EXPECT_EQ(Append(std::string(65535, 'y')), 1);
  EXPECT_TRUE(log_->SignPending().ok());
  EXPECT_TRUE(log_->SelfCheck().ok());
}

TEST_F(TlogSqlTest, ConcurrentAppendsGetDenseIndexes) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        char name[48];
        std::snprintf(name, sizeof name, "t%d %d", t, i);
        Append(name);
      }
    });
  for (auto& th : threads) th.join();
  ASSERT_EQ(**log_->SignPending(), 200);
  EXPECT_EQ(log_->SelfCheck()->entries, 200);
}

TEST_F(TlogSqlTest, TriggersRefuseChanges) {
  Append("a");
  ASSERT_TRUE(log_->SignPending().ok());
  for (std::string sql : {"UPDATE tlog_entries SET entry = " + HexLiteral(db_->dialect(), "62"), std::string("DELETE FROM tlog_entries"),
                          std::string("DELETE FROM tlog_hashes"), std::string("DELETE FROM tlog_checkpoints"),
                          std::string("UPDATE tlog_checkpoints SET note = 'x'")})
    EXPECT_FALSE(db_->Write([&](storage::Tx& tx) { return tx.Exec(sql).status(); }).ok()) << sql;
}

TEST_F(TlogSqlTest, AnEditedEntryIsCaught) {
  for (int i = 0; i < 5; ++i) Append("entry " + std::to_string(i));
  ASSERT_TRUE(log_->SignPending().ok());
  Exec(DropTriggers(db_->dialect()) + "UPDATE tlog_entries SET entry = " + HexLiteral(db_->dialect(), "656e7472792058") + " WHERE idx = 2;");
  EXPECT_EQ(log_->SelfCheck().status().slug(), "tlog/tampered");
}

TEST_F(TlogSqlTest, ARewrittenHistoryIsCaught) {
  for (int i = 0; i < 5; ++i) Append("entry " + std::to_string(i));
  ASSERT_TRUE(log_->SignPending().ok());
  // Entry and every stored hash rewritten consistently: only the signed root can tell.
  tlog::MemoryTree forged;
  for (int i = 0; i < 5; ++i) forged.Append(tlog::LeafHash(i == 2 ? "entry X" : "entry " + std::to_string(i)));
  std::string sql = DropTriggers(db_->dialect()) + "UPDATE tlog_entries SET entry = " + HexLiteral(db_->dialect(), "656e7472792058") + " WHERE idx = 2;";
  for (size_t i = 0; i < forged.stored().size(); ++i)
    sql += "UPDATE tlog_hashes SET hash = " + HexLiteral(db_->dialect(), tlog::HashHex(forged.stored()[i])) + " WHERE idx = " + std::to_string(i) + ";";
  Exec(sql);
  Result<StoredLogReport> check = log_->SelfCheck();
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.status().ToString().find("root signed for size 5"), std::string::npos) << check.status().ToString();
  // And the signer refuses to extend the forged tree.
  Append("entry 5");
  EXPECT_EQ(log_->SignPending().status().slug(), "tlog/tampered");
}

TEST_F(TlogSqlTest, ADeletedEntryIsCaught) {
  for (int i = 0; i < 5; ++i) Append("entry " + std::to_string(i));
  ASSERT_TRUE(log_->SignPending().ok());
  Exec(DropTriggers(db_->dialect()) + "DELETE FROM tlog_entries WHERE idx = 4;");
  EXPECT_EQ(log_->SelfCheck().status().slug(), "tlog/tampered");
  EXPECT_EQ(log_->SignPending().status().slug(), "tlog/tampered");
}

TEST_F(TlogSqlTest, AForgedCheckpointIsCaught) {
  Append("entry 0");
  ASSERT_TRUE(log_->SignPending().ok());
  tlog::SignerKey other = *tlog::GenerateSignerKey("gongzhi.example/420114");
  std::string note = *tlog::SignNote(tlog::FormatCheckpoint({"gongzhi.example/420114", 1, tlog::LeafHash("entry 0"), {}}), other);
  Exec(DropTriggers(db_->dialect()) + "DELETE FROM tlog_checkpoints WHERE size = 1;");
  ASSERT_TRUE(store_->SaveCheckpoint({1, note, 0}).ok());
  EXPECT_EQ(log_->SelfCheck().status().slug(), "tlog/tampered");
}

TEST_F(TlogSqlTest, SaveCheckpointRefusesStaleOrOversizedCheckpoints) {
  Append("a");
  ASSERT_TRUE(log_->SignPending().ok());
  EXPECT_FALSE(store_->SaveCheckpoint({1, "x", 0}).ok());
  EXPECT_FALSE(store_->SaveCheckpoint({5, "x", 0}).ok());
}

}  // namespace
}  // namespace gz::transparency
