// The cost of one PostgreSQL Read() of one indexed row (issue #8: the PostgreSQL backend's reads
// against SQLite's). On a throwaway cluster (storage/postgres/testing.h) on loopback; with 1 and
// 8 threads over a pool of 8. Round trips per Read() are counted outside, by the client's waits:
//   strace -f -c -e trace=poll,sendto gz_pg_read_bench --benchmark_filter='iterations:1000$'
// and the same with 3000.
// (bench/results/2026-11-29-pgread.md).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <memory>
#include <thread>

#include "storage/postgres/postgres_db.h"
#include "storage/postgres/testing.h"

namespace gz::storage::postgres {
namespace {

constexpr int64_t kRows = 10000;

// The cluster is stopped at exit, after the Db (members are destroyed in reverse order).
struct Fixture {
  std::unique_ptr<TestCluster> cluster;
  std::unique_ptr<Db> db;
};

Db& SharedDb() {
  static Fixture fixture = [] {
    Result<std::unique_ptr<TestCluster>> cluster = TestCluster::Start();
    if (!cluster.ok()) {
      std::fprintf(stderr, "cannot start a cluster: %s\n", cluster.status().ToString().c_str());
      std::exit(1);
    }
    Result<std::string> name = (*cluster)->CreateDatabase();
    PostgresOptions options;
    options.conninfo = (*cluster)->ConnInfo(name.ok() ? *name : "postgres");
    options.pool_size = 8;
    Result<std::unique_ptr<Db>> opened = OpenPostgres(options);
    if (!opened.ok()) {
      std::fprintf(stderr, "cannot open: %s\n", opened.status().ToString().c_str());
      std::exit(1);
    }
    Status s = (*opened)->Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE t (id BIGINT PRIMARY KEY, county BIGINT NOT NULL, v TEXT NOT NULL);"
          "INSERT INTO t SELECT g, 420100000000 + g % 13, md5(g::text) FROM generate_series(1, 10000) g;"
          "ANALYZE t");
    });
    if (!s.ok()) {
      std::fprintf(stderr, "cannot fill: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    return Fixture{std::move(*cluster), std::move(*opened)};
  }();
  return *fixture.db;
}

// One statement in the Read (a data read).
void BM_ReadOneRow(benchmark::State& state) {
  Db& db = SharedDb();
  int64_t id = 1 + state.thread_index() * 997;
  for (auto _ : state) {
    id = id % kRows + 1;
    Status s = db.Read([&](Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT v FROM t WHERE id = $1", {id}));
      benchmark::DoNotOptimize(rs.rows.size());
      return Status::Ok();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReadOneRow)->Threads(1)->Threads(8)->UseRealTime();
// Fixed counts, for counting the client's waits and sends with strace: the difference between
// the two runs divided by 2000 is per Read(), without the setup's.
BENCHMARK(BM_ReadOneRow)->Iterations(1000);
BENCHMARK(BM_ReadOneRow)->Iterations(3000);

// As a server uses a connection: some work between two Reads (here 300 us asleep), so the
// previous COMMIT's answer has arrived when the connection is taken again. For counting waits
// with strace, as above ('gap_iterations:1000$' and 3000).
void BM_ReadOneRowWithGap(benchmark::State& state) {
  Db& db = SharedDb();
  int64_t id = 1;
  for (auto _ : state) {
    id = id % kRows + 1;
    Status s = db.Read([&](Tx& tx) { return tx.Query("SELECT v FROM t WHERE id = $1", {id}).status(); });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
}
BENCHMARK(BM_ReadOneRowWithGap)->Name("gap_iterations:1000")->Iterations(1000);
BENCHMARK(BM_ReadOneRowWithGap)->Name("gap_iterations:3000")->Iterations(3000);

// Two statements in one Read (a lookup then a row: one snapshot, so the transaction matters).
void BM_ReadTwoRows(benchmark::State& state) {
  Db& db = SharedDb();
  int64_t id = 1 + state.thread_index() * 997;
  for (auto _ : state) {
    id = id % kRows + 1;
    Status s = db.Read([&](Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet a, tx.Query("SELECT county FROM t WHERE id = $1", {id}));
      GZ_ASSIGN_OR_RETURN(ResultSet b, tx.Query("SELECT v FROM t WHERE id = $1", {id % kRows + 1}));
      benchmark::DoNotOptimize(a.rows.size() + b.rows.size());
      return Status::Ok();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReadTwoRows)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace gz::storage::postgres
