// kill -9 during concurrent appends and signing never leaves a signed checkpoint that the stored
// tree cannot reproduce: a child process appends from four threads while its signer signs every
// few milliseconds; the parent kills it at a random moment, reopens the store and runs the full
// self-check (every checkpoint ever signed against the tree rebuilt from the entries), then lets
// the next child continue on the same file. Acknowledged appends must all be there.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <thread>

#include "modules/transparency/sql/log_sql.h"
#include "modules/transparency/transparency_log.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace gz::transparency {
namespace {

[[noreturn]] void RunChild(const std::string& path, int ack_fd, int cycle) {
  auto db = storage::sqlite::OpenSqlite({.path = path});
  if (!db.ok()) _exit(2);
  SqlLogStore store(**db);
  tlog::SignerKey key = *tlog::ParseSignerKey(std::getenv("GZ_TLOG_TEST_KEY"));
  TransparencyLog log(store, key, SystemClock::Instance());
  SetAppendListener([&log] { log.Poke(); });
  log.StartSigner(std::chrono::milliseconds(2), std::chrono::milliseconds(20));
  auto work = [&](int t) {
    for (int i = 0;; ++i) {
      int64_t index = -1;
      std::string entry = "cycle " + std::to_string(cycle) + " thread " + std::to_string(t) + " n " + std::to_string(i);
      Status s = (*db)->Write([&](storage::Tx& tx) -> Status {
        GZ_ASSIGN_OR_RETURN(std::uint64_t at, AppendEntryInTx(tx, "420114001205", entry));
        index = static_cast<int64_t>(at);
        return Status::Ok();
      });
      if (!s.ok()) _exit(3);
      if (write(ack_fd, &index, sizeof index) != sizeof index) _exit(4);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work, t);
  for (auto& th : threads) th.join();
  _exit(5);
}

TEST(TlogCrash, KillNineNeverLeavesAnUnreproducibleCheckpoint) {
  auto dir = storage::sqlite::TempDirForTest::Create();
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->path() + "/log.db";
  tlog::SignerKey key = *tlog::GenerateSignerKey("gongzhi.example/420114");
  setenv("GZ_TLOG_TEST_KEY", tlog::FormatSignerKey(key).c_str(), 1);
  {
    auto db = storage::sqlite::OpenSqlite({.path = path});
    ASSERT_TRUE(db.ok());
    FakeClock clock;
    ASSERT_TRUE(storage::ApplyMigrations(**db, TransparencyMigrations(), clock).ok());
  }
  std::mt19937 rng(std::random_device{}());
  int64_t max_acked = -1;
  int64_t last_checkpoints = 0;
  for (int cycle = 0; cycle < 8; ++cycle) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RunChild(path, fds[1], cycle);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    kill(pid, SIGKILL);
    int64_t index;
    while (read(fds[0], &index, sizeof index) == sizeof index) max_acked = std::max(max_acked, index);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << WEXITSTATUS(status);

    auto db = storage::sqlite::OpenSqlite({.path = path});
    ASSERT_TRUE(db.ok());
    SqlLogStore store(**db);
    TransparencyLog log(store, key, SystemClock::Instance());
    Result<StoredLogReport> report = log.SelfCheck();
    ASSERT_TRUE(report.ok()) << "cycle " << cycle << ": " << report.status().ToString();
    EXPECT_GT(report->entries, max_acked) << "an acknowledged append was lost";
    EXPECT_GE(report->checkpoints, last_checkpoints);
    last_checkpoints = report->checkpoints;
    ASSERT_TRUE(log.SignPending().ok());
  }
  EXPECT_GT(last_checkpoints, 8) << "the signer never ran: the test would prove nothing";
  EXPECT_GT(max_acked, 100);
}

}  // namespace
}  // namespace gz::transparency
