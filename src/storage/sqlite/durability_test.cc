// T-CRASH in miniature (docs/security-tests.md, T-CRASH-1): a child process writes and acknowledges
// rows, the parent kills it with SIGKILL at a random moment, reopens the store and checks that
// every acknowledged row is there and that the file is intact. A negative control shows that the
// check does catch a write acknowledged before its COMMIT.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace gz::storage::sqlite {
namespace {

enum class Ack { kAfterWriteReturns, kBeforeCommit };

// Child side: never returns. Each of `threads` threads inserts rows with fresh ids and writes the
// id (8 bytes, so each write to the pipe is atomic) once acknowledged.
[[noreturn]] void RunWriterChild(const std::string& path, int ack_fd, int64_t first_id, int threads, Ack ack) {
  Result<std::unique_ptr<Db>> db = OpenSqlite({.path = path});
  if (!db.ok()) _exit(2);
  std::atomic<int64_t> next{first_id};
  auto send = [&](int64_t id) {
    if (write(ack_fd, &id, sizeof id) != sizeof id) _exit(3);
  };
  auto work = [&] {
    std::string payload(200, 'p');  // a few rows per page, so pages fill and split
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      int64_t id = next++;
      Status s = (*db)->Write([&](Tx& tx) {
        GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO acks (id, payload) VALUES ($1, $2)", {id, payload}).status());
        if (ack == Ack::kBeforeCommit) {
          send(id);  // the bug under test: acknowledged, then killed before COMMIT
          std::this_thread::sleep_for(std::chrono::seconds(20));
        }
        return Status::Ok();
      });
      if (!s.ok()) _exit(4);
      if (ack == Ack::kAfterWriteReturns) send(id);
    }
    _exit(5);  // never killed: the parent is gone
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(work);
  work();
  _exit(5);
}

struct CycleResult {
  size_t acknowledged = 0;
  size_t lost = 0;
  std::string integrity;
};

// One kill cycle: fork a writer, SIGKILL it `kill_after` after its first acknowledgement, collect
// every acknowledgement it managed to send, reopen and compare.
CycleResult RunCycle(const std::string& path, int64_t first_id, std::chrono::milliseconds kill_after, Ack ack,
                     int threads = 4) {
  CycleResult out;
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe";
    return out;
  }
  fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    RunWriterChild(path, fds[1], first_id, threads, ack);
  }
  close(fds[1]);
  std::set<int64_t> acked;
  auto read_acks = [&](int timeout_ms) -> bool {  // false at EOF
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return true;
    int64_t ids[512];
    ssize_t n = read(fds[0], ids, sizeof ids);
    if (n <= 0) return false;
    for (ssize_t i = 0; i < n / static_cast<ssize_t>(sizeof(int64_t)); ++i) acked.insert(ids[i]);
    return true;
  };
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (acked.empty() && std::chrono::steady_clock::now() < give_up) read_acks(50);
  auto kill_at = std::chrono::steady_clock::now() + kill_after;
  while (std::chrono::steady_clock::now() < kill_at) read_acks(1);
  kill(pid, SIGKILL);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "the writer stopped by itself, exit code " << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  while (read_acks(100)) {
  }
  close(fds[0]);
  out.acknowledged = acked.size();

  Result<std::unique_ptr<Db>> db = OpenSqlite({.path = path, .readers = 1});
  if (!db.ok()) {
    ADD_FAILURE() << "reopen after kill: " << db.status().ToString();
    return out;
  }
  std::set<int64_t> present;
  Status s = (*db)->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT id FROM acks WHERE id >= $1", {first_id}));
    for (const Row& r : rs.rows) present.insert(r.Int(0));
    GZ_ASSIGN_OR_RETURN(ResultSet check, tx.Query("PRAGMA integrity_check"));
    out.integrity = check.rows.empty() ? "no answer" : check.rows[0].Text(0);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (int64_t id : acked) out.lost += present.count(id) ? 0 : 1;
  return out;
}

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<TempDirForTest> dir = TempDirForTest::Create();
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(*dir));
    path_ = dir_->path() + "/crash.db";
    Result<std::unique_ptr<Db>> db = OpenSqlite({.path = path_});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Write([](Tx& tx) {
      return tx.ExecScript("CREATE TABLE acks (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)");
    }).ok());
  }
  std::optional<TempDirForTest> dir_;
  std::string path_;
};

TEST_F(DurabilityTest, EveryAcknowledgedWriteSurvivesSigkill) {
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(20, 300);
  size_t total_acked = 0;
  for (int cycle = 0; cycle < 5; ++cycle) {
    auto delay = std::chrono::milliseconds(delay_ms(rng));
    CycleResult r = RunCycle(path_, (cycle + 1) * int64_t{1'000'000}, delay, Ack::kAfterWriteReturns);
    EXPECT_EQ(r.lost, 0u) << "cycle " << cycle << " killed after " << delay.count() << " ms";
    EXPECT_EQ(r.integrity, "ok") << "cycle " << cycle;
    EXPECT_GT(r.acknowledged, 0u);
    total_acked += r.acknowledged;
  }
  std::printf("[ durability ] 5 kill cycles, %zu acknowledged writes, 0 lost expected\n", total_acked);
}

// With 32 writers most Write()s are members of a batch waiting for its COMMIT when the kill
// comes: none of those was acknowledged, and every acknowledged one is on disk.
TEST_F(DurabilityTest, EveryAcknowledgedWriteSurvivesSigkillWithLargeBatches) {
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(20, 300);
  size_t total_acked = 0;
  for (int cycle = 0; cycle < 3; ++cycle) {
    auto delay = std::chrono::milliseconds(delay_ms(rng));
    CycleResult r = RunCycle(path_, (cycle + 11) * int64_t{1'000'000}, delay, Ack::kAfterWriteReturns, 32);
    EXPECT_EQ(r.lost, 0u) << "cycle " << cycle << " killed after " << delay.count() << " ms";
    EXPECT_EQ(r.integrity, "ok") << "cycle " << cycle;
    EXPECT_GT(r.acknowledged, 0u);
    total_acked += r.acknowledged;
  }
  std::printf("[ durability ] 3 kill cycles with 32 writers, %zu acknowledged writes, 0 lost expected\n", total_acked);
}

TEST_F(DurabilityTest, NegativeControlAcknowledgingBeforeCommitIsCaught) {
  CycleResult r = RunCycle(path_, 1, std::chrono::milliseconds(0), Ack::kBeforeCommit);
  EXPECT_GE(r.acknowledged, 1u);
  EXPECT_GE(r.lost, 1u) << "the check cannot see lost writes";
  EXPECT_EQ(r.integrity, "ok");
}

}  // namespace
}  // namespace gz::storage::sqlite
