// The SQL store on a real SQLite file: contract, seeding, and the at-rest checks T-DATA-1 (no
// plaintext personal data in the database file or its WAL) and T-INTEG (edits are detected).
#include "modules/residents/sql/sql_resident_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/residents/corrections.h"
#include "modules/residents/data_quality.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/read_for_test.h"
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
    // Stands in for audit::AppendAuditInTx: the events are kept here (the audited-writes tests
    // below check that a failing writer rolls the change back).
    store_.emplace(*db_, [this](storage::Tx&, const access::AuditEvent& e, int64_t) {
      audit_events_.push_back(e);
      return Status::Ok();
    });
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
  std::vector<access::AuditEvent> audit_events_;
};

TEST_F(SqlResidentStoreTest, MigrationsApplyOnceAndDeclareBothDialects) {
  int applied = -1;
  ASSERT_TRUE(storage::ApplyMigrations(*db_, ResidentMigrations(), clock_, &applied).ok());
  EXPECT_EQ(applied, 0);
  for (const storage::Migration& m : ResidentMigrations()) {
    EXPECT_EQ(m.module, "residents");
    // Tables with sealed columns say BYTEA on PostgreSQL (a migration of indexes only has none).
    if (m.postgres.find("ADD COLUMN") != std::string_view::npos || m.postgres.find("CREATE TABLE") != std::string_view::npos)
      EXPECT_NE(m.postgres.find("BYTEA"), std::string_view::npos) << m.name;
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
  EXPECT_EQ(OpenForTest(*reader_, *hid)->address, "7组12号");

  auto head = registry_->FindByIdNumber("420114", Fix("42011419580405999"));
  ASSERT_TRUE(head.ok() && head->has_value());
  auto personal = OpenForTest(*reader_, **head);
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
  EXPECT_EQ(OpenForTest(*reader_, *added)->name, "周小燕");

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
      auto p = OpenForTest(*reader_, r.id);
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
        auto a = OpenForTest(*reader_, r.household_id);
        ASSERT_TRUE(a.ok());
        secrets.push_back(a->address);
      }
    }
  }
  EXPECT_EQ(static_cast<int64_t>(ids.size()), report->residents);
  EXPECT_EQ(phones, report->residents_with_phone);

  // Flags (the seeder gives some) and correction requests: sealed too. A correction with a
  // planted value, reason and note, accepted, so every sealed column of it is written.
  int64_t flagged = 0;
  for (const std::string& v : villages) {
    const auto r_list = store_->ListResidents(v).value();
    for (const ResidentInfo& r : r_list) flagged += OpenForTest(*reader_, r.id)->flags.empty() ? 0 : 1;
  }
  EXPECT_GT(flagged, 0) << "the demo population has some sensitive flags";
  {
    const ResidentInfo someone = store_->ListResidents(villages[0])->front();
    access::Principal villager, cadre;
    villager.self = {900, someone.id.value, someone.household_id.value, villages[0], {}};
    cadre.self = {901, 0, 0, villages[0], {{1, access::Role::kVillageCadre, villages[0]}}};
    FakeAuditSink sink;
    CorrectionService corrections(*store_, *registry_, *cipher_, sink);
    auto asked = corrections.Request(villager, {CorrectionField::kPhone, "15499990123", "旧号码停机了金丝雀理由"});
    ASSERT_TRUE(asked.ok()) << asked.status().ToString();
    auto address = corrections.Request(villager, {CorrectionField::kAddress, "9组金丝雀地址99号", "搬家了"});
    ASSERT_TRUE(address.ok()) << address.status().ToString();
    ASSERT_TRUE(corrections.Resolve(cadre, asked->id, false, "请本人来村委会金丝雀备注").ok());
    secrets.insert(secrets.end(), {"15499990123", "99990123", "旧号码停机了金丝雀理由", "9组金丝雀地址99号", "金丝雀地址",
                                   "请本人来村委会金丝雀备注", "low_income", "elderly_alone", "disability"});
  }

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
    auto read = OpenForTest(*reader_, ResidentId{a});
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
    ASSERT_TRUE(OpenForTest(*reader_, ResidentId{a}).ok()) << "restored row must read again: " << sql;
  }
  log::CaptureForTest(nullptr);
  EXPECT_NE(log_sink.find("residents.integrity_failure"), std::string::npos);
  EXPECT_EQ(log_sink.find("周德明"), std::string::npos);
}


// residents/2 on a store written by residents/1: old rows keep working (no flags, stamps filled).
TEST(SqlResidentMigrationTest, RowsWrittenBeforeResidentsTwoStillRead) {
  ASSERT_TRUE(crypto::Initialize().ok());
  auto cipher = std::move(crypto::FieldCipher::Create(crypto::KeyRing::Generate())).value();
  auto db = std::move(storage::sqlite::OpenTemporarySqliteForTest()).value();
  FakeClock clock{WallTime(std::chrono::seconds(1795795200))};
  std::vector<storage::Migration> first = {ResidentMigrations().front()};
  ASSERT_TRUE(storage::ApplyMigrations(*db, first, clock).ok());
  HouseholdInfo h{HouseholdId{11}, "420114", "420114103215", 1000, 1000};
  ResidentInfo r{ResidentId{12}, h.id, "420114", "420114103215", Gender::kMale, 1958, Relation::kHead, 1000, 1000};
  SealedHousehold sh = SealHousehold(cipher, h, {"7组12号"});
  SealedResident sr = SealResident(cipher, r, {"周德明", Fix("42011419580405999"), std::nullopt});
  ASSERT_TRUE(db->Write([&](storage::Tx& tx) -> Status {
                  GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO residents_households (id, county_code, village_code, "
                                             "address_sealed, created_at_ms) VALUES (11, '420114', '420114103215', $1, 1000)",
                                             {storage::Blob{sh.address_sealed}})
                                         .status());
                  return tx.Exec("INSERT INTO residents_residents (id, household_id, county_code, village_code, name_sealed, "
                                 "id_number_sealed, id_number_index, gender, birth_year, relation, created_at_ms) "
                                 "VALUES (12, 11, '420114', '420114103215', $1, $2, $3, 1, 1958, 'head', 1000)",
                                 {storage::Blob{sr.name_sealed}, storage::Blob{sr.id_number_sealed},
                                  storage::Blob{sr.id_number_index}})
                      .status();
                }).ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db, ResidentMigrations(), clock).ok());
  SqlResidentStore store(*db);
  SealedPersonalDataReader reader(store, cipher);
  auto row = store.GetResident(ResidentId{12});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->info.updated_at_ms, 1000);
  EXPECT_TRUE(row->info.id_region.empty());
  EXPECT_FALSE(row->flags_sealed.has_value());
  auto read = OpenForTest(reader, ResidentId{12});
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, "周德明");
  EXPECT_TRUE(read->flags.empty());
  EXPECT_EQ(store.GetHousehold(HouseholdId{11})->info.updated_at_ms, 1000);
  FakeAuditSink sink;
  auto report = BuildDataQualityReport(store, "420114103215", clock, nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->not_checked.ids, std::vector<int64_t>{12});
  // A change re-seals the row with every residents/2 column.
  access::Principal cadre;
  cadre.self.account_id = 1;
  ResidentRegistry registry(store, cipher, clock);
  ResidentChange change;
  change.flags = std::vector<std::string>{"low_income"};
  // No audit writer on this store: a change carrying an audit event is refused, nothing written.
  auto refused = registry.UpdateResident(cadre, ResidentId{12}, change);
  EXPECT_EQ(refused.status().code(), Code::kInternal);
  EXPECT_FALSE(store.GetResident(ResidentId{12})->flags_sealed.has_value());
}

// Changes and their audit records commit or roll back together (the writer is the audit
// module's AppendAuditInTx in the server; here a stand-in writing a table of the same store).
class SqlAuditedWritesTest : public SqlResidentStoreTest {
 protected:
  void SetUp() override {
    SqlResidentStoreTest::SetUp();
    ASSERT_TRUE(db_->Write([](storage::Tx& tx) {
                     return tx.ExecScript("CREATE TABLE test_audit (action TEXT, object_id TEXT, at_ms INTEGER)");
                   }).ok());
    audited_store_.emplace(*db_, [this](storage::Tx& tx, const access::AuditEvent& e, int64_t at_ms) -> Status {
      if (fail_audit_) return Unavailable("audit/unavailable", "failing on purpose");
      return tx.Exec("INSERT INTO test_audit (action, object_id, at_ms) VALUES ($1, $2, $3)", {e.action, e.object_id, at_ms})
          .status();
    });
    audited_registry_.emplace(*audited_store_, *cipher_, clock_);
    cadre_.self = {501, 0, 0, "420114103215", {{1, access::Role::kVillageCadre, "420114103215"}}};
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT action FROM test_audit ORDER BY rowid"));
                     for (const auto& row : rs.rows) out.push_back(row.Text(0));
                     return Status::Ok();
                   }).ok());
    return out;
  }

  bool fail_audit_ = false;
  std::optional<SqlResidentStore> audited_store_;
  std::optional<ResidentRegistry> audited_registry_;
  access::Principal cadre_;
};

TEST_F(SqlAuditedWritesTest, EveryChangeAndItsAuditCommitTogether) {
  auto hid = audited_registry_->CreateHousehold(cadre_, Family());
  ASSERT_TRUE(hid.ok()) << hid.status().ToString();
  EXPECT_EQ(AuditActions(), std::vector<std::string>{"residents.create_household"});

  fail_audit_ = true;
  EXPECT_EQ(audited_registry_->CreateHousehold(cadre_, Family("420115103216")).status().code(), Code::kUnavailable);
  EXPECT_TRUE(audited_registry_->ListResidents("420115103216")->empty());
  auto members = *audited_registry_->ListResidents("420114103215");
  ResidentChange change;
  change.flags = std::vector<std::string>{"disability"};
  EXPECT_FALSE(audited_registry_->UpdateResident(cadre_, members[1].id, change).ok());
  EXPECT_TRUE(OpenForTest(*reader_, members[1].id)->flags.empty());
  EXPECT_FALSE(audited_registry_->AddResident(cadre_, *hid, {{"周小燕", Fix("42011419880808998"), std::nullopt}, Relation::kChild}).ok());
  EXPECT_EQ(audited_registry_->ListResidents("420114103215")->size(), 2u);

  fail_audit_ = false;
  ASSERT_TRUE(audited_registry_->UpdateResident(cadre_, members[1].id, change).ok());
  EXPECT_EQ(OpenForTest(*reader_, members[1].id)->flags, std::vector<std::string>{"disability"});
  EXPECT_EQ(AuditActions(), (std::vector<std::string>{"residents.create_household", "residents.update"}));
}

TEST_F(SqlAuditedWritesTest, PagesHouseholdsUpdatesAndCorrectionsOnSqlite) {
  auto hid = audited_registry_->CreateHousehold(cadre_, Family());
  ASSERT_TRUE(hid.ok());
  NewHousehold second = Family();
  second.personal.address = "8组1号";
  second.members = {{{"钱一", Fix("42011419900202999"), std::nullopt}, Relation::kHead}};
  auto hid2 = audited_registry_->CreateHousehold(cadre_, second);
  ASSERT_TRUE(hid2.ok());

  auto page = audited_store_->HouseholdsOfVillage("420114103215", 1, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].members, 2);
  ASSERT_TRUE(page->items[0].head.has_value());
  EXPECT_EQ(page->items[0].head->info.relation, Relation::kHead);
  EXPECT_EQ(audited_store_->HouseholdsOfVillage("420114103215", 10, 1)->items.size(), 1u);
  auto residents = audited_store_->ResidentsOfVillage("420114103215", 2, 1);
  EXPECT_EQ(residents->total, 3);
  EXPECT_EQ(residents->items.size(), 2u);
  // A page past the end has no row to carry the total: it is counted on its own.
  auto beyond = audited_store_->ResidentsOfVillage("420114103215", 10, 7);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(beyond->total, 3);
  EXPECT_TRUE(beyond->items.empty());
  auto no_households = audited_store_->HouseholdsOfVillage("420114103215", 10, 5);
  ASSERT_TRUE(no_households.ok());
  EXPECT_EQ(no_households->total, 2);
  EXPECT_TRUE(no_households->items.empty());
  EXPECT_EQ(audited_store_->HouseholdsOfVillage("420114999999", 10, 0)->total, 0);
  EXPECT_EQ(audited_store_->MembersOf(*hid)->size(), 2u);
  EXPECT_EQ(audited_store_->MembersOf(HouseholdId{5}).status().slug(), problems::kHouseholdNotFound);
  auto facts = audited_store_->FactsOfVillage("420114103215");
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->households.size(), 2u);
  ASSERT_EQ(facts->residents.size(), 3u);
  int with_phone = 0;
  for (const auto& f : facts->residents) {
    with_phone += f.has_phone;
    EXPECT_TRUE(f.name_index.has_value());
    EXPECT_EQ(f.info.id_region, "420114");
  }
  EXPECT_EQ(with_phone, 1);

  // One head per household, enforced by the store (and by a unique index behind it).
  const ResidentId spouse = (*audited_registry_->ListResidents("420114103215"))[1].id;
  ResidentChange to_head;
  to_head.relation = Relation::kHead;
  EXPECT_EQ(audited_registry_->UpdateResident(cadre_, spouse, to_head).status().Arg("reason"), "head-count");
  Status raw = db_->Write([&](storage::Tx& tx) {
    return tx.Exec("UPDATE residents_residents SET relation = 'head' WHERE id = $1", {spouse.value}).status();
  });
  EXPECT_EQ(raw.code(), Code::kAlreadyExists);

  // A stale prepared update is refused; a duplicate ID number on change too.
  ResidentChange phone;
  phone.phone = std::optional<std::string>("15400007777");
  auto stale = audited_registry_->PrepareResidentUpdate(spouse, phone, nullptr);
  ASSERT_TRUE(audited_registry_->UpdateResident(cadre_, spouse, phone).ok());
  EXPECT_EQ(audited_store_->UpdateResident(*stale, TxAudit{}).slug(), problems::kEditConflict);
  ResidentChange dup;
  dup.id_number = Fix("42011419900202999");
  EXPECT_EQ(audited_registry_->UpdateResident(cadre_, spouse, dup).status().slug(), problems::kDuplicateIdNumber);

  // Corrections: filed, listed, resolved once.
  access::Principal villager;
  villager.self = {900, spouse.value, hid->value, "420114103215", {}};
  FakeAuditSink sink;
  CorrectionService corrections(*audited_store_, *audited_registry_, *cipher_, sink);
  auto asked = corrections.Request(villager, {CorrectionField::kAddress, "7组21号", "门牌改了"});
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  auto open = audited_store_->CorrectionsOfVillage("420114103215", CorrectionStatus::kOpen, 10, 0);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->total, 1);
  EXPECT_EQ(audited_store_->CorrectionsOfVillage("420114103215", CorrectionStatus::kAccepted, 10, 0)->total, 0);
  auto resolved = corrections.Resolve(cadre_, asked->id, true, "");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(OpenForTest(*reader_, *hid)->address, "7组21号");
  EXPECT_EQ(audited_store_->GetCorrection(asked->id)->info.status, CorrectionStatus::kAccepted);
  EXPECT_EQ(corrections.Resolve(cadre_, asked->id, true, "").status().slug(), problems::kCorrectionClosed);
  EXPECT_EQ(audited_store_->CorrectionsOfResident(spouse)->size(), 1u);
  EXPECT_EQ(audited_store_->GetCorrection(CorrectionId{3}).status().slug(), problems::kCorrectionNotFound);
  const auto actions = AuditActions();
  EXPECT_EQ(actions.back(), "residents.update");
  EXPECT_EQ(actions[actions.size() - 2], "corrections.resolve");
}

}  // namespace
}  // namespace gz::residents
