// The C++ side of the transparency-log benchmark (bench/tlog/run.sh): the same work as
// bench/tlog/tlog_compare.go does with Go's reference package, over an in-memory stored-hash
// array with the same numbering: appending `leaves` entries ("entry <i>": leaf hash plus the
// stored hashes it completes), then `proofs` inclusion proofs and `proofs` consistency proofs
// against the full tree at random indexes. Then the same log in the real SQLite store: appends
// through transparency::AppendEntryInTx (1,000 per transaction) and inclusion proofs through the
// service (a read transaction and SQL reads each). Prints one JSON object. Not a test.
//
//   gz_tlog_compare <leaves> <proofs> <seed> [sqlite file]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "modules/transparency/sql/log_sql.h"
#include "modules/transparency/transparency_log.h"
#include "storage/sqlite/sqlite_db.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

using namespace gz;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const int64_t n = std::atoll(argv[1]);
  const int proofs = std::atoi(argv[2]);
  std::mt19937_64 rng(std::atoll(argv[3]));

  std::vector<tlog::Hash> stored;
  stored.reserve(static_cast<size_t>(2 * n));
  tlog::HashReader reader = [&stored](std::span<const int64_t> indexes) -> Result<std::vector<tlog::Hash>> {
    std::vector<tlog::Hash> out;
    out.reserve(indexes.size());
    for (int64_t i : indexes) out.push_back(stored[static_cast<size_t>(i)]);
    return out;
  };
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < n; ++i) {
    Result<std::vector<tlog::Hash>> h = tlog::StoredHashesForLeaf(i, tlog::LeafHash("entry " + std::to_string(i)), reader);
    stored.insert(stored.end(), h->begin(), h->end());
  }
  double append_s = Seconds(start);
  tlog::Hash root = *tlog::TreeHash(n, reader);

  size_t total = 0;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < proofs; ++i) total += tlog::ProveInclusion(static_cast<int64_t>(rng() % n), n, reader)->size();
  double incl_s = Seconds(start);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < proofs; ++i) total += tlog::ProveConsistency(1 + static_cast<int64_t>(rng() % (n - 1)), n, reader)->size();
  double cons_s = Seconds(start);

  std::printf("{\"impl\":\"c++ gz_tlog\",\"leaves\":%lld,\"proofs\":%d,\"appends_per_s\":%.1f,\"inclusion_per_s\":%.1f,"
              "\"consistency_per_s\":%.1f,\"root\":\"%s\",\"proof_hashes_total\":%zu",
              static_cast<long long>(n), proofs, n / append_s, proofs / incl_s, proofs / cons_s,
              tlog::Base64Encode(tlog::HashBytes(root)).c_str(), total);

  if (argc > 4) {
    // The real store: durable appends in transactions of 1,000, then proofs through the service.
    std::filesystem::remove(argv[4]);
    auto db = storage::sqlite::OpenSqlite({.path = argv[4]});
    FakeClock clock;
    if (!db.ok() || !storage::ApplyMigrations(**db, transparency::TransparencyMigrations(), clock).ok()) return 1;
    start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < n; i += 1000) {
      Status s = (*db)->Write([&](storage::Tx& tx) -> Status {
        for (int64_t k = i; k < std::min(n, i + 1000); ++k)
          GZ_RETURN_IF_ERROR(transparency::AppendEntryInTx(tx, "420114001205", "entry " + std::to_string(k)).status());
        return Status::Ok();
      });
      if (!s.ok()) return 1;
    }
    double sql_append_s = Seconds(start);
    transparency::SqlLogStore store(**db);
    transparency::TransparencyLog log(store, *tlog::GenerateSignerKey("bench.example/log"), clock);
    start = std::chrono::steady_clock::now();
    if (!log.SignPending().ok()) return 1;
    double sign_s = Seconds(start);
    if (log.Latest().ok() && tlog::OpenNote(log.Latest()->note, {log.verifier()}).ok() &&
        tlog::ParseCheckpoint(*tlog::OpenNote(log.Latest()->note, {log.verifier()}))->root != root)
      return 3;  // the store must build the very same tree
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < proofs; ++i) total += log.Inclusion(static_cast<int64_t>(rng() % n), std::nullopt)->proof.size();
    double sql_incl_s = Seconds(start);
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < proofs; ++i) total += log.Consistency(1 + static_cast<int64_t>(rng() % (n - 1)), n)->size();
    double sql_cons_s = Seconds(start);
    std::printf(",\"store_appends_per_s\":%.1f,\"store_sign_s\":%.3f,\"store_inclusion_per_s\":%.1f,"
                "\"store_consistency_per_s\":%.1f",
                n / sql_append_s, sign_s, proofs / sql_incl_s, proofs / sql_cons_s);
  }
  std::printf("}\n");
  return 0;
}
