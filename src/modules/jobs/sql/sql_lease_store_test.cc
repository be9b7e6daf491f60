// Leases on the real store, over every backend of storage/backends_for_test.h: renewal, takeover
// after expiry, release, and mutual exclusion when many holders try at once.
#include "modules/jobs/sql/sql_lease_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "modules/jobs/sql/job_migrations.h"
#include "storage/backends_for_test.h"

namespace gz::jobs {
namespace {

class LeaseTest : public ::testing::TestWithParam<storage::BackendForTest> {
 protected:
  void SetUp() override {
    auto db = GetParam().open();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    FakeClock clock;
    ASSERT_TRUE(storage::ApplyMigrations(*db_, JobMigrations(), clock).ok());
    store_ = std::make_unique<SqlLeaseStore>(*db_);
  }
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<SqlLeaseStore> store_;
};

TEST_P(LeaseTest, OneHolderAtATimeUntilTheLeaseRunsOut) {
  EXPECT_TRUE(*store_->TryHold("appeals.sweep", "a", 1000, 500));
  EXPECT_FALSE(*store_->TryHold("appeals.sweep", "b", 1200, 500));
  EXPECT_TRUE(*store_->TryHold("appeals.sweep", "a", 1400, 500));  // renewal: now until 1900
  EXPECT_FALSE(*store_->TryHold("appeals.sweep", "b", 1899, 500));
  EXPECT_TRUE(*store_->TryHold("appeals.sweep", "b", 1900, 500));  // a died: its lease ran out
  EXPECT_FALSE(*store_->TryHold("appeals.sweep", "a", 2000, 500));
  EXPECT_EQ(store_->Get("appeals.sweep")->value().holder, "b");
  // Other jobs are independent.
  EXPECT_TRUE(*store_->TryHold("tlog.signer", "a", 2000, 500));
}

TEST_P(LeaseTest, ReleaseHandsOverAtOnceAndOnlyByTheHolder) {
  EXPECT_TRUE(*store_->TryHold("j", "a", 1000, 60'000));
  EXPECT_TRUE(store_->Release("j", "b").ok());  // not b's: nothing happens
  EXPECT_FALSE(*store_->TryHold("j", "b", 1001, 60'000));
  EXPECT_TRUE(store_->Release("j", "a").ok());
  EXPECT_TRUE(*store_->TryHold("j", "b", 1002, 60'000));
  EXPECT_FALSE(store_->TryHold("", "b", 1, 1).ok());
  EXPECT_FALSE(store_->TryHold("j", "b", 1, 0).ok());
}

TEST_P(LeaseTest, ManyHoldersAtOnceNeverTwo) {
  // 8 threads, each a different holder, 25 rounds at the same instant: exactly one wins a round.
  for (int round = 0; round < 25; ++round) {
    const int64_t now = 10'000 + round * 1000;  // each round starts after the last lease ran out
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        Result<bool> r = store_->TryHold("race", "holder-" + std::to_string(t), now, 500);
        if (r.ok() && *r) ++winners;
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
  }
}

TEST_P(LeaseTest, JobLeaseTakesOverFromADeadNode) {
  FakeClock clock;
  JobLease first(*store_, clock, "appeals.sweep", NewHolderId(), 30'000);
  JobLease second(*store_, clock, "appeals.sweep", NewHolderId(), 30'000);
  EXPECT_NE(first.holder(), second.holder());
  EXPECT_TRUE(first.Hold());
  EXPECT_FALSE(second.Hold());
  clock.Advance(std::chrono::seconds(31));  // first stopped renewing (a dead node)
  EXPECT_TRUE(second.Hold());
  EXPECT_FALSE(first.Hold());
  second.Release();
  EXPECT_TRUE(first.Hold());
}

INSTANTIATE_TEST_SUITE_P(Backends, LeaseTest, ::testing::ValuesIn(storage::AllBackendsForTest()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gz::jobs
