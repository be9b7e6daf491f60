// `gz_residents_seed_bench [divisions.csv [villages per transaction]]`: seeds every village-level unit of a county extract
// (code,name,level,parent_code; default: the Caidian extract in ../shared/data/divisions/) into a
// fresh SQLite store in a temporary folder, and prints the time taken and the report as one JSON
// line. A measurement, never a test (docs: speed is not gated in CI).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "crypto/key_file.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace {

// Times the store calls, to tell database time from generation and sealing time.
class TimedStore final : public gz::residents::ResidentStore {
 public:
  explicit TimedStore(gz::residents::ResidentStore& inner) : inner_(inner) {}
  double insert_seconds = 0, lookup_seconds = 0;

  gz::Status InsertHouseholds(std::span<const gz::residents::SealedHouseholdWithMembers> h) override {
    auto t = std::chrono::steady_clock::now();
    gz::Status s = inner_.InsertHouseholds(h);
    insert_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    return s;
  }
  gz::Status InsertResident(const gz::residents::SealedResident& r) override { return inner_.InsertResident(r); }
  gz::Result<gz::residents::SealedHousehold> GetHousehold(gz::residents::HouseholdId id) override { return inner_.GetHousehold(id); }
  gz::Result<gz::residents::SealedResident> GetResident(gz::residents::ResidentId id) override { return inner_.GetResident(id); }
  gz::Result<std::vector<gz::residents::ResidentInfo>> ListResidents(std::string_view v) override { return inner_.ListResidents(v); }
  gz::Result<std::vector<gz::residents::VillageCount>> CountByVillage(std::span<const std::string> v) override {
    return inner_.CountByVillage(v);
  }
  gz::Result<std::optional<gz::residents::ResidentId>> FindByIdNumberIndex(std::string_view c, std::string_view i) override {
    return inner_.FindByIdNumberIndex(c, i);
  }
  gz::Result<std::vector<gz::residents::ResidentId>> FindByPhoneIndex(std::string_view c, std::string_view i) override {
    return inner_.FindByPhoneIndex(c, i);
  }
  gz::Result<std::vector<std::string>> ExistingIdNumberIndexes(std::string_view c, std::span<const std::string> i) override {
    auto t = std::chrono::steady_clock::now();
    auto r = inner_.ExistingIdNumberIndexes(c, i);
    lookup_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    return r;
  }

 private:
  gz::residents::ResidentStore& inner_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace gz;
  const std::string csv = argc > 1 ? argv[1] : GZ_DEFAULT_DIVISIONS_CSV;
  std::ifstream in(csv);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", csv.c_str());
    return 2;
  }
  std::vector<std::string> villages;
  std::string line;
  while (std::getline(in, line)) {
    // code,name,level,parent_code -- the name has no comma in NBS data
    const size_t a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    if (c == std::string::npos) continue;
    if (line.substr(b + 1, c - b - 1) == "village") villages.push_back(line.substr(0, a));
  }
  auto dir = storage::sqlite::TempDirForTest::Create();
  if (!dir.ok()) return 2;
  auto db = storage::sqlite::OpenSqlite({dir->path() + "/gongzhi.db"});
  auto ring = crypto::LoadOrCreateKeyFile(crypto::DefaultKeyFilePath(dir->path()));
  if (!db.ok() || !ring.ok()) {
    std::fprintf(stderr, "setup failed\n");
    return 2;
  }
  auto cipher = crypto::FieldCipher::Create(*ring);
  if (!cipher.ok() || !storage::ApplyMigrations(**db, residents::ResidentMigrations(), SystemClock::Instance()).ok())
    return 2;
  residents::SqlResidentStore sql_store(**db);
  TimedStore store(sql_store);

  residents::SeedOptions options;
  if (argc > 2) options.villages_per_transaction = std::atoi(argv[2]);
  const auto t0 = std::chrono::steady_clock::now();
  auto report = residents::SeedDemoResidents(store, *cipher, villages, options);
  const auto t1 = std::chrono::steady_clock::now();
  auto again = residents::SeedDemoResidents(store, *cipher, villages, {});
  const auto t2 = std::chrono::steady_clock::now();
  if (!report.ok() || !again.ok()) {
    std::fprintf(stderr, "%s\n", (report.ok() ? again.status() : report.status()).ToString().c_str());
    return 1;
  }
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf(
      "{\"villages\":%d,\"seeded\":%d,\"households\":%lld,\"residents\":%lld,\"with_phone\":%lld,"
      "\"households_without_phone\":%lld,\"transactions\":%d,\"seed_seconds\":%.3f,\"reseed_skipped\":%d,"
      "\"reseed_seconds\":%.3f,\"insert_seconds\":%.3f,\"lookup_seconds\":%.3f}\n",
      report->villages_requested, report->villages_seeded, static_cast<long long>(report->households),
      static_cast<long long>(report->residents), static_cast<long long>(report->residents_with_phone),
      static_cast<long long>(report->households_without_phone), report->transactions, secs(t1 - t0),
      again->villages_skipped, secs(t2 - t1), store.insert_seconds, store.lookup_seconds);
  return 0;
}
