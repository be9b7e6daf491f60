// gz_province_seed: fills a gongzhi store with a province's (or a county's) synthetic residents and
// a sample of villages' year of disclosures, for the province-scale scenario of `make bench`
// (bench/README.md, "Province scale").
//
//   gz_province_seed --data-dir DIR [--database URL] --scope 42|420114 --residents N
//                    [--disclosure-villages N] [--villages-per-batch N] [--salt 0]
//
// The divisions must already be in the store (`gongzhi import-divisions --province 42`, the app's
// own import, so every code is real). The data folder gives the key file: everything is sealed
// with the folder's own key, so a server started on the same folder and database reads it.
//
// Residents go through the residents module's own seeding path (SeedDemoResidents: the synthetic
// population generator, the synthetic ID allocator, ResidentRegistry's validation and
// personal_data_sealing's sealing and blind indexes): only the last step, writing a batch of
// sealed rows, is replaced. On PostgreSQL each batch is written with COPY FROM STDIN
// (PQputCopyData, text format, bytea as hex) in one transaction on a connection of this program;
// on SQLite the store's own InsertHouseholds writes it (prepared statements, one transaction per
// batch). Villages that already have residents (the demo county) are skipped, as the module does.
//
// Disclosures: for `--disclosure-villages` villages spread over the scope, a year of items through
// the disclosure module's demo path (SeedDemoDisclosures: drafted by a cadre, published by the
// supervisor, each appended to the transparency log), with synthetic principals per village.
//
// Limits (said so nobody is surprised): synthetic ID numbers are unique per county; this program
// uses the wide synthetic range (sequence 900-999, fifty per region, birth date and sex;
// residents/synthetic_population.h, SyntheticRange::kWide), so a county holds a few million
// synthetic residents (about 100,000 with the demo's 996-999) and a province tens of millions; a
// county beyond that fails with residents/synthetic-ids-exhausted. The allocator keeps 8 bytes
// (plus a hash node) per number handed out: about 1 GB of memory for 30 million residents. Prints one JSON line with the counts and the timings, and
// how many of the written residents (with their households) were read back and opened with the
// folder's key as the server opens them (verified_opened; any failure stops the program).
// Layer: bench (may use every library).
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "crypto/key_file.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/disclosure/seed_demo.h"
#include "modules/disclosure/sql/sql_disclosure_store.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/resident.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "modules/transparency/sql/log_sql.h"
#include "storage/postgres/postgres_db.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/url.h"

namespace gz::bench {
namespace {

using residents::SealedHouseholdWithMembers;

struct Options {
  std::string data_dir;
  std::string database;  // empty: the folder's SQLite store
  std::string scope;     // 2 (province) or 6 (county) digits
  int64_t residents = 0;
  int disclosure_villages = 0;
  int villages_per_batch = 0;  // 0: about 20,000 rows per batch
  uint64_t salt = 0;
};

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// COPY text format: bytea as \\x<hex> (the backslash itself escaped), NULL as \N.
void AppendBytea(std::string& out, const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\\\x";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
}
void AppendOptionalBytea(std::string& out, const std::optional<std::string>& bytes) {
  if (bytes) AppendBytea(out, *bytes);
  else out += "\\N";
}

// The residents store, except that a batch of sealed rows is written with COPY on PostgreSQL.
// Every other call (the counts and duplicate checks of the seeding path) goes to the real store.
class CopyingResidentStore final : public residents::ResidentStore {
 public:
  CopyingResidentStore(residents::ResidentStore& inner, PGconn* pg) : inner_(inner), pg_(pg) {}
  int64_t households = 0, residents = 0;
  double write_seconds = 0;

  Status InsertHouseholds(std::span<const SealedHouseholdWithMembers> batch, const residents::TxAudit& audit) override {
    const auto t = std::chrono::steady_clock::now();
    Status s = pg_ ? Copy(batch) : inner_.InsertHouseholds(batch, audit);
    write_seconds += Since(t);
    if (s.ok()) {
      households += static_cast<int64_t>(batch.size());
      for (const SealedHouseholdWithMembers& h : batch) residents += static_cast<int64_t>(h.members.size());
    }
    return s;
  }
  Status InsertResident(const residents::SealedResident& r, const residents::TxAudit& a) override { return inner_.InsertResident(r, a); }
  Status UpdateResident(const residents::ResidentUpdate& u, const residents::TxAudit& a) override { return inner_.UpdateResident(u, a); }
  Status InsertCorrection(const residents::SealedCorrection& c, const residents::TxAudit& a) override {
    return inner_.InsertCorrection(c, a);
  }
  Status ResolveCorrection(const residents::SealedCorrection& c, const std::optional<residents::ResidentUpdate>& r,
                           const std::optional<residents::HouseholdUpdate>& h, const residents::TxAudit& a) override {
    return inner_.ResolveCorrection(c, r, h, a);
  }
  Result<residents::SealedCorrection> GetCorrection(residents::CorrectionId id) override { return inner_.GetCorrection(id); }
  Result<std::vector<residents::SealedCorrection>> CorrectionsOfResident(residents::ResidentId id) override {
    return inner_.CorrectionsOfResident(id);
  }
  Result<residents::CorrectionPage> CorrectionsOfVillage(std::string_view v, std::optional<residents::CorrectionStatus> s,
                                                         int64_t limit, int64_t offset) override {
    return inner_.CorrectionsOfVillage(v, s, limit, offset);
  }
  Result<residents::SealedHousehold> GetHousehold(residents::HouseholdId id) override { return inner_.GetHousehold(id); }
  Result<residents::SealedResident> GetResident(residents::ResidentId id) override { return inner_.GetResident(id); }
  Result<std::vector<residents::ResidentInfo>> ListResidents(std::string_view v) override { return inner_.ListResidents(v); }
  Result<residents::ResidentPage> ResidentsOfVillage(std::string_view v, int64_t l, int64_t o) override {
    return inner_.ResidentsOfVillage(v, l, o);
  }
  Result<residents::HouseholdPage> HouseholdsOfVillage(std::string_view v, int64_t l, int64_t o) override {
    return inner_.HouseholdsOfVillage(v, l, o);
  }
  Result<std::vector<residents::SealedResident>> MembersOf(residents::HouseholdId id) override { return inner_.MembersOf(id); }
  Result<residents::VillageFacts> FactsOfVillage(std::string_view v) override { return inner_.FactsOfVillage(v); }
  Result<std::vector<residents::VillageCount>> CountByVillage(std::span<const std::string> v) override {
    return inner_.CountByVillage(v);
  }
  Result<std::optional<residents::ResidentId>> FindByIdNumberIndex(std::string_view c, std::string_view i) override {
    return inner_.FindByIdNumberIndex(c, i);
  }
  Result<std::vector<residents::ResidentId>> FindByPhoneIndex(std::string_view c, std::string_view i) override {
    return inner_.FindByPhoneIndex(c, i);
  }
  Result<std::vector<std::string>> ExistingIdNumberIndexes(std::string_view c, std::span<const std::string> i) override {
    return inner_.ExistingIdNumberIndexes(c, i);
  }

 private:
  Status PgError(const char* what) {
    return Internal(std::string("COPY: ") + what + ": " + PQerrorMessage(pg_));
  }
  Status Exec(const char* sql) {
    PGresult* r = PQexec(pg_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? Status::Ok() : PgError(sql);
  }
  // One COPY statement fed with `data` (many rows) in pieces.
  Status CopyIn(const char* sql, const std::string& data) {
    PGresult* r = PQexec(pg_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok) return PgError(sql);
    constexpr size_t kPiece = 1 << 20;
    for (size_t at = 0; at < data.size(); at += kPiece) {
      const size_t n = std::min(kPiece, data.size() - at);
      if (PQputCopyData(pg_, data.data() + at, static_cast<int>(n)) != 1) return PgError("PQputCopyData");
    }
    if (PQputCopyEnd(pg_, nullptr) != 1) return PgError("PQputCopyEnd");
    Status s;
    while (PGresult* end = PQgetResult(pg_)) {
      if (PQresultStatus(end) != PGRES_COMMAND_OK) s = PgError(sql);
      PQclear(end);
    }
    return s;
  }
  Status Copy(std::span<const SealedHouseholdWithMembers> batch) {
    std::string households, members;
    for (const SealedHouseholdWithMembers& h : batch) {
      const residents::HouseholdInfo& i = h.household.info;
      households += std::to_string(i.id.value) + '\t' + i.county_code + '\t' + i.village_code + '\t';
      AppendBytea(households, h.household.address_sealed);
      households += '\t' + std::to_string(i.created_at_ms) + '\t' + std::to_string(i.updated_at_ms) + '\n';
      for (const residents::SealedResident& r : h.members) {
        const residents::ResidentInfo& m = r.info;
        members += std::to_string(m.id.value) + '\t' + std::to_string(m.household_id.value) + '\t' + m.county_code + '\t' +
                   m.village_code + '\t' + std::to_string(static_cast<int>(m.gender)) + '\t' +
                   std::to_string(m.birth_year) + '\t' + std::string(residents::RelationCode(m.relation)) + '\t' +
                   std::to_string(m.created_at_ms) + '\t' + std::to_string(m.updated_at_ms) + '\t' +
                   (m.id_region.empty() ? std::string("\\N") : m.id_region) + '\t';
        AppendBytea(members, r.name_sealed);
        members += '\t';
        AppendBytea(members, r.id_number_sealed);
        members += '\t';
        AppendBytea(members, r.id_number_index);
        members += '\t';
        AppendOptionalBytea(members, r.phone_sealed);
        members += '\t';
        AppendOptionalBytea(members, r.phone_index);
        members += '\t';
        AppendOptionalBytea(members, r.name_index);
        members += '\t';
        AppendOptionalBytea(members, r.flags_sealed);
        members += '\n';
      }
    }
    GZ_RETURN_IF_ERROR(Exec("BEGIN"));
    Status s = CopyIn("COPY residents_households (id, county_code, village_code, address_sealed, created_at_ms, "
                      "updated_at_ms) FROM STDIN",
                      households);
    if (s.ok())
      s = CopyIn("COPY residents_residents (id, household_id, county_code, village_code, gender, birth_year, relation, "
                 "created_at_ms, updated_at_ms, id_region, name_sealed, id_number_sealed, id_number_index, phone_sealed, "
                 "phone_index, name_index, flags_sealed) FROM STDIN",
                 members);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  residents::ResidentStore& inner_;
  PGconn* pg_;
};

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "gz_province_seed: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

access::Principal PrincipalOf(int64_t account, access::Role role, const std::string& village) {
  access::Principal p;
  p.self.account_id = account;
  p.self.village = village;
  p.self.grants.push_back(access::Grant{0, role, village});
  return p;
}

int Run(const Options& o) {
  if (Status s = crypto::Initialize(); !s.ok()) return Fail("crypto", s);
  std::unique_ptr<storage::Db> db;
  PGconn* pg = nullptr;
  if (o.database.empty() || o.database.rfind("sqlite:", 0) == 0) {
    std::string path = o.data_dir + "/gongzhi.db";
    if (!o.database.empty()) {
      Result<storage::DatabaseUrl> url = storage::ParseDatabaseUrl(o.database);
      if (!url.ok()) return Fail("database URL", url.status());
      path = url->sqlite_path;
    }
    Result<std::unique_ptr<storage::Db>> opened = storage::sqlite::OpenSqlite({.path = path});
    if (!opened.ok()) return Fail("open the store", opened.status());
    db = std::move(*opened);
  } else {
    storage::postgres::PostgresOptions options;
    options.conninfo = o.database;
    options.pool_size = 2;
    Result<std::unique_ptr<storage::Db>> opened = storage::postgres::OpenPostgres(options);
    if (!opened.ok()) return Fail("open the store", opened.status());
    db = std::move(*opened);
    pg = PQconnectdb(o.database.c_str());
    if (PQstatus(pg) != CONNECTION_OK) {
      std::fprintf(stderr, "gz_province_seed: connect for COPY: %s\n", PQerrorMessage(pg));
      return 1;
    }
    // A bulk load: a crash loses the last batches, not consistency, and the program is simply run
    // again on a fresh database; the commits need not wait for their WAL flush.
    PQclear(PQexec(pg, "SET synchronous_commit = off"));
  }
  std::unique_ptr<PGconn, void (*)(PGconn*)> pg_owner(pg, [](PGconn* c) {
    if (c) PQfinish(c);
  });

  Result<crypto::KeyRing> keys = crypto::LoadKeyFile(crypto::DefaultKeyFilePath(o.data_dir));
  if (!keys.ok()) return Fail("the data folder's key file", keys.status());
  Result<crypto::FieldCipher> cipher = crypto::FieldCipher::Create(*keys);
  if (!cipher.ok()) return Fail("cipher", cipher.status());

  std::vector<std::string> villages;
  Status s = db->Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT code FROM divisions_divisions WHERE level = 5 AND "
                                                        "code >= $1 AND code < $2 ORDER BY code",
                                                        {o.scope, o.scope + "~"}));
    for (const storage::Row& r : rs.rows) villages.push_back(r.Text(0));
    return Status::Ok();
  });
  if (!s.ok()) return Fail("read the villages", s);
  if (villages.empty()) {
    std::fprintf(stderr, "gz_province_seed: no villages under %s (import the divisions first)\n", o.scope.c_str());
    return 1;
  }

  // Households per village around the mean that gives --residents (the generator's households
  // have about 3.3 members), between 0.5x and 1.5x of it so villages differ in size.
  const double per_village = static_cast<double>(o.residents) / static_cast<double>(villages.size()) / 3.3;
  residents::SeedOptions seed;
  seed.min_households_per_village = std::clamp(static_cast<int>(per_village * 0.5 + 0.5), 1, 1000);
  seed.max_households_per_village = std::clamp(static_cast<int>(per_village * 1.5 + 0.5), seed.min_households_per_village, 1000);
  // Few big batches: each costs a duplicate check and a commit, whatever its size.
  seed.villages_per_transaction =
      o.villages_per_batch > 0 ? o.villages_per_batch : std::clamp(static_cast<int>(20'000 / (per_village * 3.3 + 1)), 1, 5'000);
  seed.salt = o.salt;
  // Tens of millions of residents put a few hundred thousand in a county: 900-999 (decision 0005).
  seed.id_range = residents::SyntheticRange::kWide;

  residents::SqlResidentStore sql_store(*db);
  CopyingResidentStore store(sql_store, pg);
  const auto t0 = std::chrono::steady_clock::now();
  Result<residents::SeedReport> report = residents::SeedDemoResidents(store, *cipher, villages, seed);
  const double resident_seconds = Since(t0);
  if (!report.ok()) return Fail("seed residents", report.status());

  // What was written opens as the server opens it: residents and households of 20 villages spread
  // over the scope, read back through the store and opened with the folder's key (which also
  // recomputes the blind indexes and checks each row's associated data).
  int64_t verified = 0;
  if (store.residents > 0) {
    const size_t step = std::max<size_t>(1, villages.size() / 20);
    for (size_t i = 0; i < villages.size(); i += step) {
      Result<std::vector<residents::ResidentInfo>> listed = sql_store.ListResidents(villages[i]);
      if (!listed.ok()) return Fail("verify: list " + villages[i], listed.status());
      for (size_t k = 0; k < std::min<size_t>(listed->size(), 10); ++k) {
        Result<residents::SealedResident> row = sql_store.GetResident((*listed)[k].id);
        if (!row.ok()) return Fail("verify: read a resident", row.status());
        if (Result<residents::ResidentPersonalFields> f = residents::OpenResident(*cipher, *row); !f.ok())
          return Fail("verify: open a resident of " + villages[i], f.status());
        Result<residents::SealedHousehold> h = sql_store.GetHousehold(row->info.household_id);
        if (!h.ok()) return Fail("verify: read a household", h.status());
        if (Result<residents::HouseholdPersonalFields> f = residents::OpenHousehold(*cipher, *h); !f.ok())
          return Fail("verify: open a household of " + villages[i], f.status());
        ++verified;
      }
    }
  }

  // A year of disclosures for villages spread evenly over the scope (not the skipped demo ones).
  int disclosed_villages = 0, published = 0;
  const auto t1 = std::chrono::steady_clock::now();
  if (o.disclosure_villages > 0) {
    const Clock& clock = SystemClock::Instance();
    audit::SqlAuditSink audit_sink(*db, clock);
    disclosure::SqlDisclosureStore disclosures(*db, &transparency::AppendEntryInTx, &audit::AppendAuditInTx);
    const size_t step = std::max<size_t>(1, villages.size() / static_cast<size_t>(o.disclosure_villages));
    for (size_t i = 0; i < villages.size() && disclosed_villages < o.disclosure_villages; i += step) {
      const int64_t base = 900'000'000 + static_cast<int64_t>(i) * 4;
      disclosure::DemoDisclosurePeople people{PrincipalOf(base + 1, access::Role::kVillageCadre, villages[i]),
                                              PrincipalOf(base + 2, access::Role::kSupervisor, villages[i]),
                                              PrincipalOf(base + 3, access::Role::kVillager, villages[i])};
      Result<disclosure::DemoDisclosureReport> d =
          disclosure::SeedDemoDisclosures(disclosures, *cipher, audit_sink, villages[i], people, clock);
      if (!d.ok()) return Fail("seed disclosures of " + villages[i], d.status());
      if (!d->already_there) ++disclosed_villages;
      published += d->published;
    }
  }
  const double disclosure_seconds = Since(t1);

  std::printf("{\"scope\":\"%s\",\"villages\":%zu,\"villages_seeded\":%d,\"villages_skipped\":%d,"
              "\"households\":%lld,\"residents\":%lld,\"households_per_village\":[%d,%d],"
              "\"verified_opened\":%lld,\"resident_seconds\":%.2f,\"write_seconds\":%.2f,\"rows_per_second\":%.0f,"
              "\"disclosure_villages\":%d,\"disclosures\":%d,\"disclosure_seconds\":%.2f,\"backend\":\"%s\"}\n",
              o.scope.c_str(), villages.size(), report->villages_seeded, report->villages_skipped,
              static_cast<long long>(store.households), static_cast<long long>(store.residents),
              seed.min_households_per_village, seed.max_households_per_village, static_cast<long long>(verified), resident_seconds, store.write_seconds,
              resident_seconds > 0 ? static_cast<double>(store.households + store.residents) / resident_seconds : 0.0,
              disclosed_villages, published, disclosure_seconds, pg ? "postgresql (COPY)" : "sqlite (prepared statements)");
  return 0;
}

}  // namespace
}  // namespace gz::bench

int main(int argc, char** argv) {
  gz::bench::Options o;
  const char* usage =
      "usage: gz_province_seed --data-dir DIR [--database URL] --scope 42|420114 --residents N "
      "[--disclosure-villages N] [--villages-per-batch N (default: about 20,000 rows)] [--salt S]\n";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fputs(usage, stderr);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data-dir") o.data_dir = value();
    else if (a == "--database") o.database = value();
    else if (a == "--scope") o.scope = value();
    else if (a == "--residents") o.residents = std::atoll(value().c_str());
    else if (a == "--disclosure-villages") o.disclosure_villages = std::atoi(value().c_str());
    else if (a == "--villages-per-batch") o.villages_per_batch = std::atoi(value().c_str());
    else if (a == "--salt") o.salt = std::strtoull(value().c_str(), nullptr, 10);
    else {
      std::fputs(usage, stderr);
      return 2;
    }
  }
  if (o.data_dir.empty() || (o.scope.size() != 2 && o.scope.size() != 6) || o.residents < 1 || o.villages_per_batch < 0) {
    std::fputs(usage, stderr);
    return 2;
  }
  return gz::bench::Run(o);
}
