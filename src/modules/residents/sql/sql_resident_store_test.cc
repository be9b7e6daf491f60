// The SQL store on a real SQLite file: contract, seeding, and the at-rest checks T-DATA-1 (no
// plaintext personal data in the database file or its WAL) and T-INTEG (edits are detected).
#include "modules/residents/sql/sql_resident_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/sql/resident_migrations.h"
#include "storage/sqlite/testing.h"

namespace gz::residents {
namespace {

std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SqlResidentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_.emplace(std::move(cipher).value());
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, ResidentMigrations(), clock_).ok());
    store_.emplace(*db_);
    registry_.emplace(*store_, *cipher_, clock_);
    reader_.emplace(*store_, *cipher_);
  }

  // The database file and its write-ahead log, as bytes on disk right now.
  std::string FileBytes() {
    const std::string location = db_->Describe();  // "sqlite:///abs/path"
    const std::string path = location.substr(std::string("sqlite://").size());
    std::string bytes = ReadBytes(path);
    EXPECT_GT(bytes.size(), 0u) << path;
    return bytes + ReadBytes(path + "-wal");
  }

  NewHousehold Family(std::string village = "420114103215") {
    NewHousehold h{std::move(village), {"7组12号"}, {}};
    h.members.push_back({{"周德明", Fix("42011419580405999"), "15481234567"}, Relation::kHead});
    h.members.push_back({{"吴桂英", Fix("42011419600707998"), std::nullopt}, Relation::kSpouse});
    return h;
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 00:00 in China (UTC+8)
  std::optional<crypto::FieldCipher> cipher_;
  std::unique_ptr<storage::Db> db_;
  std::optional<SqlResidentStore> store_;
  std::optional<ResidentRegistry> registry_;
  std::optional<SealedPersonalDataReader> reader_;
};

TEST_F(SqlResidentStoreTest, MigrationsApplyOnceAndDeclareBothDialects) {
  int applied = -1;
  ASSERT_TRUE(storage::ApplyMigrations(*db_, ResidentMigrations(), clock_, &applied).ok());
  EXPECT_EQ(applied, 0);
  for (const storage::Migration& m : ResidentMigrations()) {
    EXPECT_EQ(m.module, "residents");
    EXPECT_NE(m.postgres.find("BYTEA"), std::string_view::npos);
    EXPECT_EQ(m.postgres.find("BLOB"), std::string_view::npos);
  }
}

TEST_F(SqlResidentStoreTest, ContractRoundTrip) {
  auto hid = registry_->CreateHousehold(Family());
  ASSERT_TRUE(hid.ok()) << hid.status().ToString();
  auto list = registry_->ListResidents("420114103215");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].household_id, *hid);
  for (const ResidentInfo& r : *list) {
    auto got = registry_->GetResident(r.id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, r);
  }
  EXPECT_EQ(registry_->GetHousehold(*hid)->village_code, "420114103215");
  EXPECT_EQ(reader_->ReadHouseholdPersonalFields(*hid)->address, "7组12号");

  auto head = registry_->FindByIdNumber("420114", Fix("42011419580405999"));
  ASSERT_TRUE(head.ok() && head->has_value());
  auto personal = reader_->ReadPersonalFields(**head);
  ASSERT_TRUE(personal.ok()) << personal.status().ToString();
  EXPECT_EQ(personal->name, "周德明");
  EXPECT_EQ(personal->phone, "15481234567");
  EXPECT_EQ(registry_->FindByPhone("420114", "154 8123 4567")->size(), 1u);
  EXPECT_TRUE(registry_->FindByPhone("420115", "154 8123 4567")->empty());

  auto counts = registry_->CountByVillage(std::vector<std::string>{"420114103299", "420114103215"});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::vector<VillageCount>{{"420114103299", 0, 0}, {"420114103215", 1, 2}}));

  auto registered = registry_->RegisteredIdNumbers(
      "420114", std::vector<std::string>{Fix("42011419990101999"), Fix("42011419600707998")});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(*registered, std::vector<std::string>{Fix("42011419600707998")});

  auto added = registry_->AddResident(*hid, {{"周小燕", Fix("42011419880808998"), std::nullopt}, Relation::kChild});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(reader_->ReadPersonalFields(*added)->name, "周小燕");

  // Not found, duplicates.
  EXPECT_EQ(registry_->GetResident(ResidentId{42}).status().slug(), problems::kResidentNotFound);
  EXPECT_EQ(registry_->GetHousehold(HouseholdId{42}).status().slug(), problems::kHouseholdNotFound);
  EXPECT_EQ(registry_->AddResident(HouseholdId{42}, {{"周二", Fix("42011419880808997"), std::nullopt}, Relation::kChild})
                .status().slug(), problems::kHouseholdNotFound);
  auto dup = registry_->CreateHousehold(Family("420114103216"));
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.status().slug(), problems::kDuplicateIdNumber);
  EXPECT_EQ(registry_->AddResident(*hid, {{"周三", Fix("42011419580405999"), std::nullopt}, Relation::kChild})
                .status().slug(), problems::kDuplicateIdNumber);
  // The failed batch left nothing behind.
  EXPECT_TRUE(registry_->ListResidents("420114103216")->empty());
  // The same person may be registered in another county (the index is unique per county).
  NewHousehold elsewhere = Family("420115103216");
  EXPECT_TRUE(registry_->CreateHousehold(elsewhere).ok());
}

TEST_F(SqlResidentStoreTest, TheDatabaseRefusesPlaintextInSealedColumns) {
  ASSERT_TRUE(registry_->CreateHousehold(Family()).ok());
  Status s = db_->Write([](storage::Tx& tx) {
    return tx.Exec("UPDATE residents_residents SET name_sealed = $1", {std::string("周德明周德明周德明周德明周德明")}).status();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.slug(), "storage/constraint");
}

// Three villages, seeded the way `gongzhi seed-demo` does, then the T-DATA-1 grep.
TEST_F(SqlResidentStoreTest, SeedThreeVillagesNoPlaintextInTheFileOrWal) {
  const std::vector<std::string> villages = {"420114001001", "420114103215", "420114106202"};
  SeedOptions options;
  options.clock = &clock_;
  auto report = SeedDemoResidents(*store_, *cipher_, villages, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->villages_seeded, 3);
  EXPECT_EQ(report->transactions, 1);

  auto counts = store_->CountByVillage(villages);
  ASSERT_TRUE(counts.ok());
  int64_t residents = 0, households = 0;
  for (const VillageCount& c : *counts) {
    EXPECT_GE(c.households, 20);
    EXPECT_LE(c.households, 60);
    residents += c.residents;
    households += c.households;
  }
  EXPECT_EQ(residents, report->residents);
  EXPECT_EQ(households, report->households);

  // Every value, read back through the one accessor.
  std::vector<std::string> secrets;
  std::set<std::string> ids;
  int64_t phones = 0;
  for (const std::string& v : villages) {
    auto list = store_->ListResidents(v);
    ASSERT_TRUE(list.ok());
    std::set<int64_t> households_seen;
    for (const ResidentInfo& r : *list) {
      auto p = reader_->ReadPersonalFields(r.id);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      auto parsed = ParseIdNumber(p->id_number, {2026, 11, 28});
      ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
      EXPECT_TRUE(HasSyntheticSequence(p->id_number));
      EXPECT_EQ(parsed->birth_date.year, r.birth_year);
      EXPECT_EQ(parsed->gender, r.gender);
      EXPECT_TRUE(ids.insert(p->id_number).second);
      secrets.push_back(p->name);
      secrets.push_back(p->id_number);
      secrets.push_back(p->id_number.substr(6, 8) + p->id_number.substr(14));  // birth date + sequence
      if (p->phone) {
        ++phones;
        EXPECT_TRUE(IsSyntheticMobile(*p->phone)) << *p->phone;
        secrets.push_back(*p->phone);
        secrets.push_back(p->phone->substr(3));  // the 8 digits after 154
      }
      if (households_seen.insert(r.household_id.value).second) {
        auto a = reader_->ReadHouseholdPersonalFields(r.household_id);
        ASSERT_TRUE(a.ok());
        secrets.push_back(a->address);
      }
    }
  }
  EXPECT_EQ(static_cast<int64_t>(ids.size()), report->residents);
  EXPECT_EQ(phones, report->residents_with_phone);

  const std::string bytes = FileBytes();
  // Negative controls: the grep sees clear columns in these bytes, and a planted canary.
  EXPECT_NE(bytes.find("420114103215"), std::string::npos);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) {
                   GZ_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE canary (v TEXT)"));
                   return tx.Exec("INSERT INTO canary (v) VALUES ($1)", {std::string("金丝雀15499990000")}).status();
                 }).ok());
  const std::string with_canary = FileBytes();
  EXPECT_NE(with_canary.find("金丝雀15499990000"), std::string::npos);

  size_t hits = 0;
  for (const std::string& s : secrets) {
    if (with_canary.find(s) != std::string::npos) {
      ++hits;
      ADD_FAILURE() << "plaintext personal value found in the database bytes: " << s;
    }
  }
  EXPECT_EQ(hits, 0u) << "of " << secrets.size() << " values";

  // Idempotent.
  auto again = SeedDemoResidents(*store_, *cipher_, villages, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->villages_skipped, 3);
  EXPECT_EQ(again->residents, 0);
}

// T-INTEG on the real file: edits made with SQL (as a DB user with file access would) are caught.
TEST_F(SqlResidentStoreTest, EditsInTheDatabaseAreDetectedOnRead) {
  ASSERT_TRUE(registry_->CreateHousehold(Family()).ok());
  auto list = *registry_->ListResidents("420114103215");
  const int64_t a = list[0].id.value, b = list[1].id.value;
  const std::vector<std::string> edits = {
      "UPDATE residents_residents SET birth_year = birth_year + 1 WHERE id = $1",
      "UPDATE residents_residents SET relation = 'child' WHERE id = $1",
      "UPDATE residents_residents SET village_code = '420114103299' WHERE id = $1",
      "UPDATE residents_residents SET name_sealed = (SELECT name_sealed FROM residents_residents WHERE id = $2) "
      "WHERE id = $1",
      "UPDATE residents_residents SET id_number_index = randomblob(34) WHERE id = $1",  // unique: cannot copy
  };
  std::string log_sink;
  log::CaptureForTest(&log_sink);
  for (const std::string& sql : edits) {
    // Apply the edit, read, then put the row back as it was.
    SealedResident before = *store_->GetResident(ResidentId{a});
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     const bool two = sql.find("$2") != std::string::npos;
                     return (two ? tx.Exec(sql, {a, b}) : tx.Exec(sql, {a})).status();
                   }).ok())
        << sql;
    auto read = reader_->ReadPersonalFields(ResidentId{a});
    EXPECT_FALSE(read.ok()) << sql;
    EXPECT_EQ(read.status().slug(), crypto::problems::kIntegrityFailure) << sql;
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     return tx.Exec("UPDATE residents_residents SET birth_year = $2, relation = $3, village_code = $4, "
                                    "name_sealed = $5, id_number_index = $6 WHERE id = $1",
                                    {a, static_cast<int64_t>(before.info.birth_year),
                                     std::string(RelationCode(before.info.relation)), before.info.village_code,
                                     storage::Blob{before.name_sealed}, storage::Blob{before.id_number_index}})
                         .status();
                   }).ok());
    ASSERT_TRUE(reader_->ReadPersonalFields(ResidentId{a}).ok()) << "restored row must read again: " << sql;
  }
  log::CaptureForTest(nullptr);
  EXPECT_NE(log_sink.find("residents.integrity_failure"), std::string::npos);
  EXPECT_EQ(log_sink.find("周德明"), std::string::npos);
}

}  // namespace
}  // namespace gz::residents
